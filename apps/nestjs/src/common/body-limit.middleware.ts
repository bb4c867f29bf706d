// A body over 100 KiB is 413 (RULES.md §1), decided from Content-Length before a byte is read and
// before the media type is looked at. A chunked body is cut off by the JSON parser's own `limit`.
import { Injectable, type NestMiddleware, PayloadTooLargeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

export const BODY_LIMIT_BYTES = 102_400;

@Injectable()
export class BodyLimitMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    if (Number(req.headers['content-length']) > BODY_LIMIT_BYTES) {
      throw new PayloadTooLargeException(`a body holds at most ${BODY_LIMIT_BYTES} bytes`);
    }
    next();
  }
}
