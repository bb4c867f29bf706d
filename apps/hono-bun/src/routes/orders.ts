/** `GET /orders/{id}` (RULES.md §6). */
import { Hono } from 'hono';
import { withConnection } from '../db';
import { notFound } from '../errors';
import { loadOrder } from '../queries';

const INT64_MAX = 9_223_372_036_854_775_807n;
const orders = new Hono();

orders.get('/:id{[1-9][0-9]{0,18}}', async (c) => {
  const id = c.req.param('id');
  const order = BigInt(id) <= INT64_MAX ? await withConnection((db) => loadOrder(db, { id })) : undefined;
  if (!order) throw notFound('no such order');
  return c.json(order);
});

export default orders;
