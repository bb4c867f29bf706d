// The node:cluster primary: forks the workers, sums their metrics for /metrics, replaces one that
// dies, and on SIGTERM/SIGINT asks every worker to stop and exits 0 once they all have (or after a
// grace period).
import cluster from 'node:cluster';

import { pino } from 'pino';

import { pinoOptions } from './logging/logger.options.js';
import { serveClusterMetrics } from './metrics/cluster-metrics.js';

const GRACE_MS = 9_000;
const logger = pino(pinoOptions);

export function superviseWorkers(count: number): void {
  // Round-robin, Node's default on Linux, said explicitly (NODE_CLUSTER_SCHED_POLICY cannot change
  // it): the primary accepts each connection and hands it to the next worker, so connections spread
  // evenly. The Express app makes the same choice; see the README.
  cluster.schedulingPolicy = cluster.SCHED_RR;
  logger.info(`primary ${process.pid}: starting ${count} worker(s)`);
  serveClusterMetrics();
  for (let i = 0; i < count; i += 1) cluster.fork();

  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error(`worker ${worker.process.pid} died (${signal ?? code}); starting another`);
    cluster.fork();
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info(`primary ${process.pid}: ${signal}, stopping workers`);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    setTimeout(() => process.exit(0), GRACE_MS).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
