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

/** Deepest nesting of arrays and objects the JSON writer accepts; deeper values are refused. */
export const MAX_JSON_DEPTH = 512;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/**
 * Strings JSON writes as they are: no quote, backslash, control character or surrogate (lone ones are
 * escaped by `JSON.stringify`, so any surrogate sends a string there). Anchored and positive, so
 * V8 runs it as one tight loop over the string rather than a search from every position.
 */
const VERBATIM = /^[ !#-[\]-\ud7ff\ue000-\uffff]*$/;
const MAX_PATH_CHARS = 200;
/** Below this length a `charCodeAt` loop beats the regular expression. */
const SHORT_STRING = 12;

/** `JSON.stringify(s)`, skipping the native call for the common string that needs no escape (short ones scanned inline). */
export function quote(s: string): string {
  if (s.length < SHORT_STRING) {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
    }
    return `"${s}"`;
  }
  return VERBATIM.test(s) ? `"${s}"` : JSON.stringify(s);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : value === 0 ? '-0' : value > 0 ? 'Infinity' : '-Infinity';
  if (typeof value !== 'object') return typeof value;
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null;
  const name = proto?.constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'object';
}

/**
 * JSON text of a string, boolean, `null` or finite number other than `-0`: the members that need
 * no path and no hook, written without one. `undefined` for every other value (it goes through
 * {@link JsonWriter.write}).
 */
function scalarText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return Number.isFinite(value) && (value !== 0 || 1 / value > 0) ? String(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return value === null ? 'null' : undefined;
    default:
      return undefined;
  }
}

/**
 * Validates and writes JSON text in one pass, so every property (getters included) is read
 * exactly once and what is checked is what is written. The path to the current member is a stack
 * of segments, turned into text only when a value is refused. Values plain JSON cannot hold go to
 * the `protected` hooks, which refuse them here; the rich codec's writer overrides them.
 */
export class JsonWriter {
  protected readonly segments: Array<string | number> = [];
  private readonly ancestors: object[] = [];
  /** Keep object members whose value is `undefined` (written through {@link writeUndefined}) instead of omitting them. */
  protected keepUndefinedMembers = false;
  /** Object keys starting with U+0000 go through {@link writeKey}. */
  protected checkNulKeys = false;
  /** What a refusal's message starts with. */
  protected refusalPrefix = 'Value is not JSON-serializable';

  constructor(private readonly sortKeys: boolean) {}

  write(value: unknown): string {
    switch (typeof value) {
      case 'string':
        return quote(value);
      case 'boolean':
        return value ? 'true' : 'false';
      case 'number':
        if (!Number.isFinite(value) || (value === 0 && 1 / value < 0)) return this.writeSpecialNumber(value);
        return String(value);
      case 'object':
        if (value === null) return 'null';
        return Array.isArray(value) ? this.writeArray(value) : this.writeObject(value);
      case 'undefined':
        return this.writeUndefined();
      case 'bigint':
        return this.writeBigInt(value);
      default:
        return this.refuse(value, 'cannot be represented in JSON');
    }
  }

  /** NaN, ±Infinity and -0. */
  protected writeSpecialNumber(value: number): string {
    return this.refuse(value, Number.isNaN(value) || !Number.isFinite(value) ? 'is not a finite number' : 'is negative zero, which JSON cannot tell from 0');
  }

  protected writeUndefined(): string {
    return this.refuse(undefined, this.segments.length === 0 ? 'cannot be stored at top level' : 'cannot be represented in JSON');
  }

  protected writeBigInt(value: bigint): string {
    return this.refuse(value, 'cannot be represented in JSON');
  }

  /** An object that is neither a plain object nor an array (its prototype is `proto`). */
  protected writeOtherObject(value: object, _proto: unknown): string {
    return this.refuse(value, 'is not a plain object');
  }

  /** The quoted key of an own member whose name starts with U+0000 (only when {@link checkNulKeys}). */
  protected writeKey(key: string): string {
    return quote(key);
  }

  /** Marks `value` as being written (cycle and depth checks); pair with {@link leave}. */
  protected enter(value: object): void {
    if (this.ancestors.includes(value)) this.refuse(value, 'is a circular reference');
    if (this.ancestors.length >= MAX_JSON_DEPTH) this.refuse(value, `nests deeper than ${MAX_JSON_DEPTH} levels`);
    this.ancestors.push(value);
  }

  protected leave(): void {
    this.ancestors.pop();
  }

  private writeArray(value: readonly unknown[]): string {
    if (Object.getPrototypeOf(value) !== Array.prototype) this.refuse(value, 'is an array subclass');
    this.enter(value);
    let out = '[';
    const length = value.length;
    for (let i = 0; i < length; i++) {
      const item: unknown = value[i];
      let text = scalarText(item);
      if (text === undefined) {
        this.segments.push(i);
        if (item === undefined && !(i in value)) this.refuse(item, 'is a hole in a sparse array');
        text = item === undefined && !this.keepUndefinedMembers ? this.refuse(item, 'is undefined inside an array') : this.write(item);
        this.segments.pop();
      }
      out += i === 0 ? text : `,${text}`;
    }
    this.ancestors.pop();
    return `${out}]`;
  }

  private writeObject(value: object): string {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return this.writeOtherObject(value, proto);
    if (Object.getOwnPropertySymbols(value).length > 0) this.refuse(value, 'has symbol-keyed properties');
    this.enter(value);
    const keys = Object.keys(value);
    if (this.sortKeys) keys.sort();
    let out = '{';
    let separator = '';
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const member: unknown = (value as Record<string, unknown>)[key];
      let text = scalarText(member);
      if (text === undefined) {
        if (member === undefined && !this.keepUndefinedMembers) continue;
        this.segments.push(key);
        text = this.write(member);
        this.segments.pop();
      }
      out += `${separator}${this.checkNulKeys && key.charCodeAt(0) === 0 ? this.writeKey(key) : quote(key)}:${text}`;
      separator = ',';
    }
    this.ancestors.pop();
    return `${out}}`;
  }

  refuse(value: unknown, reason: string): never {
    let path = '$';
    for (const s of this.segments) {
      path += typeof s === 'number' ? `[${s}]` : IDENTIFIER.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`;
      if (path.length > MAX_PATH_CHARS) {
        path = `${path.slice(0, MAX_PATH_CHARS)}…`;
        break;
      }
    }
    const dataType = describe(value);
    const originalError = `${dataType} at ${path} ${reason}`;
    throw new ValidationError(`${this.refusalPrefix}: ${originalError}`, {
      code: 'SERIALIZATION_ERROR',
      context: { error_type: 'serialization_error', data_type: dataType, path, original_error: originalError },
    });
  }
}

/**
 * JSON text of `value` that keeps each object's own key order (insertion order, as
 * `JSON.stringify` writes it), or a `SERIALIZATION_ERROR` naming the offending `path`. See
 * {@link assertJsonSerializable} for what is accepted.
 */
export function toJson(value: unknown): string {
  return new JsonWriter(false).write(value);
}

/**
 * Canonical JSON text of `value`: keys sorted at every depth, so equal data gives equal text
 * whatever the key order. Meant for digests inside keys (e.g. hashing options); stored values use
 * {@link jsonCodec}, which keeps key order. Refuses what {@link assertJsonSerializable} refuses.
 */
export function toCanonicalJson(value: unknown): string {
  return new JsonWriter(true).write(value);
}

/**
 * Throws `ValidationError` `SERIALIZATION_ERROR` (context `{ error_type, data_type, path,
 * original_error }`) unless `value` is plain JSON data that round-trips exactly: `null`, booleans,
 * finite numbers other than `-0`, strings, arrays without holes, plain objects (members whose value
 * is `undefined` are omitted), nested at most {@link MAX_JSON_DEPTH} levels, without cycles.
 */
export function assertJsonSerializable(value: unknown): void {
  toJson(value);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 bytes of `text`. */
export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * `JSON.parse` of strict UTF-8 `bytes`, or `ValidationError` `DESERIALIZATION_ERROR` that keeps
 * only the failure's kind: the parser's message quotes the input, which may be a cached secret.
 */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch (error) {
    const syntax = error instanceof SyntaxError;
    throw deserializationError(`Stored bytes are not valid UTF-8 JSON (${syntax ? 'invalid JSON' : 'invalid UTF-8'})`, bytes, syntax ? 'SyntaxError' : 'TypeError');
  }
}

/** The `DESERIALIZATION_ERROR` every codec throws for bytes it cannot decode (no stored content in it). */
export function deserializationError(message: string, bytes: Uint8Array, originalError: string): ValidationError {
  return new ValidationError(message, {
    code: 'DESERIALIZATION_ERROR',
    context: { error_type: 'deserialization_error', data_size: bytes.byteLength, original_error: originalError },
  });
}

/**
 * The default codec (id `0x01`, `json`): strict UTF-8 JSON that keeps each object's key order, so
 * a value comes back as stored (`JSON.stringify` of both agree) or is refused before anything is
 * stored. Each property is read once, getters included.
 */
export const jsonCodec: Codec = Object.freeze({
  id: 0x01,
  name: 'json',
  encode(value: unknown): Uint8Array {
    return encoder.encode(toJson(value));
  },
  decode(bytes: Uint8Array): unknown {
    return parseJsonBytes(bytes);
  },
});
