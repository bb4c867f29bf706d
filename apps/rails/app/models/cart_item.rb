# A line of a cart; the primary key is (cart_id, product_id).
class CartItem < ApplicationRecord
  MAX_QUANTITY = 100

  belongs_to :cart
  belongs_to :product

  # Adds +quantity+ of +product_id+ to the cart's line for it, creating the line if need be, in
  # one statement (concurrent adds of the same product cannot collide). A line above
  # MAX_QUANTITY violates the table's CHECK and changes nothing.
  def self.add(cart_id:, product_id:, quantity:)
    upsert({ cart_id:, product_id:, quantity: },
           unique_by: %i[cart_id product_id],
           on_duplicate: Arel.sql("quantity = cart_items.quantity + excluded.quantity"),
           returning: false)
  rescue ActiveRecord::StatementInvalid => e
    raise unless e.cause.is_a?(PG::CheckViolation)

    raise ApiError::ValidationFailed, "a cart line holds at most #{MAX_QUANTITY}"
  end
end
