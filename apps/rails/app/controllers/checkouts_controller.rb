class CheckoutsController < ApplicationController
  include JsonBody

  # POST /checkout (RULES.md §5): 201 with a new order, 200 with the order a repeated
  # Idempotency-Key placed before.
  def create
    form = CheckoutForm.from_json!(json_body, idempotency_key: request.headers["Idempotency-Key"])
    order, status = Checkout.new(cart_id: form.cart_id, email: form.email, idempotency_key: form.idempotency_key).call
    render status:, json: Order.with_receipt_time.find(order.id).as_order_json
  end
end
