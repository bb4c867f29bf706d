// Observes every request, whatever answered it (a handler, a middleware's or the router's 404),
// once its response is sent: method, route template (`none` when no route matched) and status.
import { Injectable, type NestMiddleware } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { NextFunction, Request, Response } from 'express';
import type { Histogram } from 'prom-client';

import { routeTemplate } from '../common/route-template.js';

export const REQUEST_DURATION = 'http_request_duration_seconds';

@Injectable()
export class RequestMetricsMiddleware implements NestMiddleware {
  constructor(
    @InjectMetric(REQUEST_DURATION) private readonly duration: Histogram<'method' | 'route' | 'status_code'>,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const end = this.duration.startTimer();
    res.on('finish', () =>
      end({ method: req.method, route: routeTemplate(req) ?? 'none', status_code: res.statusCode }),
    );
    next();
  }
}
