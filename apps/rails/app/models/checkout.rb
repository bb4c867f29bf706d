# Turns a cart into an order, all or nothing (RULES.md §5). #call returns [order, status]:
# :created for a new order, :ok for the earlier order of a repeated Idempotency-Key.
class Checkout
  attr_reader :cart_id, :email, :idempotency_key

  def initialize(cart_id:, email:, idempotency_key: nil)
    @cart_id = cart_id.downcase
    @email = email
    @idempotency_key = idempotency_key
  end

  def call
    if (earlier = earlier_order)
      return [ earlier, :ok ]
    end

    [ place_order, :created ]
  rescue ApiError::CartCheckedOut
    # Its twin with the same key may just have committed.
    (earlier = earlier_order) ? [ earlier, :ok ] : raise
  rescue ActiveRecord::RecordNotUnique
    # A twin with the same key won the race to insert its order.
    (earlier = earlier_order) ? [ earlier, :ok ] : raise
  end

  private

  # The order already placed under this Idempotency-Key: only for the same cart (else 422).
  def earlier_order
    return if idempotency_key.nil?

    order = Order.find_by(idempotency_key:)
    return if order.nil?
    raise ApiError::ValidationFailed, "Idempotency-Key was used for another cart" unless order.cart_id == cart_id

    order
  end

  def place_order
    Order.transaction do
      cart = Cart.lock("FOR NO KEY UPDATE").find(cart_id)
      raise ApiError::CartCheckedOut if cart.checked_out?

      lines = locked_lines
      raise ApiError::ValidationFailed, "the cart is empty" if lines.empty?

      short = lines.select { |line| line.quantity > line.stock }
      raise ApiError::OutOfStock, short.map(&:product_id) if short.any?

      lines.each { |line| Product.update_counters(line.product_id, stock: -line.quantity) }
      Cart.where(id: cart.id).update_all("checked_out_at = now()")
      create_order(lines)
    end
  end

  # The cart's lines with their products' price and stock, the products locked in product_id
  # order: one lock order for every checkout, so none deadlock; NO KEY UPDATE, so adding to
  # other carts (whose foreign-key checks take KEY SHARE) is not blocked.
  def locked_lines
    CartItem.where(cart_id:)
      .joins(:product)
      .order(:product_id)
      .lock("FOR NO KEY UPDATE OF products")
      .select(:product_id, :quantity, "products.price_cents", "products.stock")
      .to_a
  end

  def create_order(lines)
    subtotal = lines.sum { |line| line.price_cents * line.quantity }
    tax = Order.tax_for(subtotal)
    order = Order.create!(cart_id:, email:, idempotency_key:, subtotal_cents: subtotal, tax_cents: tax,
                          total_cents: subtotal + tax)
    OrderItem.insert_all!(lines.map do |line|
      { order_id: order.id, product_id: line.product_id, quantity: line.quantity, unit_price_cents: line.price_cents }
    end)
    order
  end
end
