// The worker's metrics (RULES.md §8) with prom-client: its default process and Node.js metrics,
// a request-duration histogram by method, route template and status, and the pg pool's gauges.
import { Gauge, Histogram, collectDefaultMetrics } from 'prom-client';

import { aggregatedMetrics, metricsContentType } from './cluster-metrics.js';
import { pool } from './db.js';

collectDefaultMetrics();

const requestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time from a request arriving to its response being sent, by method, route template and status.',
  labelNames: ['method', 'route', 'status_code'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

/** A gauge read from the pool whenever metrics are collected. */
const poolGauge = (name, help, read) =>
  new Gauge({
    name,
    help,
    collect() {
      this.set(read());
    },
  });

poolGauge('db_pool_connections_in_use', 'Connections lent out now.', () => pool.totalCount - pool.idleCount);
poolGauge('db_pool_connections_idle', 'Open connections not lent out.', () => pool.idleCount);
poolGauge('db_pool_requests_waiting', 'Queries waiting for a connection.', () => pool.waitingCount);

/** Middleware: observes every request once its response is sent. */
export function observeRequests(req, res, next) {
  const end = requestDuration.startTimer();
  res.on('finish', () => end({ method: req.method, route: req.route?.path ?? 'none', status_code: res.statusCode }));
  next();
}

/** GET /metrics: every worker's metrics, summed by the cluster primary. */
export async function metrics(req, res) {
  res.set('Content-Type', metricsContentType).send(await aggregatedMetrics());
}
