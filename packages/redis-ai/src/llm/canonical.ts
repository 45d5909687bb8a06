import { createHash } from 'node:crypto';
import { ValidationError } from '@cache/core';

/** A file marker (digest, URL or reference standing for file content); encoded under its own tag. */
export class PreEncoded {
  /** `value`: JSON data describing the file (never its bytes). */
  constructor(readonly value: Readonly<Record<string, unknown>>) {}
}

const MAX_DEPTH = 64;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Full lowercase hex SHA-256 of bytes or UTF-8 text. */
export function sha256Hex(data: Uint8Array | string): string {
  return typeof data === 'string' ? createHash('sha256').update(data, 'utf8').digest('hex') : createHash('sha256').update(data).digest('hex');
}

/** The canonical marker of binary content: its SHA-256 and length, never the bytes. */
export function bytesMarker(bytes: Uint8Array): PreEncoded {
  return new PreEncoded({ sha256: sha256Hex(bytes), size: bytes.byteLength });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'object';
}

/**
 * The canonical encoding hashed into request keys: a prefix-free text form in which a string is
 * `s<UTF-16 length>:<string>` (no escaping to scan for; a string with a lone surrogate is written
 * as `j<length>:<its JSON>` instead, so the UTF-8 hash input stays injective), a number
 * `n<shortest repr>;`, `t`/`f`/`z` for true/false/null, an array `[…]`, an object `{key value …}`
 * with keys sorted and `undefined` members dropped (in arrays: `z`, as JSON writes null), a file
 * marker `m` + its encoded object (a tag data can never produce), binary data as its SHA-256
 * marker, URLs and Dates as their JSON strings. Anything else that is not JSON data (functions,
 * symbols, bigints, class instances, non-finite numbers, nesting deeper than 64) is a
 * `ValidationError` `INVALID_REQUEST` naming the path. Equal JSON data gives equal text; different
 * data gives different text.
 */
export function canonicalEncoding(value: unknown, rootPath: string): string {
  try {
    return encode(value, 0);
  } catch (error) {
    if (error instanceof Refusal) {
      const path = rootPath + error.segments.reverse().map((s) => (typeof s === 'number' ? `[${s}]` : IDENTIFIER.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join('');
      throw new ValidationError(`LLM request cannot be keyed: ${error.dataType} at ${path} ${error.reason}`, {
        code: 'INVALID_REQUEST',
        context: { path, data_type: error.dataType },
      });
    }
    throw error;
  }
}

/** Internal: a refused value; each level adds its segment on the way out, so success pays nothing for paths. */
class Refusal extends Error {
  readonly segments: Array<string | number> = [];
  constructor(
    readonly dataType: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

function refuse(value: unknown, reason: string): never {
  throw new Refusal(describe(value), reason);
}

function note(error: unknown, segment: string | number): unknown {
  if (error instanceof Refusal) error.segments.push(segment);
  return error;
}

/** `String.prototype.isWellFormed` (Node 20; not yet in this project's TypeScript lib). */
const isWellFormed = (value: string): boolean => (value as string & { isWellFormed(): boolean }).isWellFormed();

function encodeString(value: string): string {
  if (isWellFormed(value)) return `s${value.length}:${value}`;
  const json = JSON.stringify(value);
  return `j${json.length}:${json}`;
}

function encode(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return encodeString(value);
    case 'number':
      return Number.isFinite(value) ? `n${value};` : refuse(value, 'is not a finite number');
    case 'boolean':
      return value ? 't' : 'f';
    case 'object':
      return value === null ? 'z' : encodeObject(value, depth);
    default:
      return refuse(value, 'is not JSON data');
  }
}

function encodeObject(value: object, depth: number): string {
  if (value instanceof PreEncoded) return `m${encodeObject(value.value, depth)}`;
  if (depth >= MAX_DEPTH) refuse(value, `nests deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string') out += encodeString(item);
      else if (item === undefined) out += 'z';
      else {
        try {
          out += encode(item, depth + 1);
        } catch (error) {
          throw note(error, i);
        }
      }
    }
    return `${out}]`;
  }
  if (ArrayBuffer.isView(value)) return encodeObject(bytesMarker(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)), depth);
  if (value instanceof URL) return encodeString(value.href);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) refuse(value, 'is an invalid Date');
    return encodeString(value.toISOString());
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) refuse(value, 'is not a plain object');
  const keys = Object.keys(value);
  if (keys.length > 1) keys.sort();
  let out = '{';
  for (const key of keys) {
    const member: unknown = (value as Record<string, unknown>)[key];
    if (member === undefined) continue;
    out += encodeString(key);
    if (typeof member === 'string') out += encodeString(member);
    else {
      try {
        out += encode(member, depth + 1);
      } catch (error) {
        throw note(error, key);
      }
    }
  }
  return `${out}}`;
}
