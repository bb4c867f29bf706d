class CartItemsController < ApplicationController
  include JsonBody

  # POST /carts/{cart_id}/items (RULES.md §4)
  def create
    form = AddItemForm.from_json!(json_body)
    cart = Cart.transaction do
      cart = Cart.lock("FOR SHARE").find(params[:cart_id].downcase)
      raise ApiError::CartCheckedOut if cart.checked_out?
      raise ActiveRecord::RecordNotFound.new("no such product", "Product") unless Product.exists?(form.product_id)

      CartItem.add(cart_id: cart.id, product_id: form.product_id, quantity: form.quantity)
      cart
    end
    render json: cart.as_cart_json
  end
end
