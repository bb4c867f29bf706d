/**
 * Request schemas (zod) and Hono validators for them (@hono/zod-validator). A JSON body that has
 * the wrong types (a missing or null field, a string for a number, 3.5 for an integer) is 400;
 * well-typed values out of range are 422. Query and header values are all 422 (RULES.md §2).
 */
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import { z } from 'zod';
import { ApiError } from './errors';

const INT32_MAX = 2_147_483_647;
export const UUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;
/** One @, something before it, a dot after it; `storable` refuses U+0000 (RULES.md §5). */
const EMAIL = /^[^@]+@[^@]*\.[^@]*$/;

/** Text PostgreSQL can hold: no U+0000, no lone surrogate. */
const storable = (s: string) => !s.includes('\x00') && s.isWellFormed();
const codePoints = (s: string) => [...s].length;

export const addItem = z.object({
  product_id: z.int().min(1).max(INT32_MAX),
  quantity: z.int().min(1).max(100),
});

export const checkout = z.object({
  cart_id: z.string().regex(UUID),
  email: z
    .string()
    .regex(EMAIL)
    .refine((s) => storable(s) && codePoints(s) <= 254),
});

export const idempotencyKey = z.object({
  'Idempotency-Key': z
    .string()
    .regex(/^[\x21-\x7E]{1,64}$/)
    .optional(),
});

/** A repeated query parameter counts with its last value. */
const last = (v: unknown) => (Array.isArray(v) ? v.at(-1) : v);
const integer = (min: number, max: number) =>
  z.preprocess(
    last,
    z
      .string()
      .regex(/^-?[0-9]+$/)
      .transform(Number)
      .pipe(z.int().min(min).max(max)),
  );
const text = z.preprocess(last, z.string().refine(storable));

export const search = z.object({
  q: text
    .optional()
    .refine((q) => q === undefined || codePoints(q) <= 200)
    .transform((q) => (q === undefined || /^[ \t\r\n]*$/.test(q) ? undefined : q)),
  category: integer(1, INT32_MAX).optional(),
  brand: text.optional().transform((b) => (b === '' ? undefined : b)),
  min_price: integer(0, INT32_MAX).optional(),
  max_price: integer(0, INT32_MAX).optional(),
  in_stock: z.preprocess(last, z.enum(['true', 'false']).optional()),
  sort: z.preprocess(last, z.enum(['relevance', 'price_asc', 'price_desc']).optional()),
  limit: integer(1, 100).default(20),
  offset: integer(0, 10_000).default(0),
});

/** A validator that answers the contract's 400/422 instead of zod-validator's default 400. */
export const validate = <T extends keyof ValidationTargets, S extends z.ZodType>(target: T, schema: S) =>
  zValidator(target, schema, (result) => {
    if (result.success) return;
    const issues = result.error.issues;
    const wrongType = target === 'json' && issues.some((i) => i.code === 'invalid_type');
    const where = issues.map((i) => [target, ...i.path].join('.')).join(', ');
    if (wrongType) throw new ApiError(400, 'bad_request', `wrong or missing JSON type: ${where}`);
    throw new ApiError(422, 'validation_failed', `not allowed: ${where}`);
  });
