"""The contract's routes (openapi.yaml). Paths match exactly: no trailing slashes."""

from django.urls import path, register_converter

from . import converters, metrics, views

register_converter(converters.ProductId, "product_id")
register_converter(converters.CartId, "cart_id")
register_converter(converters.OrderId, "order_id")

urlpatterns = [
    path("health", views.health),
    path("metrics", metrics.metrics),
    path("products/search", views.search_products),
    path("products/<product_id:product_id>", views.get_product),
    path("carts", views.create_cart),
    path("carts/<cart_id:cart_id>", views.get_cart),
    path("carts/<cart_id:cart_id>/items", views.add_item),
    path("checkout", views.checkout),
    path("orders/<order_id:order_id>", views.get_order),
]
