"""GET /products/search and GET /products/{id}. The search SQL is RULES.md §3's, with only the
filters given."""

from typing import Annotated

from fastapi import APIRouter, Query

from .db import Connection
from .errors import ApiError
from .models import INT32_MAX, Product, ProductSummary, SearchPage, SearchParams

router = APIRouter(prefix="/products")

SUBTREE = """WITH RECURSIVE subtree(id) AS (
    SELECT id FROM categories WHERE id = {}
    UNION
    SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id
) """

ORDER_BY = {
    "relevance": "ts_rank_cd(search_vector, websearch_to_tsquery('english', $1)) DESC, id",
    "price_asc": "price_cents, id",
    "price_desc": "price_cents DESC, id",
}

# The total counts exactly up to this many matches; past it, the answer says "more than".
TOTAL_BOUND = 1000


def search_sql(params: SearchParams) -> tuple[str, str, list[object]]:
    """The page and count statements for these filters, and the page's arguments; the count
    takes all but the last two (limit, offset). q, when given, is $1 so ORDER BY can rank by it;
    without q every rank is NULL and the order is id. The count stops at TOTAL_BOUND + 1."""
    args: list[object] = []

    def arg(value: object) -> str:
        args.append(value)
        return f"${len(args)}"

    prefix, where = "", ["TRUE"]
    if params.q is not None:
        where.append(f"search_vector @@ websearch_to_tsquery('english', {arg(params.q)})")
    if params.category is not None:
        prefix = SUBTREE.format(arg(params.category))
        where.append("category_id IN (SELECT id FROM subtree)")
    if params.brand is not None:
        where.append(f"brand = {arg(params.brand)}")
    if params.min_price is not None:
        where.append(f"price_cents >= {arg(params.min_price)}")
    if params.max_price is not None:
        where.append(f"price_cents <= {arg(params.max_price)}")
    if params.in_stock is not None:
        where.append(f"(stock > 0) = {arg(params.in_stock == 'true')}")

    condition = " AND ".join(where)
    order = "id" if params.sort == "relevance" and params.q is None else ORDER_BY[params.sort]
    count = f"{prefix}SELECT count(*) FROM (SELECT 1 FROM products WHERE {condition} LIMIT {TOTAL_BOUND + 1}) AS m"
    page = (  # built after count: limit and offset are its last two arguments
        f"{prefix}SELECT id, sku, name, brand, category_id, price_cents, stock > 0 AS in_stock "
        f"FROM products WHERE {condition} ORDER BY {order} "
        f"LIMIT {arg(params.limit)} OFFSET {arg(params.offset)}"
    )
    return page, count, args


@router.get("/search")
async def search_products(params: Annotated[SearchParams, Query()], conn: Connection) -> SearchPage:
    page, count, args = search_sql(params)
    rows = await conn.fetch(page, *args)
    matches = await conn.fetchval(count, *args[:-2])
    items = [ProductSummary(**row) for row in rows]
    return SearchPage(
        total=min(matches, TOTAL_BOUND),
        total_exact=matches <= TOTAL_BOUND,
        limit=params.limit,
        offset=params.offset,
        items=items,
    )


@router.get("/{product_id:product_id}")
async def get_product(product_id: int, conn: Connection) -> Product:
    row = None
    if product_id <= INT32_MAX:
        row = await conn.fetchrow(
            "SELECT id, sku, name, description, brand, category_id, price_cents, stock,"
            " stock > 0 AS in_stock FROM products WHERE id = $1",
            product_id,
        )
    if row is None:
        raise ApiError(404, f"no product {product_id}")
    return Product(**row)
