/** `POST /carts`, `GET /carts/{id}` and `POST /carts/{id}/items` (RULES.md §4). */
import { Hono } from 'hono';
import { transaction, withConnection } from '../db';
import { ApiError, notFound } from '../errors';
import { jsonBody } from '../middleware/json-body';
import { loadCart } from '../queries';
import { addItem, validate } from '../schemas';

const ID = ':id{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}}';
const carts = new Hono();

carts.post('/', async (c) => {
  const [cart] = await withConnection((db) => db`INSERT INTO carts DEFAULT VALUES RETURNING id`);
  return c.json({ id: cart.id, items: [], subtotal_cents: 0 }, 201);
});

carts.get(`/${ID}`, async (c) => {
  const cart = await withConnection((db) => loadCart(db, c.req.param('id')));
  if (!cart) throw notFound('no such cart');
  return c.json(cart);
});

carts.post(`/${ID}/items`, jsonBody, validate('json', addItem), async (c) => {
  const id = c.req.param('id');
  const { product_id, quantity } = c.req.valid('json');
  const cart = await transaction(async (tx) => {
    const [found] = await tx`SELECT checked_out_at IS NOT NULL AS checked_out FROM carts WHERE id = ${id} FOR SHARE`;
    if (!found) throw notFound('no such cart');
    if (found.checked_out) throw new ApiError(409, 'cart_checked_out', 'the cart is checked out');
    const [product] = await tx`SELECT 1 FROM products WHERE id = ${product_id}`;
    if (!product) throw notFound('no such product');
    const [line] = await tx`
      INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (${id}, ${product_id}, ${quantity})
      ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = cart_items.quantity + EXCLUDED.quantity
        WHERE cart_items.quantity + EXCLUDED.quantity <= 100
      RETURNING quantity`;
    if (!line) throw new ApiError(422, 'validation_failed', 'a line holds at most 100');
    return loadCart(tx, id);
  });
  return c.json(cart!);
});

export default carts;
