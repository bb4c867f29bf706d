// POST /checkout body (RULES.md §2, §5). A non-string or missing field is 400; a malformed cart_id
// or email is 422. The email is stored as sent.
import { UnprocessableEntityException } from '@nestjs/common';
import { IsString, Matches } from 'class-validator';

import { IsStorableText, JSON_TYPE, MaxCodePoints } from '../../common/validation.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** openapi.yaml's pattern: exactly one @, text before it, a dot somewhere after it, no NUL. */
const EMAIL = /^[^@\0]+@[^@\0]*\.[^@\0]*$/;

export class CheckoutDto {
  @IsString(JSON_TYPE)
  @Matches(UUID, { message: 'cart_id must be a UUID' })
  cart_id!: string;

  @IsString(JSON_TYPE)
  @IsStorableText()
  @MaxCodePoints(254)
  @Matches(EMAIL, { message: 'email must look like name@example.com' })
  email!: string;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,64}$/;

/** The Idempotency-Key header: absent, or 1 to 64 visible ASCII characters (else 422). */
export function idempotencyKey(header: string | undefined): string | undefined {
  if (header !== undefined && !IDEMPOTENCY_KEY.test(header)) {
    throw new UnprocessableEntityException('Idempotency-Key must be 1 to 64 visible ASCII characters');
  }
  return header;
}
