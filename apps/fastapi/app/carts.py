"""POST /carts, GET /carts/{id} and POST /carts/{id}/items (RULES.md §4)."""

from uuid import UUID

import asyncpg
from fastapi import APIRouter

from .body import JSON_BODY, JsonBodyRoute
from .db import Connection
from .errors import ApiError, CartCheckedOut
from .models import AddItemRequest, Cart, Line

router = APIRouter(prefix="/carts", route_class=JsonBodyRoute)

CART_LINES = """
SELECT ci.product_id, p.name, p.price_cents AS unit_price_cents, ci.quantity,
       p.price_cents::bigint * ci.quantity AS line_total_cents
FROM cart_items ci JOIN products p ON p.id = ci.product_id
WHERE ci.cart_id = $1
ORDER BY ci.product_id
"""


async def load_cart(conn: asyncpg.Connection, cart_id: UUID) -> Cart:
    items = [Line(**row) for row in await conn.fetch(CART_LINES, cart_id)]
    return Cart(id=cart_id, items=items, subtotal_cents=sum(line.line_total_cents for line in items))


@router.post("", status_code=201)
async def create_cart(conn: Connection) -> Cart:
    cart_id = await conn.fetchval("INSERT INTO carts DEFAULT VALUES RETURNING id")
    return Cart(id=cart_id, items=[], subtotal_cents=0)


@router.get("/{cart_id:cart_id}")
async def get_cart(cart_id: UUID, conn: Connection) -> Cart:
    if not await conn.fetchval("SELECT true FROM carts WHERE id = $1", cart_id):
        raise ApiError(404, f"no cart {cart_id}")
    return await load_cart(conn, cart_id)


@router.post("/{cart_id:cart_id}/items", dependencies=JSON_BODY)
async def add_item(cart_id: UUID, item: AddItemRequest, conn: Connection) -> Cart:
    async with conn.transaction():
        cart = await conn.fetchrow("SELECT checked_out_at FROM carts WHERE id = $1 FOR SHARE", cart_id)
        if cart is None:
            raise ApiError(404, f"no cart {cart_id}")
        if cart["checked_out_at"] is not None:
            raise CartCheckedOut()
        if not await conn.fetchval("SELECT true FROM products WHERE id = $1", item.product_id):
            raise ApiError(404, f"no product {item.product_id}")
        quantity = await conn.fetchval(
            """INSERT INTO cart_items AS ci (cart_id, product_id, quantity) VALUES ($1, $2, $3)
               ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = ci.quantity + EXCLUDED.quantity
               WHERE ci.quantity + EXCLUDED.quantity <= 100
               RETURNING quantity""",
            cart_id,
            item.product_id,
            item.quantity,
        )
        if quantity is None:
            raise ApiError(422, "a cart line holds at most 100 of a product")
        return await load_cart(conn, cart_id)
