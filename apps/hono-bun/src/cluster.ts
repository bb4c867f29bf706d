/**
 * The entry point: one Bun process per CPU (or `WORKERS`), each running src/index.ts on the same
 * port with `reusePort` (the kernel's SO_REUSEPORT balances connections), as Bun documents for a
 * cluster of HTTP servers. This primary serves no requests: it sums the workers' metrics for
 * /metrics, replaces a worker that dies, and passes SIGTERM on.
 */
import type { Subprocess } from 'bun';
import { AggregatorRegistry } from 'prom-client';
import { cpusAvailable } from './cpus';
import { logger } from './logger';
import type { IpcMessage, MetricsJson } from './metrics';

const count = Number(process.env.WORKERS) || cpusAvailable();
const workers = new Set<Subprocess>();
let stopping = false;

function spawnWorker(): void {
  const worker = Bun.spawn({
    cmd: [process.execPath, `${import.meta.dir}/index.ts`],
    stdio: ['ignore', 'inherit', 'inherit'],
    ipc: (message: IpcMessage, from) => onMessage(message, from),
    onExit: (proc, code, signal) => {
      workers.delete(proc);
      if (stopping) return;
      logger.error({ code, signal }, 'a worker died; starting another');
      spawnWorker();
    },
  });
  workers.add(worker);
}

/** A scrape: ask every worker for its registry, sum them, answer the worker that asked. */
const scrapes = new Map<number, { from: Subprocess; scrapeId: number; parts: MetricsJson[]; expected: number }>();
let nextCollect = 0;

function onMessage(message: IpcMessage, from: Subprocess): void {
  if (message.kind === 'scrape') {
    const id = nextCollect++;
    scrapes.set(id, { from, scrapeId: message.id, parts: [], expected: workers.size });
    for (const worker of workers) worker.send({ kind: 'collect', id } satisfies IpcMessage);
  } else if (message.kind === 'metrics') {
    const scrape = scrapes.get(message.id);
    if (!scrape) return;
    scrape.parts.push(message.metrics);
    if (scrape.parts.length < scrape.expected) return;
    scrapes.delete(message.id);
    AggregatorRegistry.aggregate(scrape.parts)
      .metrics()
      .then((text) => scrape.from.send({ kind: 'scraped', id: scrape.scrapeId, text } satisfies IpcMessage));
  }
}

for (let i = 0; i < count; i++) spawnWorker();
logger.info({ workers: count, pool_size: Number(process.env.DB_POOL_SIZE ?? 10) }, 'started');

async function stop(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  const exits = [...workers].map((worker) => worker.exited);
  for (const worker of workers) worker.kill(signal);
  await Promise.race([Promise.all(exits), Bun.sleep(9_000)]);
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
