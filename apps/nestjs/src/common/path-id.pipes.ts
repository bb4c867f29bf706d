// Path ids (RULES.md §1): text of any other form names no resource, so it is 404 like an unknown id.
import { Injectable, NotFoundException, type PipeTransform } from '@nestjs/common';

import { INT32_MAX } from './validation.js';

const DECIMAL_ID = /^[1-9][0-9]*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A decimal id without sign or leading zero, at most `max`; handed on as text. */
@Injectable()
export class DecimalIdPipe implements PipeTransform<string, string> {
  constructor(private readonly max: bigint) {}

  transform(value: string): string {
    if (!DECIMAL_ID.test(value) || value.length > 19 || BigInt(value) > this.max) {
      throw new NotFoundException(`no such resource: ${value}`);
    }
    return value;
  }
}

/** A UUID in either case; handed on lower-case. */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw new NotFoundException(`no such resource: ${value}`);
    return value.toLowerCase();
  }
}

export const productIdPipe = new DecimalIdPipe(BigInt(INT32_MAX));
export const orderIdPipe = new DecimalIdPipe(9_223_372_036_854_775_807n);
