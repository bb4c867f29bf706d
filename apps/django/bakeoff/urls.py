"""The root URLconf: the shop's routes, and the handlers that give Django's own 400,
404 and 500 answers the contract's error body."""

from django.urls import include, path

urlpatterns = [
    path("", include("shop.urls")),
]

handler400 = "shop.errors.bad_request"
handler404 = "shop.errors.not_found"
handler500 = "shop.errors.server_error"
