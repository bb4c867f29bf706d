// The route a request matched, as a template (`/carts/:id/items`), for the access log and metrics.
import type { IncomingMessage } from 'node:http';

// Nest mounts middleware for every path (the access log's, the metrics') as an Express route on
// this wildcard; a request that matched nothing else carries it and has no route.
const EVERY_PATH = '{/*splat}';

/** Express's `req.route.path` of the matched route; null when no route matched. */
export function routeTemplate(req: IncomingMessage): string | null {
  const path = (req as { route?: { path?: unknown } }).route?.path;
  return typeof path === 'string' && path !== EVERY_PATH ? path : null;
}
