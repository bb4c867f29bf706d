"""What the views do with the database: the cart and order bodies, the cart lock, and
checkout's transaction (RULES.md §4 to §6). Failures are ApiErrors, raised inside
transaction.atomic so that it rolls back."""

import uuid

from django.contrib.postgres.functions import TransactionNow
from django.db import transaction
from django.db.models import F, Func, TextField

from .errors import ApiError, CartCheckedOut
from .models import Cart, CartItem, Order, OrderItem, Product

LINE_COLUMNS = ("product_id", "product__name", "quantity")


def line(product_id: int, name: str, quantity: int, unit_price_cents: int) -> dict:
    return {
        "product_id": product_id,
        "name": name,
        "unit_price_cents": unit_price_cents,
        "quantity": quantity,
        "line_total_cents": unit_price_cents * quantity,
    }


def cart_body(cart_id: uuid.UUID) -> dict:
    """The cart at its products' current prices, lines by product id."""
    rows = (
        CartItem.objects.filter(cart_id=cart_id)
        .order_by("product_id")
        .values_list(*LINE_COLUMNS, "product__price_cents")
    )
    items = [line(*row) for row in rows]
    subtotal = sum(item["line_total_cents"] for item in items)
    return {"id": cart_id, "items": items, "subtotal_cents": subtotal}


def lock_open_cart(cart_id: uuid.UUID) -> None:
    """Locks the cart's row until the transaction ends; 404 if there is none, 409 if it
    is checked out.

    RULES.md §4 asks add-to-cart for FOR SHARE, which Django's ORM cannot say (it locks
    FOR UPDATE or FOR NO KEY UPDATE). FOR NO KEY UPDATE still makes checkout wait for an
    add in progress and the reverse; it also orders two adds to one cart, which the
    read-then-write of a line relies on."""
    carts = Cart.objects.select_for_update(no_key=True).only("checked_out_at")
    try:
        cart = carts.get(pk=cart_id)
    except Cart.DoesNotExist:
        raise ApiError(404, f"no cart {cart_id}") from None
    if cart.checked_out_at is not None:
        raise CartCheckedOut()


def add_to_line(cart_id: uuid.UUID, product_id: int, quantity: int) -> None:
    """Insert the line or increase it; the cart is locked. Over 100 is 422."""
    item = CartItem.objects.filter(cart_id=cart_id, product_id=product_id).first()
    if item is None:
        CartItem.objects.create(
            cart_id=cart_id, product_id=product_id, quantity=quantity
        )
    elif item.quantity + quantity > 100:
        raise ApiError(422, "a cart line holds at most 100 of a product")
    else:
        item.quantity += quantity
        item.save(update_fields=["quantity"])


class UtcTimestamp(Func):
    """created_at as PostgreSQL prints it (RULES.md §6), so every app agrees."""

    template = (
        "to_char(%(expressions)s AT TIME ZONE 'UTC', "
        """'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
    )
    output_field = TextField()


ORDER_FIELDS = ("id", "cart_id", "email", "status")
MONEY_FIELDS = ("subtotal_cents", "tax_cents", "total_cents")


def order_body(**lookup) -> dict | None:
    """The order that `lookup` finds, in the body checkout answered; None if none."""
    order = (
        Order.objects.filter(**lookup)
        .values(*ORDER_FIELDS, *MONEY_FIELDS, created=UtcTimestamp("created_at"))
        .first()
    )
    if order is None:
        return None
    rows = (
        OrderItem.objects.filter(order_id=order["id"])
        .order_by("product_id")
        .values_list(*LINE_COLUMNS, "unit_price_cents")
    )
    order["items"] = [line(*row) for row in rows]
    order["created_at"] = order.pop("created")
    return order


def replay(key: str, cart_id: uuid.UUID) -> dict | None:
    """The order an earlier request with this Idempotency-Key created, if any; 422 if
    that request was for another cart."""
    order = order_body(idempotency_key=key)
    if order is not None and order["cart_id"] != cart_id:
        raise ApiError(422, "this Idempotency-Key was used for another cart")
    return order


def tax_cents(subtotal_cents: int) -> int:
    """8.25 %, rounded half up, in integer arithmetic."""
    return (subtotal_cents * 825 + 5000) // 10000


def place_order(cart_id: uuid.UUID, email: str, key: str | None) -> int:
    """RULES.md §5 step 3, all or nothing; the new order's id."""
    with transaction.atomic():
        lock_open_cart(cart_id)
        # The lines with their products locked, in product order for everyone (no
        # deadlocks); NO KEY UPDATE, so other carts' foreign-key checks do not wait.
        lines = list(
            CartItem.objects.filter(cart_id=cart_id)
            .select_related("product")
            .only("quantity", "product__name", "product__price_cents", "product__stock")
            .order_by("product_id")
            .select_for_update(no_key=True, of=("product",))
        )
        if not lines:
            raise ApiError(422, "the cart is empty")
        short = [
            item.product_id for item in lines if item.quantity > item.product.stock
        ]
        if short:
            raise ApiError(
                409, "not enough stock", code="out_of_stock", product_ids=short
            )

        for item in lines:
            stock = F("stock") - item.quantity
            Product.objects.filter(pk=item.product_id).update(stock=stock)
        Cart.objects.filter(pk=cart_id).update(checked_out_at=TransactionNow())
        subtotal = sum(item.product.price_cents * item.quantity for item in lines)
        tax = tax_cents(subtotal)
        order = Order.objects.create(
            cart_id=cart_id,
            email=email,
            idempotency_key=key,
            subtotal_cents=subtotal,
            tax_cents=tax,
            total_cents=subtotal + tax,
        )
        OrderItem.objects.bulk_create(
            OrderItem(
                order=order,
                product_id=item.product_id,
                quantity=item.quantity,
                unit_price_cents=item.product.price_cents,
            )
            for item in lines
        )
    return order.id
