// One pg Pool per worker process, opened lazily and sized by DB_POOL_SIZE (RULES.md §7).
import pg from 'pg';

import { logger } from './logger.js';

// bigint (orders.id, money sums, count(*)) as a JSON number, not a string.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

export const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DB_POOL_SIZE) || 10,
  connectionTimeoutMillis: 5000,
});

// An idle client losing its connection must not crash the process; the pool replaces it.
pool.on('error', (err) => logger.error(`idle database client failed: ${err.message}`));

/** Runs `work(client)` inside BEGIN/COMMIT on one client; rolls back if it throws. */
export async function transaction(work) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
      client.release();
    } catch (rollbackErr) {
      client.release(rollbackErr); // a broken connection is discarded, not reused
    }
    throw err;
  }
}
