# GET /health: 200 only when the database answers (RULES.md §7); otherwise ErrorResponses
# answers 503 (the connection attempt gives up after database.yml's connect_timeout).
class HealthController < ApplicationController
  def show
    ActiveRecord::Base.connection_pool.with_connection { |connection| connection.select_value("SELECT 1") }
    render json: { status: "ok" }
  end
end
