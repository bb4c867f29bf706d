// POST /checkout and GET /orders/:id (RULES.md §5 and §6).
import { subtotal } from './carts.js';
import { pool, transaction } from './db.js';
import { ApiError } from './errors.js';
import { INT64_MAX, checkEmail, expectShape, isUuid } from './validate.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,64}$/;
const CREATED_AT = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at`;

const ORDER_LINES = `
SELECT oi.product_id, p.name, oi.unit_price_cents, oi.quantity,
       oi.unit_price_cents::bigint * oi.quantity AS line_total_cents
FROM order_items oi JOIN products p ON p.id = oi.product_id
WHERE oi.order_id = $1
ORDER BY oi.product_id`;

// The cart's lines with their products locked, always in product_id order: no deadlocks.
const LOCKED_LINES = `
SELECT ci.product_id, p.name, p.price_cents AS unit_price_cents, ci.quantity,
       p.price_cents::bigint * ci.quantity AS line_total_cents, p.stock
FROM cart_items ci JOIN products p ON p.id = ci.product_id
WHERE ci.cart_id = $1
ORDER BY ci.product_id
FOR NO KEY UPDATE OF p`;

/** A locked row as the contract's line: everything but stock. */
const asLine = ({ product_id, name, unit_price_cents, quantity, line_total_cents }) => ({
  product_id,
  name,
  unit_price_cents,
  quantity,
  line_total_cents,
});

/** 8.25 %, rounded half up, in 64-bit integer arithmetic (BigInt): no float rounds it. */
export const taxCents = (subtotalCents) => Number((BigInt(subtotalCents) * 825n + 5000n) / 10000n);

const cartCheckedOut = () => new ApiError(409, 'the cart is already checked out', { code: 'cart_checked_out' });

async function loadOrder(column, value) {
  const { rows } = await pool.query(
    `SELECT id, cart_id, email, status, subtotal_cents, tax_cents, total_cents, ${CREATED_AT}
     FROM orders WHERE ${column} = $1`,
    [value],
  );
  if (rows.length === 0) return null;
  const lines = await pool.query(ORDER_LINES, [rows[0].id]);
  return { ...rows[0], items: lines.rows };
}

/** The order an earlier request with this key created, if any. */
async function replay(key, cartId) {
  const order = await loadOrder('idempotency_key', key);
  if (order && order.cart_id !== cartId) throw new ApiError(422, 'this Idempotency-Key was used for another cart');
  return order;
}

/** Steps 3.1 to 3.4 of RULES.md §5, inside the caller's transaction. */
async function placeOrder(client, cartId, email, key) {
  const carts = await client.query('SELECT checked_out_at FROM carts WHERE id = $1 FOR NO KEY UPDATE', [cartId]);
  if (carts.rowCount === 0) throw new ApiError(404, `no cart ${cartId}`);
  if (carts.rows[0].checked_out_at !== null) throw cartCheckedOut();
  const { rows: lines } = await client.query(LOCKED_LINES, [cartId]);
  if (lines.length === 0) throw new ApiError(422, 'the cart is empty');
  const short = lines.filter((line) => line.quantity > line.stock).map((line) => line.product_id);
  if (short.length > 0) throw new ApiError(409, 'not enough stock', { code: 'out_of_stock', product_ids: short });

  await client.query(
    `UPDATE products p SET stock = p.stock - ci.quantity FROM cart_items ci
     WHERE ci.cart_id = $1 AND p.id = ci.product_id`,
    [cartId],
  );
  await client.query('UPDATE carts SET checked_out_at = now() WHERE id = $1', [cartId]);
  const items = lines.map(asLine);
  const subtotalCents = subtotal(items);
  const tax = taxCents(subtotalCents);
  const { rows } = await client.query(
    `INSERT INTO orders (cart_id, email, idempotency_key, subtotal_cents, tax_cents, total_cents)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, status, ${CREATED_AT}`,
    [cartId, email, key ?? null, subtotalCents, tax, subtotalCents + tax],
  );
  const order = rows[0];
  await client.query(
    `INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
     SELECT $1, ci.product_id, ci.quantity, p.price_cents
     FROM cart_items ci JOIN products p ON p.id = ci.product_id WHERE ci.cart_id = $2`,
    [order.id, cartId],
  );
  return {
    id: order.id,
    cart_id: cartId,
    email,
    status: order.status,
    items,
    subtotal_cents: subtotalCents,
    tax_cents: tax,
    total_cents: subtotalCents + tax,
    created_at: order.created_at,
  };
}

export async function checkout(req, res) {
  const body = expectShape(req.body, { cart_id: 'string', email: 'string' });
  const key = req.get('Idempotency-Key');
  if (!isUuid(body.cart_id)) throw new ApiError(422, 'cart_id must be a UUID');
  checkEmail(body.email);
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new ApiError(422, 'Idempotency-Key must be 1 to 64 visible ASCII characters');
  }
  const cartId = body.cart_id.toLowerCase();

  const earlier = key !== undefined && (await replay(key, cartId));
  if (earlier) return res.status(200).json(earlier);
  try {
    const order = await transaction((client) => placeOrder(client, cartId, body.email, key));
    res.status(201).json(order);
  } catch (err) {
    const twinMayHaveWon = err.code === 'cart_checked_out' || err.constraint === 'orders_idempotency_key_key';
    const twin = key !== undefined && twinMayHaveWon && (await replay(key, cartId));
    if (!twin) throw err;
    res.status(200).json(twin);
  }
}

export async function getOrder(req, res) {
  const id = req.params.id;
  const order = BigInt(id) <= INT64_MAX && (await loadOrder('id', id));
  if (!order) throw new ApiError(404, `no order ${id}`);
  res.json(order);
}
