/**
 * The Hono app: middleware first (access log, metrics, 405 with `Allow`), then one route file per
 * resource of openapi.yaml, then the not-found and error handlers that write the contract's body.
 */
import { Hono } from 'hono';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { withConnection } from './db';
import { ApiError, errorBody, onError, onNotFound } from './errors';
import { registry, registerMetrics, scrape } from './metrics';
import { accessLog } from './middleware/access-log';
import carts from './routes/carts';
import checkout from './routes/checkout';
import orders from './routes/orders';
import products from './routes/products';

const app = new Hono();

app.use(accessLog);
app.use(registerMetrics);
app.use(
  methodNotAllowed({
    app,
    onMethodNotAllowed: (c, methods) =>
      errorBody(c, 405, 'method_not_allowed', `${c.req.method} is not allowed here`, {}, { Allow: methods.join(', ') }),
  }),
);

app.get('/health', async (c) => {
  try {
    await withConnection((db) => db`SELECT 1`, AbortSignal.timeout(5_000));
  } catch (err) {
    throw new ApiError(503, 'unavailable', `the database does not answer: ${(err as Error).message}`);
  }
  return c.json({ status: 'ok' });
});

app.get('/metrics', async (c) => c.body(await scrape(), 200, { 'Content-Type': registry.contentType }));

app.route('/products', products);
app.route('/carts', carts);
app.route('/checkout', checkout);
app.route('/orders', orders);

app.notFound(onNotFound);
app.onError(onError);

export default app;
