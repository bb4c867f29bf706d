/**
 * The access log (RULES.md §8): one pino line per request once the response is ready, with the
 * route as openapi.yaml spells it, and the request id, which every response carries back.
 */
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import { logger } from '../logger';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** `/carts/:id{[0-9A-Fa-f]{8}-…}/items` → `/carts/{id}/items`. */
export const template = (path: string) =>
  path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? `{${segment.slice(1).split('{')[0]}}` : segment))
    .join('/');

export const accessLog = createMiddleware(async (c, next) => {
  const start = performance.now();
  const sent = c.req.header('X-Request-Id');
  const requestId = sent && REQUEST_ID.test(sent) ? sent : crypto.randomUUID();
  c.header('X-Request-Id', requestId);
  await next();
  // The handler's route, if one matched; `app.use` middleware is registered for method ALL.
  const route = matchedRoutes(c).findLast((r) => r.method !== 'ALL');
  const line = {
    method: c.req.method,
    route: route ? template(route.path) : null,
    status: c.res.status,
    duration_ms: Math.round((performance.now() - start) * 1000) / 1000,
    request_id: requestId,
  };
  if (c.res.status >= 500) logger.error({ ...line, error: c.error?.stack ?? c.error?.message });
  else logger.info(line);
});
