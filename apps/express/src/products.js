// GET /products/search and GET /products/:productId. The search SQL is RULES.md §3's, with only
// the filters given.
import { pool } from './db.js';
import { ApiError } from './errors.js';
import { INT32_MAX, checkText, lastValue, length, queryEnum, queryInt } from './validate.js';

const SUBTREE = (param) => `WITH RECURSIVE subtree(id) AS (
    SELECT id FROM categories WHERE id = ${param}
    UNION
    SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id
) `;

const ORDER_BY = {
  relevance: "ts_rank_cd(search_vector, websearch_to_tsquery('english', $1)) DESC, id",
  price_asc: 'price_cents, id',
  price_desc: 'price_cents DESC, id',
};

/** The total counts exactly up to this many matches; past it, the answer says "more than". */
const TOTAL_BOUND = 1000;

/** The search parameters, checked (422 on any fault) and defaulted. */
export function searchParams(query) {
  let q = lastValue(query.q);
  if (q !== undefined) {
    checkText('q', q);
    if (length(q) > 200) throw new ApiError(422, 'q must be at most 200 characters');
    if (/^[ \t\r\n]*$/.test(q)) q = undefined;
  }
  const brand = lastValue(query.brand) || undefined;
  if (brand !== undefined) checkText('brand', brand);
  return {
    q,
    brand,
    category: queryInt(query, 'category', 1, INT32_MAX),
    minPrice: queryInt(query, 'min_price', 0, INT32_MAX),
    maxPrice: queryInt(query, 'max_price', 0, INT32_MAX),
    inStock: queryEnum(query, 'in_stock', ['true', 'false']),
    sort: queryEnum(query, 'sort', Object.keys(ORDER_BY)) ?? (q === undefined ? 'price_asc' : 'relevance'),
    limit: queryInt(query, 'limit', 1, 100, 20),
    offset: queryInt(query, 'offset', 0, 10000, 0),
  };
}

/** The page and count statements; the count takes all arguments but the last two (limit, offset).
 * q, when given, is $1 so ORDER BY can rank by it; without q every rank is NULL: the order is id. */
export function searchSql(params) {
  const args = [];
  const arg = (value) => `$${args.push(value)}`;
  let prefix = '';
  const where = ['TRUE'];
  if (params.q !== undefined) where.push(`search_vector @@ websearch_to_tsquery('english', ${arg(params.q)})`);
  if (params.category !== undefined) {
    prefix = SUBTREE(arg(params.category));
    where.push('category_id IN (SELECT id FROM subtree)');
  }
  if (params.brand !== undefined) where.push(`brand = ${arg(params.brand)}`);
  if (params.minPrice !== undefined) where.push(`price_cents >= ${arg(params.minPrice)}`);
  if (params.maxPrice !== undefined) where.push(`price_cents <= ${arg(params.maxPrice)}`);
  if (params.inStock !== undefined) where.push(`(stock > 0) = ${arg(params.inStock === 'true')}`);

  const condition = where.join(' AND ');
  const order = params.sort === 'relevance' && params.q === undefined ? 'id' : ORDER_BY[params.sort];
  const count = `${prefix}SELECT count(*) AS n FROM (SELECT 1 FROM products WHERE ${condition} LIMIT ${TOTAL_BOUND + 1}) AS m`;
  const page =
    `${prefix}SELECT id, sku, name, brand, category_id, price_cents, stock > 0 AS in_stock ` +
    `FROM products WHERE ${condition} ORDER BY ${order} ` +
    `LIMIT ${arg(params.limit)} OFFSET ${arg(params.offset)}`;
  return { page, count, args };
}

export async function searchProducts(req, res) {
  const params = searchParams(req.query);
  const { page, count, args } = searchSql(params);
  const items = await pool.query(page, args);
  const { n } = (await pool.query(count, args.slice(0, -2))).rows[0];
  res.json({
    total: Math.min(n, TOTAL_BOUND),
    total_exact: n <= TOTAL_BOUND,
    limit: params.limit,
    offset: params.offset,
    items: items.rows,
  });
}

export async function getProduct(req, res) {
  const id = Number(req.params.id);
  const { rows } =
    id <= INT32_MAX
      ? await pool.query(
          `SELECT id, sku, name, description, brand, category_id, price_cents, stock, stock > 0 AS in_stock
           FROM products WHERE id = $1`,
          [id],
        )
      : { rows: [] };
  if (rows.length === 0) throw new ApiError(404, `no product ${req.params.id}`);
  res.json(rows[0]);
}
