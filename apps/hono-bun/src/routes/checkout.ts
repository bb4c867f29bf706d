/** `POST /checkout`: a cart becomes an order, all or nothing, at most once per key (RULES.md §5). */
import type { SQL } from 'bun';
import { Hono } from 'hono';
import { sqlState, transaction, withConnection } from '../db';
import { ApiError, notFound } from '../errors';
import { jsonBody } from '../middleware/json-body';
import { loadOrder, type Order } from '../queries';
import { checkout as checkoutBody, idempotencyKey, validate } from '../schemas';

const UNIQUE_VIOLATION = '23505';
const checkout = new Hono();

/** A cart line with its product, locked for the checkout. */
type LockedLine = { product_id: number; name: string; unit_price_cents: number; quantity: number; stock: number };

/** Thrown inside the transaction when the cart is already checked out, to roll it back. */
class CheckedOut extends Error {}

/** Step 2: the order an earlier request made under this key; 200 for the same cart, else 422. */
async function repeat(key: string, cartId: string): Promise<Order | undefined> {
  const order = await withConnection((db) => loadOrder(db, { key }));
  if (order && order.cart_id !== cartId) {
    throw new ApiError(422, 'validation_failed', 'this Idempotency-Key was used with another cart');
  }
  return order;
}

/** Step 3: lock the cart and its products, check stock, and write the order. */
async function placeOrder(tx: SQL, cartId: string, email: string, key: string | null) {
  const [cart] =
    await tx`SELECT checked_out_at IS NOT NULL AS checked_out FROM carts WHERE id = ${cartId} FOR NO KEY UPDATE`;
  if (!cart) throw notFound('no such cart');
  if (cart.checked_out) throw new CheckedOut();
  const lines: LockedLine[] = await tx`
    SELECT ci.product_id, p.name, p.price_cents AS unit_price_cents, ci.quantity, p.stock
    FROM cart_items ci JOIN products p ON p.id = ci.product_id
    WHERE ci.cart_id = ${cartId} ORDER BY ci.product_id FOR NO KEY UPDATE OF p`;
  if (lines.length === 0) throw new ApiError(422, 'validation_failed', 'the cart is empty');
  const short = lines.filter((l) => l.quantity > l.stock);
  if (short.length > 0) {
    throw new ApiError(409, 'out_of_stock', 'not enough stock', {
      product_ids: short.map((l) => l.product_id),
    });
  }
  const items = lines.map(({ product_id, name, unit_price_cents, quantity }) => ({
    product_id,
    name,
    unit_price_cents,
    quantity,
    line_total_cents: unit_price_cents * quantity,
  }));
  const subtotal = items.reduce((sum, l) => sum + BigInt(l.line_total_cents), 0n);
  const tax = (subtotal * 825n + 5000n) / 10000n;
  const productIds = items.map((l) => l.product_id);
  const quantities = items.map((l) => l.quantity);
  const prices = items.map((l) => l.unit_price_cents);

  await tx`UPDATE products p SET stock = p.stock - l.quantity
           FROM unnest(${tx.array(productIds, 'INT')}::int[], ${tx.array(quantities, 'INT')}::int[]) AS l(product_id, quantity)
           WHERE p.id = l.product_id`;
  await tx`UPDATE carts SET checked_out_at = now() WHERE id = ${cartId}`;
  const [order] = await tx`
    INSERT INTO orders (cart_id, email, idempotency_key, subtotal_cents, tax_cents, total_cents)
    VALUES (${cartId}, ${email}, ${key}, ${subtotal.toString()}, ${tax.toString()}, ${(subtotal + tax).toString()})
    RETURNING id, cart_id, status, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at`;
  await tx`INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
           SELECT ${order.id}::bigint, * FROM unnest(${tx.array(productIds, 'INT')}::int[], ${tx.array(quantities, 'INT')}::int[],
                                             ${tx.array(prices, 'INT')}::int[])`;
  return {
    id: Number(order.id),
    cart_id: order.cart_id as string,
    email,
    status: order.status as string,
    items,
    subtotal_cents: Number(subtotal),
    tax_cents: Number(tax),
    total_cents: Number(subtotal + tax),
    created_at: order.created_at as string,
  };
}

checkout.post('/', jsonBody, validate('json', checkoutBody), validate('header', idempotencyKey), async (c) => {
  const { cart_id, email } = c.req.valid('json');
  const key = c.req.valid('header')['Idempotency-Key'] ?? null;
  const cartId = cart_id.toLowerCase();
  if (key !== null) {
    const earlier = await repeat(key, cartId);
    if (earlier) return c.json(earlier, 200);
  }
  try {
    return c.json(await transaction((tx) => placeOrder(tx, cartId, email, key)), 201);
  } catch (err) {
    const raced = err instanceof CheckedOut || sqlState(err) === UNIQUE_VIOLATION;
    if (!raced) throw err;
    // A twin request may just have committed under the same key: answer its order.
    const earlier = key === null ? undefined : await repeat(key, cartId);
    if (earlier) return c.json(earlier, 200);
    if (err instanceof CheckedOut) throw new ApiError(409, 'cart_checked_out', 'the cart is checked out');
    throw err;
  }
});

export default checkout;
