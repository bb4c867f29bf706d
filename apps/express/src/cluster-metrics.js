// One scrape sees the whole cluster: prom-client's AggregatorRegistry in the primary collects every
// worker's registry over the cluster's IPC channel and sums them. The worker that serves
// GET /metrics asks the primary for that sum over the same channel.
import cluster from 'node:cluster';

import { AggregatorRegistry } from 'prom-client';

const REQUEST = 'bakeoff:metrics-request';
const RESPONSE = 'bakeoff:metrics-response';

// Created in the workers too: there it answers the primary's requests for their metrics.
const aggregator = new AggregatorRegistry();

export const metricsContentType = aggregator.contentType;

/** Primary: answers a worker's request with the aggregated metrics of all workers. */
export function serveAggregatedMetrics() {
  cluster.on('message', (worker, message) => {
    if (message?.type !== REQUEST) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: RESPONSE, id: message.id, text }),
      (err) => worker.send({ type: RESPONSE, id: message.id, error: err.message }),
    );
  });
}

const pending = new Map();
let lastId = 0;

if (cluster.isWorker) {
  process.on('message', (message) => {
    if (message?.type !== RESPONSE) return;
    const request = pending.get(message.id);
    pending.delete(message.id);
    if (message.error === undefined) request?.resolve(message.text);
    else request?.reject(new Error(`metrics aggregation failed: ${message.error}`));
  });
}

/** Worker: the aggregated metrics in the Prometheus text format, from the primary. */
export function aggregatedMetrics() {
  return new Promise((resolve, reject) => {
    lastId += 1;
    pending.set(lastId, { resolve, reject });
    process.send({ type: REQUEST, id: lastId });
  });
}
