/**
 * One worker: the Hono app on `Bun.serve`, sharing the port with the other workers through
 * `reusePort`. On SIGTERM it stops accepting, lets requests in flight finish, closes its pool
 * and exits 0 (RULES.md §7).
 */
import app from './app';
import { sql } from './db';
import { logger } from './logger';

const server = Bun.serve({
  port: Number(process.env.PORT ?? 8080),
  reusePort: true,
  development: false,
  fetch: app.fetch,
});

async function shutdown() {
  await Promise.race([server.stop(), Bun.sleep(6_000)]);
  await server.stop(true);
  await sql.close({ timeout: 2 });
  process.exit(0);
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
logger.debug({ port: server.port }, 'listening');
