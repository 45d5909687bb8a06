import { Buffer } from 'node:buffer';

/** Bytes charged for a value JSON cannot represent (functions, symbols, bigint, class instances, ...). */
const NON_JSON_BYTES = 64;
/** Bytes charged for a number (JSON text of a typical number). */
const NUMBER_BYTES = 8;
/** Object members / array elements visited in full; beyond it members are charged a flat rate. */
const MEMBER_BUDGET = 64;

let budget = 0;

/**
 * Estimated memory cost of a stored value, in bytes, with bounded work so `set` stays cheap for
 * any value: a string costs its UTF-8 length; a number 8; a boolean 4–5; a plain object or array
 * approximately the UTF-8 length of its JSON text (members beyond the first 64 are charged a
 * flat rate without being visited, array elements beyond the budget are extrapolated from the
 * visited ones); anything else 64. Longer strings always cost more; exact numbers are not
 * contractual. Throws what a throwing getter on the value throws.
 */
export function estimateValueSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  budget = MEMBER_BUDGET;
  return jsonBytes(value);
}

function jsonBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8') + 2;
  if (typeof value === 'number') return NUMBER_BYTES;
  if (typeof value === 'boolean') return value ? 4 : 5;
  if (typeof value !== 'object') return NON_JSON_BYTES;
  if (value === null) return 4;
  if (Array.isArray(value)) return arrayBytes(value as readonly unknown[]);
  // `constructor` lookup is an inline-cached property read; Object.getPrototypeOf is slower.
  const ctor: unknown = (value as { constructor?: unknown }).constructor;
  return ctor === Object || ctor === undefined ? objectBytes(value as Readonly<Record<string, unknown>>) : NON_JSON_BYTES;
}

function objectBytes(object: Readonly<Record<string, unknown>>): number {
  let bytes = 2;
  for (const key in object) {
    // Property names are charged their UTF-16 length: exact for ASCII, and cheap.
    bytes += key.length + 4 + (--budget >= 0 ? jsonBytes(object[key]) : NUMBER_BYTES);
  }
  return bytes;
}

function arrayBytes(array: readonly unknown[]): number {
  const length = array.length;
  let sampled = 0;
  let i = 0;
  for (; i < length && --budget >= 0; i++) sampled += jsonBytes(array[i]) + 1;
  return 2 + (i === 0 ? length * (NUMBER_BYTES + 1) : Math.round((sampled / i) * length));
}
