class ProductsController < ApplicationController
  # GET /products/search
  def search
    form = ProductSearchForm.from_query!(request.query_parameters)
    found = Product.search(**form.filters)
    items = found.select(*Product::SUMMARY, :stock).limit(form.page_limit).offset(form.page_offset)
    render json: {
      total: found.unscope(:order).count,
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
