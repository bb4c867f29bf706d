// Entry point: a node:cluster primary forks one worker per available CPU (or WORKERS); each worker
// serves the app on PORT. SIGTERM stops accepting, lets requests in flight finish, closes the pool.
import cluster from 'node:cluster';

import { serveAggregatedMetrics } from './cluster-metrics.js';
import { availableCpus } from './cpus.js';
import { logger } from './logger.js';

const SHUTDOWN_GRACE_MS = 8000;

function runPrimary() {
  // Round-robin, Node's default on Linux, said explicitly (NODE_CLUSTER_SCHED_POLICY cannot change
  // it): the primary accepts each connection and hands it to the next worker, so connections spread
  // evenly. The NestJS app makes the same choice; see the README.
  cluster.schedulingPolicy = cluster.SCHED_RR;
  const count = Number(process.env.WORKERS) || availableCpus();
  logger.info(`primary ${process.pid}: starting ${count} workers`);
  serveAggregatedMetrics();
  for (let i = 0; i < count; i += 1) cluster.fork();

  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    logger.error(`worker ${worker.process.pid} died (${signal ?? code}); starting another`);
    cluster.fork();
  });
  const stop = (signal) => {
    stopping = true;
    logger.info(`primary ${process.pid}: ${signal}, stopping workers`);
    for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function runWorker() {
  // Only workers load the app and its pool; the primary supervises and aggregates metrics.
  const { createApp } = await import('./app.js');
  const { pool } = await import('./db.js');
  const port = Number(process.env.PORT) || 8080;
  const server = createApp().listen(port, () => logger.info(`worker ${process.pid}: listening on ${port}`));

  const stop = () => {
    server.close(async () => {
      await pool.end();
      process.exit(0);
    });
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (cluster.isPrimary) runPrimary();
else await runWorker();
