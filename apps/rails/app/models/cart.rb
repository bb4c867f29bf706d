class Cart < ApplicationRecord
  has_many :cart_items, -> { order(:product_id) }, dependent: :delete_all
  has_one :order

  def checked_out? = checked_out_at.present?

  # The cart as RULES.md §4 shows it: lines by product_id at the products' current prices.
  def as_cart_json
    lines = cart_items.joins(:product).pluck(:product_id, "products.name", "products.price_cents", :quantity)
    items = lines.map do |product_id, name, unit_price_cents, quantity|
      { product_id:, name:, unit_price_cents:, quantity:, line_total_cents: unit_price_cents * quantity }
    end
    { id:, items:, subtotal_cents: items.sum { _1[:line_total_cents] } }
  end
end
