class OrdersController < ApplicationController
  # GET /orders/{id}: the body checkout gave.
  def show
    render json: Order.with_receipt_time.find(params[:id]).as_order_json
  end
end
