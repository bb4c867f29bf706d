/**
 * /metrics with prom-client: @hono/prometheus times every request into
 * `http_request_duration_seconds`; prom-client's default metrics give CPU, memory and event-loop
 * lag; the pool gauges read `pool` from db.ts; Bun's GC profiler feeds `bun_gc_duration_seconds`.
 *
 * Every worker keeps its own registry. A scrape asks the primary (cluster.ts) over Bun's IPC
 * channel; the primary collects every worker's registry as JSON and sums them with prom-client's
 * AggregatorRegistry, so one scrape sees the whole app.
 */
import { prometheus } from '@hono/prometheus';
import { GCProfiler } from 'node:v8';
import { Gauge, Histogram, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import { pool } from './db';

export const registry = new Registry();

export const { registerMetrics } = prometheus({
  registry,
  collectDefaultMetrics: true,
  // The middleware's own buckets (5 ms … 10 s) hold the contract's; its request counter would
  // repeat the histogram's _count.
  metricOptions: { requestsTotal: { disabled: true } },
});

// Bun never emits the `gc` performance entries this family of prom-client waits for.
registry.removeSingleMetric('nodejs_gc_duration_seconds');

const gauge = (name: string, help: string, read: () => number) =>
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
gauge('db_pool_connections_in_use', 'Connections reserved by a request now', () => pool.inUse);
gauge('db_pool_connections_idle', 'Open connections not reserved', () => Math.max(0, pool.open - pool.inUse));
gauge('db_pool_requests_waiting', 'Requests waiting for a connection', () => pool.waiting);
gauge('db_pool_connections_max', 'Most connections the pool opens', () => pool.max);

/** JavaScriptCore's collections, as Bun's node:v8 GCProfiler reports them (cost in µs). */
const gcDuration = new Histogram({
  name: 'bun_gc_duration_seconds',
  help: 'Garbage collection pauses, by kind (Scavenge: eden, MarkSweepCompact: full)',
  labelNames: ['kind'],
  buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
  registers: [registry],
  collect: drainGcProfile,
});
let profiler = new GCProfiler();
profiler.start();
function drainGcProfile() {
  const profile = profiler.stop();
  profiler = new GCProfiler();
  profiler.start();
  for (const gc of profile?.statistics ?? []) gcDuration.observe({ kind: gc.gcType }, gc.cost / 1e6);
}
setInterval(drainGcProfile, 10_000).unref();

// ---- aggregation over the primary's IPC channel ---------------------------------------------

export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];
export type IpcMessage =
  | { kind: 'scrape'; id: number }
  | { kind: 'collect'; id: number }
  | { kind: 'metrics'; id: number; metrics: MetricsJson }
  | { kind: 'scraped'; id: number; text: string };

const waiting = new Map<number, (text: string) => void>();
let nextId = 0;

process.on('message', async (message: IpcMessage) => {
  if (message.kind === 'collect') {
    process.send!({ kind: 'metrics', id: message.id, metrics: await registry.getMetricsAsJSON() } as IpcMessage);
  } else if (message.kind === 'scraped') {
    waiting.get(message.id)?.(message.text);
    waiting.delete(message.id);
  }
});

/** The whole app's metrics: the primary's sum of every worker, or this process alone without one. */
export function scrape(): Promise<string> {
  if (!process.send) return registry.metrics();
  const id = nextId++;
  const answer = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error('the primary did not answer a scrape in 5 s'));
    }, 5_000);
    waiting.set(id, (text) => {
      clearTimeout(timer);
      resolve(text);
    });
  });
  process.send({ kind: 'scrape', id } as IpcMessage);
  return answer;
}
