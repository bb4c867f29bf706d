class ProductsController < ApplicationController
  # The total is exact up to this many matches, then "more than" (RULES.md §3).
  TOTAL_BOUND = 1000

  # GET /products/search
  def search
    form = ProductSearchForm.from_query!(request.query_parameters)
    found = Product.search(**form.filters)
    items = found.select(*Product::SUMMARY, :stock).limit(form.page_limit).offset(form.page_offset)
    # A limited relation counts in a subquery: SELECT COUNT(*) FROM (SELECT 1 ... LIMIT 1001).
    matches = found.unscope(:order).limit(TOTAL_BOUND + 1).count
    render json: {
      total: [ matches, TOTAL_BOUND ].min,
      total_exact: matches <= TOTAL_BOUND,
      limit: form.page_limit,
      offset: form.page_offset,
      items: items.map(&:as_summary_json)
    }
  end

  # GET /products/{id}
  def show
    render json: Product.find(params[:id]).as_detail_json
  end
end
