// The Express app: the access log and request metrics, the routing table of
// apps/contract/openapi.yaml (its templates, `:id` for `{id}`), then the error middleware.
import express from 'express';

import { addItem, createCart, getCart } from './carts.js';
import { pool } from './db.js';
import { ApiError, errorHandler, methodNotAllowed, notFound } from './errors.js';
import { accessLog } from './logger.js';
import { metrics, observeRequests } from './metrics.js';
import { checkout, getOrder } from './orders.js';
import { getProduct, searchProducts } from './products.js';
import { MAX_JSON_DEPTH, isOrderId, isProductId, isUuid, jsonDepthExceeds } from './validate.js';

const BODY_LIMIT_BYTES = 102_400;

/** 413 when Content-Length announces too big a body: before a byte is read or the type looked at. */
function limitBody(req, res, next) {
  if (Number(req.get('Content-Length')) > BODY_LIMIT_BYTES) {
    return next(new ApiError(413, `a body holds at most ${BODY_LIMIT_BYTES} bytes`));
  }
  next();
}

/** 415 unless the body is declared as application/json (parameters such as charset aside). */
function requireJson(req, res, next) {
  const type = req.get('Content-Type') ?? '';
  if (type.split(';')[0].trim().toLowerCase() !== 'application/json') {
    return next(new ApiError(415, 'send the body as application/json'));
  }
  next();
}

/** body-parser's `verify` hook: runs on the raw body before it is parsed. */
function rejectDeepJson(req, res, body, encoding) {
  if (jsonDepthExceeds(body.toString(encoding), MAX_JSON_DEPTH)) {
    throw new ApiError(400, `JSON nests at most ${MAX_JSON_DEPTH} arrays and objects deep`);
  }
}

// The parser's limit cuts off a chunked body (413); requireJson has vetted the Content-Type, so
// the parser reads every body it lets through.
const jsonBody = [
  limitBody,
  requireJson,
  express.json({ type: () => true, limit: BODY_LIMIT_BYTES, verify: rejectDeepJson }),
];

/** A path id that names no resource is an unknown path: 404 before the method or body count. */
const pathId = (valid) => (req, res, next) =>
  valid(req.params.id) ? next() : next(new ApiError(404, `no such resource: ${req.params.id}`));

async function health(req, res) {
  await pool.query({ text: 'SELECT 1', query_timeout: 5000 });
  res.json({ status: 'ok' });
}

export function createApp() {
  const app = express();
  app.disable('x-powered-by');
  app.enable('strict routing'); // "/health/" is not "/health"
  app.enable('case sensitive routing');
  app.use(accessLog, observeRequests);

  app.route('/health').get(health).all(methodNotAllowed);
  app.route('/metrics').get(metrics).all(methodNotAllowed);
  app.route('/products/search').get(searchProducts).all(methodNotAllowed);
  app.route('/products/:id').all(pathId(isProductId)).get(getProduct).all(methodNotAllowed);
  app.route('/carts').post(createCart).all(methodNotAllowed);
  app.route('/carts/:id').all(pathId(isUuid)).get(getCart).all(methodNotAllowed);
  app.route('/carts/:id/items').all(pathId(isUuid)).post(jsonBody, addItem).all(methodNotAllowed);
  app.route('/checkout').post(jsonBody, checkout).all(methodNotAllowed);
  app.route('/orders/:id').all(pathId(isOrderId)).get(getOrder).all(methodNotAllowed);

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
