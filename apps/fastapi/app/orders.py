"""POST /checkout and GET /orders/{id} (RULES.md §5 and §6)."""

from typing import Annotated
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Header, Response

from .body import JSON_BODY, JsonBodyRoute
from .db import Connection
from .errors import ApiError, CartCheckedOut
from .models import INT64_MAX, CheckoutRequest, Line, Order

router = APIRouter(route_class=JsonBodyRoute)

IdempotencyKey = Annotated[str | None, Header(min_length=1, max_length=64, pattern=r"^[\x21-\x7e]+$")]

CREATED_AT = """to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at"""

ORDER_LINES = """
SELECT oi.product_id, p.name, oi.unit_price_cents, oi.quantity,
       oi.unit_price_cents::bigint * oi.quantity AS line_total_cents
FROM order_items oi JOIN products p ON p.id = oi.product_id
WHERE oi.order_id = $1
ORDER BY oi.product_id
"""

# The cart's lines with their products locked, always in product_id order: no deadlocks.
LOCKED_LINES = """
SELECT ci.product_id, p.name, p.price_cents AS unit_price_cents, ci.quantity,
       p.price_cents::bigint * ci.quantity AS line_total_cents, p.stock
FROM cart_items ci JOIN products p ON p.id = ci.product_id
WHERE ci.cart_id = $1
ORDER BY ci.product_id
FOR NO KEY UPDATE OF p
"""


def tax_cents(subtotal_cents: int) -> int:
    """8.25 %, rounded half up, in integer arithmetic."""
    return (subtotal_cents * 825 + 5000) // 10000


async def load_order(conn: asyncpg.Connection, column: str, value: object) -> Order | None:
    row = await conn.fetchrow(
        "SELECT id, cart_id, email, status, subtotal_cents, tax_cents, total_cents,"
        f" {CREATED_AT} FROM orders WHERE {column} = $1",
        value,
    )
    if row is None:
        return None
    items = [Line(**line) for line in await conn.fetch(ORDER_LINES, row["id"])]
    return Order(**row, items=items)


async def replay(conn: asyncpg.Connection, key: str, cart_id: UUID) -> Order | None:
    """The order an earlier request with this key created, if any."""
    order = await load_order(conn, "idempotency_key", key)
    if order is not None and order.cart_id != cart_id:
        raise ApiError(422, "this Idempotency-Key was used for another cart")
    return order


async def place_order(conn: asyncpg.Connection, cart_id: UUID, email: str, key: str | None) -> Order:
    """Steps 3.1 to 3.4 of RULES.md §5; the caller holds the transaction."""
    cart = await conn.fetchrow("SELECT checked_out_at FROM carts WHERE id = $1 FOR NO KEY UPDATE", cart_id)
    if cart is None:
        raise ApiError(404, f"no cart {cart_id}")
    if cart["checked_out_at"] is not None:
        raise CartCheckedOut()
    lines = await conn.fetch(LOCKED_LINES, cart_id)
    if not lines:
        raise ApiError(422, "the cart is empty")
    short = [line["product_id"] for line in lines if line["quantity"] > line["stock"]]
    if short:
        raise ApiError(409, "not enough stock", code="out_of_stock", product_ids=short)

    await conn.execute(
        "UPDATE products p SET stock = p.stock - ci.quantity FROM cart_items ci"
        " WHERE ci.cart_id = $1 AND p.id = ci.product_id",
        cart_id,
    )
    await conn.execute("UPDATE carts SET checked_out_at = now() WHERE id = $1", cart_id)
    items = [Line(**{k: v for k, v in line.items() if k != "stock"}) for line in lines]
    subtotal = sum(line.line_total_cents for line in items)
    tax = tax_cents(subtotal)
    order = await conn.fetchrow(
        "INSERT INTO orders (cart_id, email, idempotency_key, subtotal_cents, tax_cents, total_cents)"
        f" VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, status, {CREATED_AT}",
        cart_id,
        email,
        key,
        subtotal,
        tax,
        subtotal + tax,
    )
    await conn.execute(
        "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)"
        " SELECT $1, ci.product_id, ci.quantity, p.price_cents"
        " FROM cart_items ci JOIN products p ON p.id = ci.product_id WHERE ci.cart_id = $2",
        order["id"],
        cart_id,
    )
    return Order(
        **order,
        cart_id=cart_id,
        email=email,
        items=items,
        subtotal_cents=subtotal,
        tax_cents=tax,
        total_cents=subtotal + tax,
    )


@router.post("/checkout", status_code=201, dependencies=JSON_BODY)
async def checkout(
    request: CheckoutRequest, conn: Connection, response: Response, idempotency_key: IdempotencyKey = None
) -> Order:
    cart_id = UUID(request.cart_id)
    if idempotency_key is not None and (order := await replay(conn, idempotency_key, cart_id)):
        response.status_code = 200
        return order
    try:
        async with conn.transaction():
            return await place_order(conn, cart_id, request.email, idempotency_key)
    except (CartCheckedOut, asyncpg.UniqueViolationError):
        # A twin request with this key may have committed first: answer with its order.
        if idempotency_key is not None and (order := await replay(conn, idempotency_key, cart_id)):
            response.status_code = 200
            return order
        raise


@router.get("/orders/{order_id:order_id}")
async def get_order(order_id: int, conn: Connection) -> Order:
    order = await load_order(conn, "id", order_id) if order_id <= INT64_MAX else None
    if order is None:
        raise ApiError(404, f"no order {order_id}")
    return order
