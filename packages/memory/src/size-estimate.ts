import { Buffer } from 'node:buffer';

/** Bytes charged for a value JSON cannot represent (functions, symbols, bigint, class instances, ...). */
const NON_JSON_BYTES = 64;
/** Bytes charged for a number (JSON text of a typical number). */
const NUMBER_BYTES = 8;
/** Values visited in full before the estimate switches to sampling. */
const NODE_BUDGET = 64;
/** Array elements inspected once the budget is spent; the rest are extrapolated. */
const ARRAY_SAMPLE = 8;

let remaining = 0;

/**
 * Estimated memory cost of a stored value, in bytes, with bounded work so `set` stays O(1) for
 * large values: a string costs its UTF-8 length; a JSON-able value approximately the UTF-8 length
 * of its JSON text (exact-ish for values of up to 64 nodes, sampled beyond); anything else 64.
 * Monotone enough for accounting (longer strings cost more); exact numbers are not contractual.
 * Throws whatever a throwing getter on the value throws (the caller treats that as an internal failure).
 */
export function estimateValueSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  remaining = NODE_BUDGET;
  return jsonBytes(value);
}

function jsonBytes(value: unknown): number {
  remaining--;
  switch (typeof value) {
    case 'string':
      return Buffer.byteLength(value, 'utf8') + 2;
    case 'number':
      return NUMBER_BYTES;
    case 'boolean':
      return value ? 4 : 5;
    case 'object':
      if (value === null) return 4;
      if (Array.isArray(value)) return arrayBytes(value as readonly unknown[]);
      return isPlainObject(value) ? objectBytes(value as Readonly<Record<string, unknown>>) : NON_JSON_BYTES;
    default:
      return NON_JSON_BYTES;
  }
}

function arrayBytes(array: readonly unknown[]): number {
  const length = array.length;
  let sampled = 0;
  let i = 0;
  for (; i < length && (remaining > 0 || i < ARRAY_SAMPLE); i++) sampled += jsonBytes(array[i]) + 1;
  return 2 + (i === 0 ? 0 : Math.round((sampled / i) * length));
}

function objectBytes(object: Readonly<Record<string, unknown>>): number {
  let bytes = 2;
  for (const key in object) {
    bytes += Buffer.byteLength(key, 'utf8') + 4;
    bytes += remaining > 0 ? jsonBytes(object[key]) : NUMBER_BYTES;
  }
  return bytes;
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
