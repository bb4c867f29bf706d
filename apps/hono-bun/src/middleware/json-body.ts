/**
 * What a body route checks before its validator (RULES.md §1-2, in the contract's order):
 * at most 102,400 bytes (413, from Content-Length or while a chunked body streams in), then
 * `Content-Type: application/json` (415), then JSON nested at most 100 deep (400). The validator
 * that follows parses the text read here (Hono caches the body).
 */
import { every } from 'hono/combine';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../errors';

const MAX_BYTES = 102_400;
const MAX_DEPTH = 100;

const limit = bodyLimit({
  maxSize: MAX_BYTES,
  onError: () => {
    throw new ApiError(413, 'payload_too_large', `the body is over ${MAX_BYTES} bytes`);
  },
});

const jsonMediaType = createMiddleware(async (c, next) => {
  const [type, ...params] = (c.req.header('Content-Type') ?? '').split(';');
  const charset = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('charset='));
  const utf8 = !charset || ['charset=utf-8', 'charset="utf-8"', 'charset=utf8'].includes(charset);
  if (type.trim().toLowerCase() !== 'application/json' || !utf8) {
    throw new ApiError(415, 'unsupported_media_type', 'the body must be application/json in UTF-8');
  }
  await next();
});

/** The deepest nesting of arrays and objects, counted in one pass; brackets in strings skipped. */
export function depthOf(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return deepest;
}

const nesting = createMiddleware(async (c, next) => {
  if (depthOf(await c.req.text()) > MAX_DEPTH) {
    throw new ApiError(400, 'bad_request', `JSON nested deeper than ${MAX_DEPTH} levels`);
  }
  await next();
});

export const jsonBody = every(limit, jsonMediaType, nesting);
