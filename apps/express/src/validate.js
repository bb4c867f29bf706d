// Input checks (RULES.md §2): JSON types are 400, values 422, query parameters always 422.
import { ApiError } from './errors.js';

export const INT32_MAX = 2 ** 31 - 1;
export const INT64_MAX = 2n ** 63n - 1n;
export const MAX_JSON_DEPTH = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL = /^-?[0-9]+$/;

const invalid = (message) => new ApiError(422, message);

/** 400 unless `body` is an object whose fields have these JSON types ('integer' or 'string'). */
export function expectShape(body, fields) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError(400, 'the body must be a JSON object');
  }
  for (const [name, type] of Object.entries(fields)) {
    const value = body[name];
    const ok = type === 'integer' ? Number.isInteger(value) : typeof value === type;
    if (!ok) throw new ApiError(400, `${name} must be ${type === 'integer' ? 'an integer' : 'a string'}`);
  }
  return body;
}

export function checkRange(name, value, min, max) {
  if (value < min || value > max) throw invalid(`${name} must be between ${min} and ${max}`);
  return value;
}

/** Text PostgreSQL can store: no NUL, no unpaired surrogate. */
export function checkText(name, value) {
  if (value.includes('\0') || !value.isWellFormed()) throw invalid(`${name} must be valid text`);
  return value;
}

/** Length in code points, as the contract counts characters. */
export const length = (text) => [...text].length;

// openapi.yaml's pattern: exactly one @, something before it, a dot somewhere after it, no NUL.
const EMAIL = /^[^@\0]+@[^@\0]*\.[^@\0]*$/;

export function checkEmail(email) {
  checkText('email', email);
  if (!EMAIL.test(email) || length(email) > 254) throw invalid('email must look like name@example.com');
  return email;
}

export const isUuid = (text) => UUID.test(text);

// Path ids as openapi.yaml writes them: decimal digits without sign or leading zero, at most 10
// (product) or 19 (order) of them. A well-formed id beyond the column's range is just unknown.
export const isProductId = (text) => /^[1-9][0-9]{0,9}$/.test(text);
export const isOrderId = (text) => /^[1-9][0-9]{0,18}$/.test(text);

/** Whether JSON text nests arrays and objects deeper than `max` (brackets inside strings aside).
 * A scan, not a parse: it never recurses, however deep the text. */
export function jsonDepthExceeds(text, max) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (inString) {
      if (char === '\\') {
        i += 1; // the escaped character cannot end the string
      } else if (char === '"') {
        inString = false;
      }
    } else if (char === '"') {
      inString = true;
    } else if (char === '[' || char === '{') {
      depth += 1;
      if (depth > max) return true;
    } else if (char === ']' || char === '}') {
      depth -= 1;
    }
  }
  return false;
}

/** The last value of a query parameter given once or more, or undefined. */
export const lastValue = (value) => (Array.isArray(value) ? value.at(-1) : value);

/** An integer query parameter: decimal digits in range, else 422. */
export function queryInt(query, name, min, max, fallback) {
  const raw = lastValue(query[name]);
  if (raw === undefined) return fallback;
  if (!DECIMAL.test(raw)) throw invalid(`${name} must be a decimal integer`);
  return checkRange(name, Number(raw), min, max);
}

export function queryEnum(query, name, allowed) {
  const raw = lastValue(query[name]);
  if (raw !== undefined && !allowed.includes(raw)) throw invalid(`${name} must be one of ${allowed.join(', ')}`);
  return raw;
}
