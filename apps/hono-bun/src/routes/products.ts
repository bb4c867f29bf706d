/** `GET /products/search` (RULES.md §3) and `GET /products/{id}`. */
import { Hono } from 'hono';
import { sql as client, withConnection } from '../db';
import { notFound } from '../errors';
import { search, validate } from '../schemas';

const INT32_MAX = 2_147_483_647;
const TOTAL_BOUND = 1000;
const products = new Hono();

products.get('/search', validate('query', search), async (c) => {
  const { q, category, brand, min_price, max_price, in_stock, limit, offset } = c.req.valid('query');
  const sort = c.req.valid('query').sort ?? (q === undefined ? 'price_asc' : 'relevance');
  // Only the filters given, so the planner sees the real query; rows and order are the canonical SQL's.
  const sql = client;
  const subtree =
    category === undefined
      ? sql``
      : sql`WITH RECURSIVE subtree(id) AS (
              SELECT id FROM categories WHERE id = ${category}
              UNION
              SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id)`;
  const where = sql`WHERE true
    ${q === undefined ? sql`` : sql`AND p.search_vector @@ websearch_to_tsquery('english', ${q})`}
    ${category === undefined ? sql`` : sql`AND p.category_id IN (SELECT id FROM subtree)`}
    ${brand === undefined ? sql`` : sql`AND p.brand = ${brand}`}
    ${min_price === undefined ? sql`` : sql`AND p.price_cents >= ${min_price}`}
    ${max_price === undefined ? sql`` : sql`AND p.price_cents <= ${max_price}`}
    ${in_stock === undefined ? sql`` : sql`AND (p.stock > 0) = ${in_stock === 'true'}`}`;
  const order =
    sort === 'price_asc'
      ? sql`p.price_cents ASC, p.id ASC`
      : sort === 'price_desc'
        ? sql`p.price_cents DESC, p.id ASC`
        : q === undefined
          ? sql`p.id ASC`
          : sql`ts_rank_cd(p.search_vector, websearch_to_tsquery('english', ${q})) DESC, p.id ASC`;

  const [items, [{ matches }]] = await withConnection((db) =>
    Promise.all([
      db`${subtree}
         SELECT p.id, p.sku, p.name, p.brand, p.category_id, p.price_cents, p.stock > 0 AS in_stock
         FROM products p ${where} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`,
      db`${subtree}
         SELECT count(*)::int AS matches FROM (SELECT 1 FROM products p ${where} LIMIT ${TOTAL_BOUND + 1}) AS m`,
    ]),
  );
  return c.json({
    total: Math.min(matches, TOTAL_BOUND),
    total_exact: matches <= TOTAL_BOUND,
    limit,
    offset,
    items,
  });
});

products.get('/:id{[1-9][0-9]{0,9}}', async (c) => {
  const id = Number(c.req.param('id'));
  if (id > INT32_MAX) throw notFound('no such product');
  const [product] = await withConnection(
    (db) => db`SELECT id, sku, name, description, brand, category_id, price_cents, stock, stock > 0 AS in_stock
               FROM products WHERE id = ${id}`,
  );
  if (!product) throw notFound('no such product');
  return c.json(product);
});

export default products;
