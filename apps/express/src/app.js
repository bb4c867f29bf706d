// The Express app: the routing table of apps/contract/openapi.yaml, then the error middleware.
import express from 'express';

import { addItem, createCart, getCart } from './carts.js';
import { pool } from './db.js';
import { ApiError, errorHandler, methodNotAllowed, notFound } from './errors.js';
import { checkout, getOrder } from './orders.js';
import { getProduct, searchProducts } from './products.js';

/** 415 unless the body is declared as application/json (parameters such as charset aside). */
function requireJson(req, res, next) {
  const type = req.get('Content-Type') ?? '';
  if (type.split(';')[0].trim().toLowerCase() !== 'application/json') {
    return next(new ApiError(415, 'send the body as application/json'));
  }
  next();
}

// requireJson has vetted the Content-Type, so the parser reads every body it lets through.
const jsonBody = [requireJson, express.json({ type: () => true })];

async function health(req, res) {
  await pool.query({ text: 'SELECT 1', query_timeout: 5000 });
  res.json({ status: 'ok' });
}

export function createApp() {
  const app = express();
  app.disable('x-powered-by');
  app.enable('strict routing'); // "/health/" is not "/health"
  app.enable('case sensitive routing');

  app.route('/health').get(health).all(methodNotAllowed);
  app.route('/products/search').get(searchProducts).all(methodNotAllowed);
  app.route('/products/:id').get(getProduct).all(methodNotAllowed);
  app.route('/carts').post(createCart).all(methodNotAllowed);
  app.route('/carts/:id').get(getCart).all(methodNotAllowed);
  app.route('/carts/:id/items').post(jsonBody, addItem).all(methodNotAllowed);
  app.route('/checkout').post(jsonBody, checkout).all(methodNotAllowed);
  app.route('/orders/:id').get(getOrder).all(methodNotAllowed);

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
