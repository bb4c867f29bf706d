// One scrape sees every worker: prom-client's AggregatorRegistry in the cluster primary asks each
// worker for its registry over the cluster's IPC channel and sums them. The worker that serves
// GET /metrics asks the primary for that sum over the same channel.
import cluster from 'node:cluster';

import { AggregatorRegistry } from 'prom-client';

interface MetricsRequest {
  type: 'nest:metrics-request';
  id: number;
}
interface MetricsResponse {
  type: 'nest:metrics-response';
  id: number;
  text?: string;
  error?: string;
}

// Workers create one too: that is what makes them answer the primary's requests.
const aggregator = new AggregatorRegistry();

export const metricsContentType = aggregator.contentType;

/** In the primary: answer each worker's request with the sum of all workers' metrics. */
export function serveClusterMetrics(): void {
  cluster.on('message', (worker, message: MetricsRequest) => {
    if (message?.type !== 'nest:metrics-request') return;
    const reply = (fields: Partial<MetricsResponse>) =>
      worker.send({ type: 'nest:metrics-response', id: message.id, ...fields } satisfies MetricsResponse);
    aggregator.clusterMetrics().then(
      (text) => reply({ text }),
      (err: Error) => reply({ error: err.message }),
    );
  });
}

const waiting = new Map<number, { resolve: (text: string) => void; reject: (err: Error) => void }>();
let lastId = 0;

if (cluster.isWorker) {
  process.on('message', (message: MetricsResponse) => {
    if (message?.type !== 'nest:metrics-response') return;
    const request = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error === undefined) request?.resolve(message.text ?? '');
    else request?.reject(new Error(`the primary could not aggregate metrics: ${message.error}`));
  });
}

/** In a worker: every worker's metrics in the Prometheus text format, summed by the primary. */
export function clusterMetrics(): Promise<string> {
  return new Promise((resolve, reject) => {
    lastId += 1;
    waiting.set(lastId, { resolve, reject });
    process.send?.({ type: 'nest:metrics-request', id: lastId } satisfies MetricsRequest);
  });
}
