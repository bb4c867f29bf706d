// Entry point. The node:cluster primary forks one worker per available CPU (or WORKERS) and only
// supervises them, so it never loads the application; each worker imports and serves it.
import cluster from 'node:cluster';

import { availableCpus } from './cpus.js';
import { superviseWorkers } from './primary.js';

if (cluster.isPrimary) {
  superviseWorkers(Number(process.env.WORKERS) || availableCpus());
} else {
  await import('./worker.js');
}
