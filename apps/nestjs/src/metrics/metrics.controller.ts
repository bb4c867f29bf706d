// GET /metrics: nestjs-prometheus's controller, answering with the whole cluster's metrics rather
// than this worker's alone.
import { Controller, Get, MethodNotAllowedException, Res } from '@nestjs/common';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { Response } from 'express';

import { OtherMethods } from '../common/other-methods.decorator.js';
import { clusterMetrics, metricsContentType } from './cluster-metrics.js';

@Controller()
export class MetricsController extends PrometheusController {
  @Get()
  async index(@Res({ passthrough: true }) response: Response): Promise<string> {
    response.header('Content-Type', metricsContentType);
    return clusterMetrics();
  }

  @OtherMethods('GET')
  otherMethods(): never {
    throw new MethodNotAllowedException();
  }
}
