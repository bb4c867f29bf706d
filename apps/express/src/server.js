// Entry point: a node:cluster primary forks one worker per available CPU (or WORKERS); each worker
// serves the app on PORT. SIGTERM stops accepting, lets requests in flight finish, closes the pool.
import cluster from 'node:cluster';

import { availableCpus } from './cpus.js';

const SHUTDOWN_GRACE_MS = 8000;

function runPrimary() {
  const count = Number(process.env.WORKERS) || availableCpus();
  console.log(`primary ${process.pid}: starting ${count} workers`);
  for (let i = 0; i < count; i += 1) cluster.fork();

  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.error(`worker ${worker.process.pid} died (${signal ?? code}); starting another`);
    cluster.fork();
  });
  const stop = (signal) => {
    stopping = true;
    console.log(`primary ${process.pid}: ${signal}, stopping workers`);
    for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function runWorker() {
  // Only workers load the app and its pool; the primary just supervises.
  const { createApp } = await import('./app.js');
  const { pool } = await import('./db.js');
  const port = Number(process.env.PORT) || 8080;
  const server = createApp().listen(port, () => console.log(`worker ${process.pid}: listening on ${port}`));

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
