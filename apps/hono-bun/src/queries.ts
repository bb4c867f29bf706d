/** Reading a cart and an order as the contract prints them (RULES.md §4, §6). */
import type { SQL } from 'bun';

type Line = { product_id: number; name: string; unit_price_cents: number; quantity: number };

const priced = (lines: Line[]) => lines.map((l) => ({ ...l, line_total_cents: l.unit_price_cents * l.quantity }));
const sum = (lines: { line_total_cents: number }[]) => lines.reduce((total, l) => total + l.line_total_cents, 0);

/** The cart at current prices, or undefined when there is none. */
export async function loadCart(db: SQL, id: string) {
  const [cart] = await db`SELECT id FROM carts WHERE id = ${id}`;
  if (!cart) return undefined;
  const items = priced(
    await db`SELECT ci.product_id, p.name, p.price_cents AS unit_price_cents, ci.quantity
             FROM cart_items ci JOIN products p ON p.id = ci.product_id
             WHERE ci.cart_id = ${id} ORDER BY ci.product_id`,
  );
  return { id: cart.id as string, items, subtotal_cents: sum(items) };
}

export type Order = NonNullable<Awaited<ReturnType<typeof loadOrder>>>;

/** The order with the prices charged, by id or by idempotency key; undefined when there is none. */
export async function loadOrder(db: SQL, by: { id: string } | { key: string }) {
  // created_at as every app prints it: UTC, six fractional digits, `Z` (RULES.md §6).
  const [order] = await db`
    SELECT id, cart_id, email, status, subtotal_cents, tax_cents, total_cents,
           to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at
    FROM orders WHERE ${'id' in by ? db`id = ${by.id}` : db`idempotency_key = ${by.key}`}`;
  if (!order) return undefined;
  const items = priced(
    await db`SELECT oi.product_id, p.name, oi.unit_price_cents, oi.quantity
             FROM order_items oi JOIN products p ON p.id = oi.product_id
             WHERE oi.order_id = ${order.id} ORDER BY oi.product_id`,
  );
  return {
    id: Number(order.id),
    cart_id: order.cart_id as string,
    email: order.email as string,
    status: order.status as string,
    items,
    subtotal_cents: Number(order.subtotal_cents),
    tax_cents: Number(order.tax_cents),
    total_cents: Number(order.total_cents),
    created_at: order.created_at as string,
  };
}
