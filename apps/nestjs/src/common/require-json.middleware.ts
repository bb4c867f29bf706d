// 415 unless a body is declared as application/json (RULES.md §1): the media type compared
// case-insensitively, parameters such as charset ignored.
import { Injectable, type NestMiddleware, UnsupportedMediaTypeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

@Injectable()
export class RequireJsonMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (mediaType !== 'application/json') {
      throw new UnsupportedMediaTypeException('send the body as application/json');
    }
    next();
  }
}
