import { Buffer } from 'node:buffer';

/** Bytes charged for a value JSON cannot represent (functions, symbols, bigint, class instances, ...). */
const NON_JSON_BYTES = 64;
/** Bytes charged for a number (JSON text of a typical number). */
const NUMBER_BYTES = 8;
/** Nested containers / array elements visited in full per value; beyond it a flat rate or extrapolation. */
const MEMBER_BUDGET = 64;

let budget = 0;

/**
 * Estimated memory cost of a stored value, in bytes, with bounded work so `set` stays cheap for
 * any value: a string costs its UTF-8 length; a number 8; a boolean 4–5; a plain object or array
 * approximately the length of its JSON text (nested strings and property names counted in UTF-16
 * code units, exact for ASCII). Nested containers and array elements share a budget of 64 visits;
 * past it, object members are charged a flat rate and array elements are extrapolated from the
 * visited ones, so cycles and huge values cost bounded work. Anything else costs 64. Longer
 * strings always cost more; exact numbers are not contractual. Never throws: a value whose getter
 * throws while being sized costs 64.
 */
export function estimateValueSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  budget = MEMBER_BUDGET;
  try {
    return jsonBytes(value);
  } catch {
    return NON_JSON_BYTES;
  }
}

/** Charge of a primitive JSON member, or -1 when the member needs {@link jsonBytes}. */
function primitiveBytes(member: unknown): number {
  if (typeof member === 'string') return member.length + 2;
  if (typeof member === 'number') return NUMBER_BYTES;
  if (typeof member === 'boolean') return member ? 4 : 5;
  return -1;
}

function jsonBytes(value: unknown): number {
  // Nested strings are charged their UTF-16 length (exact for ASCII) to avoid a native call each.
  const primitive = primitiveBytes(value);
  if (primitive >= 0) return primitive;
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
    const member = object[key];
    const primitive = primitiveBytes(member);
    bytes += key.length + 4 + (primitive >= 0 ? primitive : --budget >= 0 ? jsonBytes(member) : NUMBER_BYTES);
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
