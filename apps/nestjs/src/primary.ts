// The node:cluster primary: forks the workers, replaces one that dies, and on SIGTERM/SIGINT asks
// every worker to stop and exits 0 once they all have (or after a grace period).
import cluster from 'node:cluster';

const GRACE_MS = 9_000;

export function superviseWorkers(count: number): void {
  // The workers accept connections on the shared socket themselves, rather than the primary
  // accepting each one and handing it to a worker over IPC (the round-robin default).
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  console.log(`primary ${process.pid}: starting ${count} worker(s)`);
  for (let i = 0; i < count; i += 1) cluster.fork();

  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(`worker ${worker.process.pid} died (${signal ?? code}); starting another`);
    cluster.fork();
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`primary ${process.pid}: ${signal}, stopping workers`);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    setTimeout(() => process.exit(0), GRACE_MS).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
