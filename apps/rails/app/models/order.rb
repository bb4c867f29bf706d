class Order < ApplicationRecord
  TAX_BASIS_POINTS = 825 # 8.25 %

  belongs_to :cart
  has_many :order_items, -> { order(:product_id) }, dependent: :delete_all

  # created_at as RULES.md §6 prints it, formatted by PostgreSQL so every app agrees.
  scope :with_receipt_time, -> {
    select(:id, :cart_id, :email, :status, :subtotal_cents, :tax_cents, :total_cents,
           "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS created_at_utc")
  }

  # 8.25 % of +subtotal_cents+, rounded half up, in integer arithmetic.
  def self.tax_for(subtotal_cents) = (subtotal_cents * TAX_BASIS_POINTS + 5_000) / 10_000

  def as_order_json
    lines = order_items.joins(:product).pluck(:product_id, "products.name", :unit_price_cents, :quantity)
    items = lines.map do |product_id, name, unit_price_cents, quantity|
      { product_id:, name:, unit_price_cents:, quantity:, line_total_cents: unit_price_cents * quantity }
    end
    { id:, cart_id:, email:, status:, items:, subtotal_cents:, tax_cents:, total_cents:, created_at: created_at_utc }
  end
end
