// Path ids (RULES.md §1) are part of the path: text of another form names no resource, so the path
// is unknown, 404 whatever the method, body or Content-Type. Middleware rather than a pipe: Nest
// runs middleware (the body parser included) in the order it is applied, and pipes only after it.
import { NotFoundException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** Functional middleware: 404 unless the path's `:id` has the form `pattern` gives. */
const pathId =
  (pattern: RegExp) =>
  (req: Request, _res: Response, next: NextFunction): void => {
    if (!pattern.test(req.params.id as string)) throw new NotFoundException(`no such resource: ${req.params.id}`);
    next();
  };

// openapi.yaml's forms. A well-formed id beyond its column's range names no row: the service's 404.
export const productId = pathId(/^[1-9][0-9]{0,9}$/);
export const orderId = pathId(/^[1-9][0-9]{0,18}$/);
export const cartId = pathId(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
