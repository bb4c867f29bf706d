// The contract's error body for every failure (RULES.md §2).

const CODES = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  500: 'internal',
  503: 'unavailable',
};

// Errors that mean the database cannot be reached: socket errors, SQLSTATE class 08,
// shutdown (57P0x), too many connections, and pg-pool's connect timeout.
const UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', '53300']);

/** A failure the client should see, with its status, code and any extra fields. */
export class ApiError extends Error {
  constructor(status, message, { code = CODES[status], ...extra } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

function databaseUnavailable(err) {
  const code = typeof err.code === 'string' ? err.code : '';
  return (
    UNAVAILABLE.has(code) ||
    code.startsWith('08') ||
    code.startsWith('57P0') ||
    /timeout exceeded when trying to connect|Connection terminated|Query read timeout/.test(err.message)
  );
}

/** Express error middleware: maps anything thrown to the contract body. */
// eslint-disable-next-line no-unused-vars
export function errorHandler(err, req, res, next) {
  let error;
  if (err instanceof ApiError) {
    error = err;
  } else if (err instanceof URIError) {
    error = new ApiError(404, 'no such resource'); // a path segment that is not valid percent-encoding
  } else if (err.type && err.expose && err.status >= 400 && err.status < 500) {
    error = new ApiError(err.status, err.message, { code: CODES[err.status] ?? 'bad_request' }); // body-parser
  } else if (databaseUnavailable(err)) {
    error = new ApiError(503, `database unavailable: ${err.message}`);
  } else {
    error = new ApiError(500, 'internal error');
  }
  if (error.status >= 500) res.err = err; // the access log's `error` field (pino-http)
  res.status(error.status).json({ error: { code: error.code, message: error.message, ...error.extra } });
}

/** The last route: nothing matched the path. */
export function notFound(req, res, next) {
  next(new ApiError(404, `no route ${req.path}`));
}

/** The last handler of each route: the path is known, the method is not. */
export function methodNotAllowed(req, res, next) {
  const allow = Object.keys(req.route.methods)
    .filter((method) => method !== '_all')
    .map((method) => method.toUpperCase())
    .join(', ');
  res.set('Allow', allow);
  next(new ApiError(405, `${req.path} allows ${allow} only`));
}
