require "securerandom"

# The request's id (RULES.md §8), in place of Rails' ActionDispatch::RequestId: an incoming
# X-Request-Id of 1 to 128 characters from A-Z a-z 0-9 . _ - is kept as sent, anything else is
# replaced by a new UUID (Rails' own strips the characters it does not like, dots among them, and
# keeps the rest). Like Rails', it sets `request.request_id` and echoes the id on every response,
# the exceptions app's included.
class RequestId
  HEADER = "X-Request-Id".freeze
  VALID = /\A[A-Za-z0-9._-]{1,128}\z/

  def initialize(app)
    @app = app
  end

  def call(env)
    request = ActionDispatch::Request.new(env)
    sent = request.get_header("HTTP_X_REQUEST_ID")
    request.request_id = sent&.match?(VALID) ? sent : SecureRandom.uuid
    @app.call(env).tap { |_status, headers, _body| headers[HEADER] = request.request_id }
  end
end
