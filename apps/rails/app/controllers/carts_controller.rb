class CartsController < ApplicationController
  # POST /carts: any body and any Content-Type are ignored.
  def create
    render status: :created, json: Cart.create!.as_cart_json
  end

  # GET /carts/{id}
  def show
    render json: Cart.find(params[:id].downcase).as_cart_json
  end
end
