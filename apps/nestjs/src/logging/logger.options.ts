// The access log (RULES.md §8) through nestjs-pino: pino-http writes one JSON line to stdout when a
// response is complete, with the request's id, route template, status and duration. Nest's own
// logger is the same pino instance (worker.ts), so every line on stdout is JSON.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Params } from 'nestjs-pino';
import type { LoggerOptions } from 'pino';

import { routeTemplate } from '../common/route-template.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The client's X-Request-Id when it is well-formed, else a new UUID; echoed on the response. */
function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

const requestFields = (req: IncomingMessage, res: ServerResponse, responseTime: number) => ({
  method: req.method,
  route: routeTemplate(req),
  status: res.statusCode,
  duration_ms: responseTime,
});

/** Every line: `ts` in RFC 3339 UTC, `level` by name, the process id. */
export const pinoOptions = {
  base: { pid: process.pid },
  timestamp: () => `,"ts":"${new Date().toISOString()}"`,
  formatters: { level: (label: string) => ({ level: label }) },
} satisfies LoggerOptions;

export const loggerOptions: Params = {
  pinoHttp: {
    ...pinoOptions,
    genReqId: requestId,
    customAttributeKeys: { reqId: 'request_id' },
    // The line carries the fields above, not pino-http's serialized req and res.
    quietReqLogger: true,
    quietResLogger: true,
    customLogLevel: (_req, res, err) => (err || res.err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessObject: (req, res, { responseTime }) => requestFields(req, res, responseTime),
    customErrorObject: (req, res, err, { responseTime }) => ({
      ...requestFields(req, res, responseTime),
      error: err.stack ?? err.message,
    }),
  },
};
