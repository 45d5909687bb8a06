import { ValidationError } from './errors.js';

/** Turns values into bytes and back. `id` is recorded in wire-format headers. */
export interface Codec {
  /** Stable one-byte identifier written into stored envelopes. */
  readonly id: number;
  /** Human-readable name, e.g. `json`. */
  readonly name: string;
  /** Serialises `value`; throws `ValidationError` `SERIALIZATION_ERROR` before producing anything partial. */
  encode(value: unknown): Uint8Array;
  /** Parses bytes; throws `ValidationError` `DESERIALIZATION_ERROR` on any malformed input. */
  decode(bytes: Uint8Array): unknown;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function memberPath(parent: string, key: string): string {
  return IDENTIFIER.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  if (typeof value !== 'object') return typeof value;
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null;
  const name = proto?.constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'object';
}

function refuse(value: unknown, path: string, reason: string): never {
  const dataType = describe(value);
  const originalError = `${dataType} at ${path} ${reason}`;
  throw new ValidationError(`Value is not JSON-serializable: ${originalError}`, {
    code: 'SERIALIZATION_ERROR',
    context: { error_type: 'serialization_error', data_type: dataType, path, original_error: originalError },
  });
}

/**
 * Canonical, strict JSON text: object keys sorted at every depth; refuses anything that would not
 * round-trip exactly (see {@link assertJsonSerializable}).
 */
function stringify(value: unknown, path: string, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) refuse(value, path, 'is not a finite number');
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      refuse(value, path, 'cannot be represented in JSON');
  }
  if (value === null) return 'null';
  if (ancestors.has(value)) refuse(value, path, 'is a circular reference');
  ancestors.add(value);
  let out: string;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) refuse(value, path, 'is an array subclass');
    const parts: string[] = new Array<string>(value.length);
    for (let i = 0; i < value.length; i++) {
      const itemPath = `${path}[${i}]`;
      if (!(i in value)) refuse(undefined, itemPath, 'is a hole in a sparse array');
      const item: unknown = value[i];
      if (item === undefined) refuse(item, itemPath, 'is undefined inside an array');
      parts[i] = stringify(item, itemPath, ancestors);
    }
    out = `[${parts.join(',')}]`;
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) refuse(value, path, 'is not a plain object');
    if (Object.getOwnPropertySymbols(value).length > 0) refuse(value, path, 'has symbol-keyed properties');
    const keys = Object.keys(value).sort();
    const parts: string[] = [];
    for (const key of keys) {
      const member: unknown = (value as Record<string, unknown>)[key];
      if (member === undefined) continue;
      parts.push(`${JSON.stringify(key)}:${stringify(member, memberPath(path, key), ancestors)}`);
    }
    out = `{${parts.join(',')}}`;
  }
  ancestors.delete(value);
  return out;
}

/** Canonical JSON text of `value` (sorted keys), or a `SERIALIZATION_ERROR` naming the offending `path`. */
export function toCanonicalJson(value: unknown): string {
  if (value === undefined) refuse(value, '$', 'cannot be stored at top level');
  return stringify(value, '$', new Set());
}

/**
 * Throws `ValidationError` `SERIALIZATION_ERROR` (context `{ error_type, data_type, path,
 * original_error }`) unless `value` is plain JSON data that round-trips exactly: `null`, booleans,
 * finite numbers, strings, arrays without holes, plain objects, nested.
 */
export function assertJsonSerializable(value: unknown): void {
  toCanonicalJson(value);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The default codec (id `0x01`, `json`): strict, canonical (sorted keys), UTF-8 JSON. */
export const jsonCodec: Codec = Object.freeze({
  id: 0x01,
  name: 'json',
  encode(value: unknown): Uint8Array {
    return encoder.encode(toCanonicalJson(value));
  },
  decode(bytes: Uint8Array): unknown {
    try {
      return JSON.parse(decoder.decode(bytes));
    } catch (cause) {
      throw new ValidationError('Stored bytes are not valid UTF-8 JSON', {
        code: 'DESERIALIZATION_ERROR',
        context: { error_type: 'deserialization_error', data_size: bytes.byteLength },
        cause,
      });
    }
  },
});
