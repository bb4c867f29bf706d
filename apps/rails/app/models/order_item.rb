# A line of an order at the price charged; the primary key is (order_id, product_id).
class OrderItem < ApplicationRecord
  belongs_to :order
  belongs_to :product
end
