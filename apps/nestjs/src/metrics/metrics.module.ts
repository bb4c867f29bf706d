// /metrics (RULES.md §8) with @willsoto/nestjs-prometheus over prom-client: its default process
// and Node.js metrics, the request-duration histogram and the pool's gauges.
import { Module } from '@nestjs/common';
import { PrometheusModule, makeHistogramProvider } from '@willsoto/nestjs-prometheus';

import { MetricsController } from './metrics.controller.js';
import { PoolMetrics } from './pool.metrics.js';
import { REQUEST_DURATION, RequestMetricsMiddleware } from './request-metrics.middleware.js';

const requestDuration = makeHistogramProvider({
  name: REQUEST_DURATION,
  help: 'Time from a request arriving to its response being sent, by method, route template and status.',
  labelNames: ['method', 'route', 'status_code'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

/** AppModule applies RequestMetricsMiddleware first of its middleware, so it sees every request. */
@Module({
  imports: [PrometheusModule.register({ controller: MetricsController })],
  providers: [requestDuration, PoolMetrics, RequestMetricsMiddleware],
  exports: [requestDuration, RequestMetricsMiddleware],
})
export class MetricsModule {}
