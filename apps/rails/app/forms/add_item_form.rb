# POST /carts/{id}/items: {"product_id": 1..2^31-1, "quantity": 1..100}.
class AddItemForm < ApplicationForm
  field :product_id, :integer
  field :quantity, :integer

  validates :product_id, numericality: { in: 1..INT32_MAX }
  validates :quantity, numericality: { in: 1..CartItem::MAX_QUANTITY }
end
