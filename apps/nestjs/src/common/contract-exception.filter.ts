// Every failure as the contract's body, {"error": {"code", "message", ...}} (RULES.md §2).
import {
  type ArgumentsHost,
  BadRequestException,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
} from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';

import { ApiError, CODES } from './api-error.js';

// The database cannot be reached: socket errors, SQLSTATE class 08 (connection), 57P0x (shutdown),
// 53300 (too many connections), and node-postgres' connect timeout or a dropped connection.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  '53300',
]);
const UNAVAILABLE_MESSAGE = /timeout exceeded when trying to connect|Connection terminated|connection is closed/i;

function isDatabaseDown(error: unknown): boolean {
  const err = error as { code?: unknown; message?: unknown; driverError?: unknown };
  if (err?.driverError) return isDatabaseDown(err.driverError); // TypeORM's QueryFailedError
  const code = typeof err?.code === 'string' ? err.code : '';
  return (
    UNAVAILABLE_CODES.has(code) ||
    code.startsWith('08') ||
    code.startsWith('57P0') ||
    UNAVAILABLE_MESSAGE.test(String(err?.message ?? ''))
  );
}

// The router cannot percent-decode a path segment (Nest hands on its URIError as a 400): the text
// names no resource, 404 (RULES.md §1).
const UNDECODABLE_PATH = /^Failed to decode param/;

/** An http-errors error that body-parser passes on (413 too large, 415 charset, 400 …). */
function clientHttpError(error: unknown): number | undefined {
  const status = (error as { status?: unknown; expose?: unknown })?.status;
  const exposed = (error as { expose?: unknown })?.expose === true;
  return exposed && typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

@Catch()
export class ContractExceptionFilter implements ExceptionFilter {
  constructor(private readonly dataSource: DataSource) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const error = this.toApiError(exception);
    const { code, message, details } = error;
    const response = host.switchToHttp().getResponse<Response>();
    // pino-http writes a 5xx's cause in the access log line's `error` field.
    if (error.getStatus() >= 500) response.err = exception instanceof Error ? exception : new Error(String(exception));
    response.status(error.getStatus()).json({ error: { code, message, ...details } });
  }

  private toApiError(exception: unknown): ApiError {
    if (exception instanceof ApiError) return exception;
    if (exception instanceof BadRequestException && UNDECODABLE_PATH.test(exception.message)) {
      return new ApiError(HttpStatus.NOT_FOUND, 'not_found', exception.message);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return new ApiError(status, CODES[status] ?? (status < 500 ? 'bad_request' : 'internal'), exception.message);
    }
    const clientStatus = clientHttpError(exception);
    if (clientStatus !== undefined) {
      return new ApiError(clientStatus, CODES[clientStatus] ?? 'bad_request', (exception as Error).message);
    }
    if (!this.dataSource.isInitialized || isDatabaseDown(exception)) {
      return new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'unavailable', 'the database does not answer');
    }
    return new ApiError(HttpStatus.INTERNAL_SERVER_ERROR, 'internal', 'internal error');
  }
}
