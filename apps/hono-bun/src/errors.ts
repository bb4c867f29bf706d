/** The contract's error body (RULES.md §2) and the app's error and not-found handlers. */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isUnavailable } from './db';

export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'not_found'
  | 'method_not_allowed'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'cart_checked_out'
  | 'out_of_stock'
  | 'internal'
  | 'unavailable';

/** An answer the contract defines; handlers throw it and `onError` writes the body. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const errorBody = (
  c: Context,
  status: ContentfulStatusCode,
  code: ErrorCode,
  message: string,
  extra = {},
  headers: Record<string, string> = {},
) => c.json({ error: { code, message, ...extra } }, status, headers);

export const notFound = (message = 'not found') => new ApiError(404, 'not_found', message);

const CODES: Partial<Record<number, ErrorCode>> = {
  400: 'bad_request',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
};

export const onError: ErrorHandler = (err, c) => {
  if (err instanceof ApiError) return errorBody(c, err.status, err.code, err.message, err.extra);
  if (err instanceof HTTPException && CODES[err.status])
    return errorBody(c, err.status, CODES[err.status]!, err.message);
  if (isUnavailable(err)) return errorBody(c, 503, 'unavailable', 'the database does not answer');
  return errorBody(c, 500, 'internal', 'internal error');
};

export const onNotFound: NotFoundHandler = (c) => errorBody(c, 404, 'not_found', 'no such route');
