// The access log (RULES.md §8): pino writes JSON lines to stdout, pino-http one per request when its
// response is complete, with the request's id, route template, status and duration.
import { randomUUID } from 'node:crypto';

import { pino } from 'pino';
import { pinoHttp } from 'pino-http';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

export const logger = pino({
  base: { pid: process.pid },
  timestamp: () => `,"ts":"${new Date().toISOString()}"`,
  formatters: { level: (label) => ({ level: label }) },
});

/** The client's X-Request-Id when it is well-formed, else a new UUID; echoed on the response. */
function requestId(req, res) {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/** The fields of one line. `req.route` is the matched route; none matched, null. */
const requestFields = (req, res, responseTime) => ({
  method: req.method,
  route: req.route?.path ?? null,
  status: res.statusCode,
  duration_ms: responseTime,
});

export const accessLog = pinoHttp({
  logger,
  genReqId: requestId,
  customAttributeKeys: { reqId: 'request_id' },
  // The line carries our fields, not pino-http's serialized req and res.
  quietReqLogger: true,
  quietResLogger: true,
  customLogLevel: (req, res, err) => (err || res.err || res.statusCode >= 500 ? 'error' : 'info'),
  customSuccessObject: (req, res, { responseTime }) => requestFields(req, res, responseTime),
  customErrorObject: (req, res, err, { responseTime }) => ({
    ...requestFields(req, res, responseTime),
    error: err.stack ?? err.message,
  }),
});
