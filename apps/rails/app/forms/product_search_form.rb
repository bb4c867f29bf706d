# GET /products/search's query parameters (RULES.md §2–3). Every wrong value is 422; the values
# stay strings until they have been validated.
class ProductSearchForm
  include ActiveModel::Model

  INT32_MAX = ApplicationForm::INT32_MAX
  INTEGER = /\A-?[0-9]+\z/ # then a range: no "+1", " 1", "1.5" or ""
  SORTS = %w[relevance price_asc price_desc].freeze
  PARAMS = %i[q category brand min_price max_price in_stock sort limit offset].freeze

  attr_accessor(*PARAMS)

  validates :q, text: true, length: { maximum: 200 }, allow_nil: true
  validates :brand, text: true, allow_nil: true
  validates :category, format: INTEGER, numericality: { in: 1..INT32_MAX }, allow_nil: true
  validates :min_price, :max_price, format: INTEGER, numericality: { in: 0..INT32_MAX }, allow_nil: true
  validates :limit, format: INTEGER, numericality: { in: 1..100 }, allow_nil: true
  validates :offset, format: INTEGER, numericality: { in: 0..10_000 }, allow_nil: true
  validates :in_stock, inclusion: { in: %w[true false] }, allow_nil: true
  validates :sort, inclusion: { in: SORTS }, allow_nil: true
  # No rule joins two parameters: relevance without q orders by id (every rank is NULL), and
  # min_price above max_price matches nothing.

  # A blank q (spaces, tabs, CR, LF) and an empty brand count as absent.
  def self.from_query!(query)
    values = query.to_h.symbolize_keys.slice(*PARAMS)
    values[:q] = nil if values[:q].is_a?(String) && values[:q].delete(" \t\r\n").empty?
    values[:brand] = nil if values[:brand] == ""
    new(**values).tap(&:validate!)
  end

  # The keyword arguments of Product.search, typed.
  def filters
    {
      q:, brand:,
      category: category&.to_i,
      min_price: min_price&.to_i,
      max_price: max_price&.to_i,
      in_stock: in_stock && in_stock == "true",
      sort: effective_sort
    }
  end

  def page_limit = limit ? limit.to_i : 20
  def page_offset = offset ? offset.to_i : 0

  def effective_sort = sort || (q ? "relevance" : "price_asc")
end
