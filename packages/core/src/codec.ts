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

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  if (typeof value !== 'object') return typeof value;
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null;
  const name = proto?.constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'object';
}

/**
 * Validation pass before serialisation. The path to the current member is kept as a stack of
 * segments and only turned into text when a value is refused, so the success path builds no
 * strings. It also collects every object key and notes whether all objects already list their
 * keys in sorted order.
 */
class JsonValidator {
  private readonly segments: Array<string | number> = [];
  private readonly ancestors: object[] = [];
  readonly keys = new Set<string>();
  sorted = true;

  check(value: unknown): void {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return;
      case 'number':
        if (!Number.isFinite(value)) this.refuse(value, 'is not a finite number');
        return;
      case 'object':
        if (value === null) return;
        if (Array.isArray(value)) this.checkArray(value);
        else this.checkObject(value);
        return;
      default:
        this.refuse(value, 'cannot be represented in JSON');
    }
  }

  private enter(value: object): void {
    if (this.ancestors.includes(value)) this.refuse(value, 'is a circular reference');
    this.ancestors.push(value);
  }

  private checkArray(value: readonly unknown[]): void {
    if (Object.getPrototypeOf(value) !== Array.prototype) this.refuse(value, 'is an array subclass');
    this.enter(value);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string' || typeof item === 'boolean') continue;
      this.segments.push(i);
      if (!(i in value)) this.refuse(undefined, 'is a hole in a sparse array');
      if (item === undefined) this.refuse(item, 'is undefined inside an array');
      this.check(item);
      this.segments.pop();
    }
    this.ancestors.pop();
  }

  private checkObject(value: object): void {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) this.refuse(value, 'is not a plain object');
    if (Object.getOwnPropertySymbols(value).length > 0) this.refuse(value, 'has symbol-keyed properties');
    this.enter(value);
    let previous: string | undefined;
    for (const key of Object.keys(value)) {
      if (previous !== undefined && previous > key) this.sorted = false;
      previous = key;
      this.keys.add(key);
      const member: unknown = (value as Record<string, unknown>)[key];
      if (typeof member !== 'string' && typeof member !== 'boolean' && member !== undefined) {
        this.segments.push(key);
        this.check(member);
        this.segments.pop();
      }
    }
    this.ancestors.pop();
  }

  refuse(value: unknown, reason: string): never {
    let path = '$';
    for (const s of this.segments) {
      path += typeof s === 'number' ? `[${s}]` : IDENTIFIER.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`;
    }
    const dataType = describe(value);
    const originalError = `${dataType} at ${path} ${reason}`;
    throw new ValidationError(`Value is not JSON-serializable: ${originalError}`, {
      code: 'SERIALIZATION_ERROR',
      context: { error_type: 'serialization_error', data_type: dataType, path, original_error: originalError },
    });
  }
}

/** Canonical JSON text of `value` (sorted keys), or a `SERIALIZATION_ERROR` naming the offending `path`. */
export function toCanonicalJson(value: unknown): string {
  const validator = new JsonValidator();
  if (value === undefined) validator.refuse(value, 'cannot be stored at top level');
  validator.check(value);
  // Once validated, native JSON.stringify is exact; a property list (every key, sorted) makes it
  // emit each object's keys in sorted order at every depth. A list naming `__proto__` would read the
  // inherited accessor from objects that lack that key, so that rare case is written by hand.
  if (validator.sorted) return JSON.stringify(value);
  return validator.keys.has('__proto__') ? writeSorted(value) : JSON.stringify(value, [...validator.keys].sort());
}

/** Canonical JSON of an already validated value, keys sorted at every depth (own properties only). */
function writeSorted(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(writeSorted).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const members: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const member: unknown = (value as Record<string, unknown>)[key];
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${writeSorted(member)}`);
  }
  return `{${members.join(',')}}`;
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
    } catch (error) {
      // The parser's message quotes the input, which may be a cached secret: keep only its kind.
      const syntax = error instanceof SyntaxError;
      throw new ValidationError(`Stored bytes are not valid UTF-8 JSON (${syntax ? 'invalid JSON' : 'invalid UTF-8'})`, {
        code: 'DESERIALIZATION_ERROR',
        context: {
          error_type: 'deserialization_error',
          data_size: bytes.byteLength,
          original_error: syntax ? 'SyntaxError' : 'TypeError',
        },
      });
    }
  },
});
