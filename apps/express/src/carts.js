// POST /carts, GET /carts/:id and POST /carts/:id/items (RULES.md §4).
import { pool, transaction } from './db.js';
import { ApiError } from './errors.js';
import { INT32_MAX, checkRange, expectShape } from './validate.js';

const CART_LINES = `
SELECT ci.product_id, p.name, p.price_cents AS unit_price_cents, ci.quantity,
       p.price_cents::bigint * ci.quantity AS line_total_cents
FROM cart_items ci JOIN products p ON p.id = ci.product_id
WHERE ci.cart_id = $1
ORDER BY ci.product_id`;

export const subtotal = (items) => items.reduce((sum, line) => sum + line.line_total_cents, 0);

async function loadCart(db, id) {
  const { rows } = await db.query(CART_LINES, [id]);
  return { id, items: rows, subtotal_cents: subtotal(rows) };
}

export async function createCart(req, res) {
  const { rows } = await pool.query('INSERT INTO carts DEFAULT VALUES RETURNING id');
  res.status(201).json({ id: rows[0].id, items: [], subtotal_cents: 0 });
}

export async function getCart(req, res) {
  const id = req.params.id.toLowerCase();
  const { rowCount } = await pool.query('SELECT 1 FROM carts WHERE id = $1', [id]);
  if (rowCount === 0) throw new ApiError(404, `no cart ${id}`);
  res.json(await loadCart(pool, id));
}

export async function addItem(req, res) {
  const { product_id: productId, quantity } = expectShape(req.body, { product_id: 'integer', quantity: 'integer' });
  checkRange('product_id', productId, 1, INT32_MAX);
  checkRange('quantity', quantity, 1, 100);
  const id = req.params.id.toLowerCase();

  const cart = await transaction(async (client) => {
    const carts = await client.query('SELECT checked_out_at FROM carts WHERE id = $1 FOR SHARE', [id]);
    if (carts.rowCount === 0) throw new ApiError(404, `no cart ${id}`);
    if (carts.rows[0].checked_out_at !== null) {
      throw new ApiError(409, 'the cart is already checked out', { code: 'cart_checked_out' });
    }
    const products = await client.query('SELECT 1 FROM products WHERE id = $1', [productId]);
    if (products.rowCount === 0) throw new ApiError(404, `no product ${productId}`);
    const added = await client.query(
      `INSERT INTO cart_items AS ci (cart_id, product_id, quantity) VALUES ($1, $2, $3)
       ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = ci.quantity + EXCLUDED.quantity
       WHERE ci.quantity + EXCLUDED.quantity <= 100
       RETURNING quantity`,
      [id, productId, quantity],
    );
    if (added.rowCount === 0) throw new ApiError(422, 'a cart line holds at most 100 of a product');
    return loadCart(client, id);
  });
  res.json(cart);
}
