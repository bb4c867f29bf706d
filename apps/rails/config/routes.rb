# The contract's routes (apps/contract/openapi.yaml). Paths match exactly: no format suffixes
# (`format: false`) and no trailing or doubled slashes (the router matches a normalised path, so
# "/health/" would be "/health": the constraint looks at the path as sent). A path id of the wrong
# form matches no route: 404, like an unknown id.
Rails.application.routes.draw do
  product_id = /[1-9][0-9]{0,9}/
  order_id = /[1-9][0-9]{0,18}/
  cart_id = /\h{8}-\h{4}-\h{4}-\h{4}-\h{12}/
  exact_path = ->(request) { !request.original_fullpath.split("?", 2).first.match?(%r{.+/\z|//}) }

  scope format: false, constraints: exact_path do
    get "health" => "health#show"
    get "metrics" => "metrics#show"

    resources :products, only: :show, constraints: { id: product_id } do
      get :search, on: :collection
    end

    resources :carts, only: %i[create show], constraints: { id: cart_id } do
      resources :items, only: :create, controller: "cart_items"
    end

    resource :checkout, only: :create

    resources :orders, only: :show, constraints: { id: order_id }

    # A known path with a method it does not take: 405 with an Allow header (RULES.md §1).
    [
      [ "health", "GET" ],
      [ "metrics", "GET" ],
      [ "products/search", "GET" ],
      [ "products/:id", "GET", { id: product_id } ],
      [ "carts", "POST" ],
      [ "carts/:id", "GET", { id: cart_id } ],
      [ "carts/:id/items", "POST", { id: cart_id } ],
      [ "checkout", "POST" ],
      [ "orders/:id", "GET", { id: order_id } ]
    ].each do |path, allow, ids = {}|
      match path, to: "errors#method_not_allowed", via: :all, defaults: { allow: }, constraints: ids
    end
  end
end
