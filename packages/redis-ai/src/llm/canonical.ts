import * as crypto from 'node:crypto';
import { ValidationError } from '@cache/core';

/**
 * The canonical encoding of request data, hashed with one SHA-256 (gathered as linked pieces of
 * one string, the caller's strings never copied before the hash reads them). It is prefix-free: a
 * string is `s<UTF-16 length>:<string>` (no escaping to scan for; a string with a lone surrogate
 * is written `j<length>:<its JSON>` instead, so the UTF-8 hash input stays injective), a number
 * `n<shortest repr>;`, `t`/`f`/`z` for true/false/null, an array `[…]`, an object
 * `{key value …}` with keys sorted and `undefined` members dropped (in arrays: `z`, as JSON
 * writes null), binary data `b<byte length>:<the bytes>`, URLs and Dates as their JSON strings.
 * The request encoder adds `m<object>` for file descriptors, a tag data never produces. Anything
 * else that is not JSON data (functions, symbols, bigints, class instances, non-finite numbers,
 * nesting deeper than 64) is refused with the path to it. Equal data gives equal input; different
 * data gives different input.
 */

const MAX_DEPTH = 64;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** Pending text longer than this (UTF-16 units) is handed to an incremental hash. */
const FLUSH_LENGTH = 256 * 1024;


/** Full lowercase hex SHA-256 of bytes or UTF-8 text. */
export function sha256Hex(data: Uint8Array | string): string {
  return typeof data === 'string' ? crypto.createHash('sha256').update(data, 'utf8').digest('hex') : crypto.createHash('sha256').update(data).digest('hex');
}

/**
 * `Object.keys(value)` in canonical order (code-unit order, as `Array.prototype.sort` without a
 * comparator). Small key sets, the common case, use an insertion sort: a fraction of the cost of
 * `sort()` for the two to six keys of a message or part.
 */
export function sortedKeys(value: object): string[] {
  const keys = Object.keys(value);
  const n = keys.length;
  if (n > 16) return keys.sort();
  for (let i = 1; i < n; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > key) {
      keys[j + 1] = keys[j] as string;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

/** `String.prototype.isWellFormed` (Node 20; not yet in this project's TypeScript lib). */
const isWellFormed = (value: string): boolean => (value as string & { isWellFormed(): boolean }).isWellFormed();

/**
 * One SHA-256 over the canonical encoding. The encoding is gathered as one string (concatenation
 * only links the pieces; nothing is copied until the hash reads it) and hashed in one call; binary
 * data switches to an incremental hash, which takes the bytes as they are, so no copy of them is
 * ever made. Very long text is handed to the incremental hash every {@link FLUSH_LENGTH} characters.
 *
 * A checking feed tests each string for lone surrogates as it comes. A non-checking feed writes
 * every string as `s<length>:` and tests the gathered text once, before it is hashed (free when
 * every piece is one-byte text): every piece next to a string starts or ends with an ASCII tag, so
 * the text has a lone surrogate exactly when one of its strings has. Such a feed's {@link hex} is
 * then null, and the caller encodes again with a checking feed; the digest is always the same.
 */
export class HashFeed {
  readonly #checking: boolean;
  #hash: crypto.Hash | null = null;
  #pending = '';
  #malformed = false;

  /** `checking` false: test the gathered text once instead of each string (see the class doc). */
  constructor(checking = true) {
    this.#checking = checking;
  }

  /** Appends encoding text as it is (structural tokens, numbers, tags). */
  token(text: string): void {
    this.#pending += text;
  }

  /** Appends the token of a string value or object key. */
  string(value: string): void {
    this.#pending += this.#checking ? stringToken(value) : lengthTag(value.length) + value;
    if (this.#pending.length > FLUSH_LENGTH) this.#stream();
  }

  /** Appends binary data: its length, then the bytes themselves (hashed once, never copied). */
  bytes(data: Uint8Array): void {
    this.#pending += `b${data.byteLength}:`;
    this.#stream().update(data);
  }

  /**
   * The lowercase hex digest; the feed is finished afterwards. Null only from a non-checking feed
   * whose text had a lone surrogate: encode again with a checking feed.
   */
  hex(): string | null {
    if (this.#hash === null) return this.#checking || isWellFormed(this.#pending) ? crypto.hash('sha256', this.#pending, 'hex') : null;
    const hash = this.#stream();
    return this.#malformed ? null : hash.digest('hex');
  }

  /** Moves the pending text into the incremental hash (started on first use) and returns it. */
  #stream(): crypto.Hash {
    const hash = (this.#hash ??= crypto.createHash('sha256'));
    if (!this.#checking && !isWellFormed(this.#pending)) this.#malformed = true;
    if (this.#pending !== '' && !this.#malformed) hash.update(this.#pending, 'utf8');
    this.#pending = '';
    return hash;
  }
}

/** `s<n>:` for n below this is built once and reused (it is ahead of every string in the encoding). */
const LENGTH_TAGS = 4096;
const lengthTags = new Array<string | undefined>(LENGTH_TAGS).fill(undefined);

/** `s<n>:`, the tag ahead of a string of `n` UTF-16 units. */
function lengthTag(n: number): string {
  if (n >= LENGTH_TAGS) return `s${n}:`;
  return (lengthTags[n] ??= `s${n}:`);
}

/** The token of a string value or object key: `s<length>:<value>`, or `j<length>:<JSON>` when it has a lone surrogate. */
export function stringToken(value: string): string {
  return isWellFormed(value) ? lengthTag(value.length) + value : jsonToken(value);
}

function jsonToken(value: string): string {
  const json = JSON.stringify(value);
  return `j${json.length}:${json}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'object';
}

/**
 * Internal: a refused part of a request. Each level it passes on the way out adds its segment, so
 * success pays nothing for paths; {@link refusalError} turns it into the public `ValidationError`.
 */
export class Refusal extends Error {
  readonly segments: Array<string | number> = [];
  constructor(
    readonly reason: string,
    readonly dataType: string | undefined,
  ) {
    super(reason);
  }
}

/** Throws a {@link Refusal} of `value` (its type is named in the message). */
export function refuse(value: unknown, reason: string): never {
  throw new Refusal(reason, describe(value));
}

/** Throws a {@link Refusal} about the structure at the current path, or at its member `segment` (no type named). */
export function refuseShape(reason: string, segment?: string): never {
  const refusal = new Refusal(reason, undefined);
  if (segment !== undefined) refusal.segments.push(segment);
  throw refusal;
}

/** Adds `segment` to a passing {@link Refusal}; returns the error to rethrow. */
export function note(error: unknown, segment: string | number): unknown {
  if (error instanceof Refusal) error.segments.push(segment);
  return error;
}

/** The `ValidationError` `INVALID_REQUEST` of a {@link Refusal}, naming the path (`prompt[1].content[0].data`); other errors unchanged. */
export function refusalError(error: unknown, rootPath = ''): unknown {
  if (!(error instanceof Refusal)) return error;
  let path = rootPath;
  for (let i = error.segments.length - 1; i >= 0; i--) {
    const s = error.segments[i] as string | number;
    path += typeof s === 'number' ? `[${s}]` : IDENTIFIER.test(s) ? (path === '' ? s : `.${s}`) : `[${JSON.stringify(s)}]`;
  }
  const where = path === '' ? 'the request' : path;
  const message = error.dataType === undefined ? `${where} ${error.reason}` : `${error.dataType} at ${where} ${error.reason}`;
  return new ValidationError(`LLM request cannot be keyed: ${message}`, {
    code: 'INVALID_REQUEST',
    context: error.dataType === undefined ? { path: where } : { path: where, data_type: error.dataType },
  });
}

/** Feeds the canonical encoding of JSON data `value` (see the module doc); non-data throws a {@link Refusal}. */
export function encodeJson(value: unknown, feed: HashFeed, depth: number): void {
  switch (typeof value) {
    case 'string':
      feed.string(value);
      return;
    case 'number':
      if (!Number.isFinite(value)) refuse(value, 'is not a finite number');
      feed.token(`n${value};`);
      return;
    case 'boolean':
      feed.token(value ? 't' : 'f');
      return;
    case 'object':
      if (value === null) feed.token('z');
      else encodeObject(value, feed, depth);
      return;
    default:
      refuse(value, 'is not JSON data');
  }
}

function encodeObject(value: object, feed: HashFeed, depth: number): void {
  if (depth >= MAX_DEPTH) refuse(value, `nests deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) {
    feed.token('[');
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string') feed.string(item);
      else if (item === undefined) feed.token('z');
      else {
        try {
          encodeJson(item, feed, depth + 1);
        } catch (error) {
          throw note(error, i);
        }
      }
    }
    feed.token(']');
    return;
  }
  if (ArrayBuffer.isView(value)) {
    feed.bytes(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    return;
  }
  if (value instanceof URL) {
    feed.string(value.href);
    return;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) refuse(value, 'is an invalid Date');
    feed.string(value.toISOString());
    return;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) refuse(value, 'is not a plain object');
  const keys = sortedKeys(value);
  feed.token('{');
  for (const key of keys) {
    const member: unknown = (value as Record<string, unknown>)[key];
    if (member === undefined) continue;
    feed.string(key);
    if (typeof member === 'string') feed.string(member);
    else {
      try {
        encodeJson(member, feed, depth + 1);
      } catch (error) {
        throw note(error, key);
      }
    }
  }
  feed.token('}');
}
