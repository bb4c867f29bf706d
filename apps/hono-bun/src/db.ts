/**
 * PostgreSQL through Bun's built-in client (`Bun.SQL`), one pool per worker process.
 *
 * Bun's pool reports nothing about itself, so the gauges of /metrics are counted here: every
 * request borrows one connection with `reserve()` (`withConnection`, `transaction`) and gives it
 * back with `release()`, and the pool's own `onconnect`/`onclose` hooks count open connections.
 */
import { SQL, type ReservedSQL } from 'bun';

const poolSize = Number(process.env.DB_POOL_SIZE ?? 10);

/** The pool's state as /metrics shows it. */
export const pool = { open: 0, inUse: 0, waiting: 0, max: poolSize };

export const sql = new SQL(process.env.DATABASE_URL!, {
  max: poolSize,
  connectionTimeout: 5, // seconds: /health answers 503 within 5 s when the database is away
  idleTimeout: 60,
  onconnect: () => {
    pool.open++;
  },
  // Also called for an attempt that never connected, when nothing is open to close.
  onclose: () => {
    pool.open = Math.max(0, pool.open - 1);
  },
});

/** Runs `work` on a connection of its own, counted as in use until it is released. */
export async function withConnection<T>(work: (db: ReservedSQL) => Promise<T>, signal?: AbortSignal): Promise<T> {
  pool.waiting++;
  let db: ReservedSQL;
  try {
    db = await sql.reserve({ signal });
  } finally {
    pool.waiting--;
  }
  pool.inUse++;
  try {
    return await work(db);
  } finally {
    pool.inUse--;
    db.release();
  }
}

/** Runs `work` in one transaction (BEGIN … COMMIT, ROLLBACK when it throws). */
export const transaction = <T>(work: (tx: SQL) => Promise<T>) =>
  withConnection((db) => db.begin((tx) => work(tx)) as Promise<T>);

/** SQLSTATE classes that mean the server is going away or cannot take us. */
const UNAVAILABLE_STATES = /^(08|53|57P)/;

/** Bun's codes for a connection that failed, closed or timed out, and the system's own. */
const CONNECTION_CODES =
  /^(ERR_POSTGRES_(CONNECTION_|.*TIMEOUT|TLS|.*AUTH)|ECONN|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|EAI_)/;

/** True when an error says the database does not answer (503), not that a statement failed. */
export function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'AbortError' || err.name === 'TimeoutError') return true;
  const { code, errno } = err as { code?: string; errno?: string };
  if (code === 'ERR_POSTGRES_SERVER_ERROR') return UNAVAILABLE_STATES.test(errno ?? '');
  return typeof code === 'string' && CONNECTION_CODES.test(code);
}

/** SQLSTATE of a PostgreSQL error (`23505` for a unique violation). */
export const sqlState = (err: unknown) => (err as { errno?: string }).errno;
