class Product < ApplicationRecord
  belongs_to :category

  SUMMARY = %i[id sku name brand category_id price_cents].freeze
  DETAIL = %i[id sku name description brand category_id price_cents stock].freeze

  scope :matching, ->(q) { where("search_vector @@ websearch_to_tsquery('english', ?)", q) }
  scope :in_category_tree, ->(id) { where(category_id: Category.subtree_ids(id)) }
  scope :in_stock, ->(flag) { flag ? where(stock: 1..) : where(stock: ..0) }
  scope :by_relevance, ->(q) {
    order(Arel.sql(sanitize_sql_array([ "ts_rank_cd(search_vector, websearch_to_tsquery('english', ?)) DESC", q ])))
  }

  # The search of RULES.md §3: only the filters given, then the sort; ties go to the lowest id.
  def self.search(q:, category:, brand:, min_price:, max_price:, in_stock:, sort:)
    found = all
    found = found.matching(q) if q
    found = found.in_category_tree(category) if category
    found = found.where(brand:) if brand
    found = found.where(price_cents: min_price..) if min_price
    found = found.where(price_cents: ..max_price) if max_price
    found = found.in_stock(in_stock) unless in_stock.nil?
    found = case sort
    when "relevance" then q ? found.by_relevance(q) : found # without q every rank is NULL
    when "price_asc" then found.order(price_cents: :asc)
    when "price_desc" then found.order(price_cents: :desc)
    end
    found.order(id: :asc)
  end

  def in_stock? = stock.positive?

  def as_summary_json = as_json(only: SUMMARY).merge("in_stock" => in_stock?)
  def as_detail_json = as_json(only: DETAIL).merge("in_stock" => in_stock?)
end
