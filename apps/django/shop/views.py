"""The contract's endpoints (openapi.yaml, RULES.md) as plain function views returning
JsonResponse. A view reads and checks its input, calls the ORM or shop.services, and
answers; failures are ApiErrors, which shop.errors.ApiErrorMiddleware answers."""

import uuid

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.http import JsonResponse

from . import inputs, services
from .errors import ApiError, CartCheckedOut, allow
from .forms import SearchForm
from .models import Cart, Product


@allow("GET")
def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# The ORM has no recursive CTE, so the category subtree is the canonical SQL's own,
# given to the ORM as a RawSQL subquery: `category_id IN (WITH RECURSIVE ...)`.
SUBTREE = """WITH RECURSIVE subtree(id) AS (
    SELECT id FROM categories WHERE id = %s
    UNION
    SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id
) SELECT id FROM subtree"""

TOTAL_BOUND = 1000
SUMMARY = ("id", "sku", "name", "brand", "category_id", "price_cents", "in_stock")
DETAIL = (
    *("id", "sku", "name", "description", "brand", "category_id", "price_cents"),
    *("stock", "in_stock"),
)


@allow("GET")
def search_products(request):
    """RULES.md §3: the canonical search, with only the filters given."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        raise ApiError(422, form.first_error())
    params = form.cleaned_data
    products = Product.objects.with_in_stock()
    if params["q"] is not None:
        query = SearchQuery(params["q"], search_type="websearch", config="english")
        products = products.filter(search_vector=query)
    if params["category"] is not None:
        subtree = RawSQL(SUBTREE, [params["category"]])
        products = products.filter(category_id__in=subtree)
    if params["brand"] is not None:
        products = products.filter(brand=params["brand"])
    if params["min_price"] is not None:
        products = products.filter(price_cents__gte=params["min_price"])
    if params["max_price"] is not None:
        products = products.filter(price_cents__lte=params["max_price"])
    if params["in_stock"] is not None:
        products = products.filter(in_stock=params["in_stock"] == "true")

    match params["sort"]:
        case "relevance" if params["q"] is not None:
            rank = SearchRank(F("search_vector"), query, cover_density=True)
            ordering = (rank.desc(), "id")
        case "relevance":  # without q every rank is NULL: the order is the ids'
            ordering = ("id",)
        case "price_asc":
            ordering = ("price_cents", "id")
        case "price_desc":
            ordering = ("-price_cents", "id")
    limit, offset = params["limit"], params["offset"]
    page = products.order_by(*ordering).values(*SUMMARY)[offset : offset + limit]
    # The total is exact up to TOTAL_BOUND matches, then "more than" (RULES.md §3): a
    # sliced queryset counts in a subquery, `SELECT count(*) FROM (... LIMIT 1001)`.
    matches = products[: TOTAL_BOUND + 1].count()
    return JsonResponse(
        {
            "total": min(matches, TOTAL_BOUND),
            "total_exact": matches <= TOTAL_BOUND,
            "limit": limit,
            "offset": offset,
            "items": list(page),
        }
    )


@allow("GET")
def get_product(request, product_id: int):
    products = Product.objects.with_in_stock().filter(pk=product_id)
    product = products.values(*DETAIL).first()
    if product is None:
        raise ApiError(404, f"no product {product_id}")
    return JsonResponse(product)


@allow("POST")
def create_cart(request):
    cart = Cart.objects.create()  # id and created_at: the database's defaults
    return JsonResponse({"id": cart.id, "items": [], "subtotal_cents": 0}, status=201)


@allow("GET")
def get_cart(request, cart_id: uuid.UUID):
    if not Cart.objects.filter(pk=cart_id).exists():
        raise ApiError(404, f"no cart {cart_id}")
    return JsonResponse(services.cart_body(cart_id))


@allow("POST")
def add_item(request, cart_id: uuid.UUID):
    """RULES.md §4: add a quantity of a product to the cart's line for it."""
    body = inputs.json_object(request)
    product_id = inputs.int_field(body, "product_id")
    quantity = inputs.int_field(body, "quantity")
    inputs.check_range("product_id", product_id, 1, inputs.INT32_MAX)
    inputs.check_range("quantity", quantity, 1, 100)
    with transaction.atomic():
        services.lock_open_cart(cart_id)
        if not Product.objects.filter(pk=product_id).exists():
            raise ApiError(404, f"no product {product_id}")
        services.add_to_line(cart_id, product_id, quantity)
        return JsonResponse(services.cart_body(cart_id))


@allow("POST")
def checkout(request):
    """RULES.md §5."""
    body = inputs.json_object(request)
    cart_text = inputs.str_field(body, "cart_id")
    email = inputs.str_field(body, "email")
    if not inputs.UUID_TEXT.fullmatch(cart_text):
        raise ApiError(422, "cart_id must be a UUID")
    inputs.check_email(email)
    key = inputs.idempotency_key(request)
    cart_id = uuid.UUID(cart_text)

    if key is not None and (order := services.replay(key, cart_id)) is not None:
        return JsonResponse(order)
    try:
        order_id = services.place_order(cart_id, email, key)
    except (CartCheckedOut, IntegrityError):
        # A twin request with this key may have committed first: answer its order.
        if key is not None and (order := services.replay(key, cart_id)) is not None:
            return JsonResponse(order)
        raise
    return JsonResponse(services.order_body(pk=order_id), status=201)


@allow("GET")
def get_order(request, order_id: int):
    order = services.order_body(pk=order_id)
    if order is None:
        raise ApiError(404, f"no order {order_id}")
    return JsonResponse(order)
