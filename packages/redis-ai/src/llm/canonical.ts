import { createHash } from 'node:crypto';
import { ValidationError } from '@cache/core';

/** JSON text emitted verbatim by {@link CanonicalWriter} (for values already in canonical form). */
export class PreEncoded {
  /** `json` must already be canonical JSON. */
  constructor(readonly json: string) {}
}

const MAX_DEPTH = 64;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Full lowercase hex SHA-256 of bytes or UTF-8 text. */
export function sha256Hex(data: Uint8Array | string): string {
  return typeof data === 'string' ? createHash('sha256').update(data, 'utf8').digest('hex') : createHash('sha256').update(data).digest('hex');
}

/** The canonical marker of binary content: its SHA-256 and length, never the bytes. */
export function bytesMarker(bytes: Uint8Array): PreEncoded {
  return new PreEncoded(`{"$bytes":"${sha256Hex(bytes)}","$size":${bytes.byteLength}}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'object';
}

/**
 * Canonical JSON for digests: object keys sorted at every depth, `undefined` members dropped (in
 * arrays: `null`, as JSON does), keys starting with `$` escaped to `$$` so the `$bytes` marker is
 * unambiguous, binary data as its SHA-256 marker, URLs and Dates as their JSON strings. Anything
 * else that is not JSON data (functions, symbols, bigints, class instances, non-finite numbers,
 * nesting deeper than 64) is a `ValidationError` `INVALID_REQUEST` naming the path.
 */
export class CanonicalWriter {
  readonly #segments: Array<string | number> = [];

  /** Canonical JSON text of `value`; `rootPath` names it in errors. */
  write(value: unknown, rootPath: string): string {
    this.#segments.length = 0;
    this.#segments.push(rootPath);
    return this.#value(value, 0);
  }

  #value(value: unknown, depth: number): string {
    switch (typeof value) {
      case 'string':
        return JSON.stringify(value);
      case 'number':
        if (!Number.isFinite(value)) this.#refuse(value, 'is not a finite number');
        return JSON.stringify(value);
      case 'boolean':
        return value ? 'true' : 'false';
      case 'object':
        return value === null ? 'null' : this.#object(value, depth);
      default:
        return this.#refuse(value, 'is not JSON data');
    }
  }

  #object(value: object, depth: number): string {
    if (value instanceof PreEncoded) return value.json;
    if (depth >= MAX_DEPTH) this.#refuse(value, `nests deeper than ${MAX_DEPTH} levels`);
    if (Array.isArray(value)) {
      let out = '[';
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        this.#segments.push(i);
        out += (i === 0 ? '' : ',') + (item === undefined ? 'null' : this.#value(item, depth + 1));
        this.#segments.pop();
      }
      return `${out}]`;
    }
    if (ArrayBuffer.isView(value)) return bytesMarker(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)).json;
    if (value instanceof URL) return JSON.stringify(value.href);
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) this.#refuse(value, 'is an invalid Date');
      return JSON.stringify(value.toISOString());
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) this.#refuse(value, 'is not a plain object');
    const keys = Object.keys(value).sort();
    let out = '{';
    let first = true;
    for (const key of keys) {
      const member: unknown = (value as Record<string, unknown>)[key];
      if (member === undefined) continue;
      this.#segments.push(key);
      out += `${first ? '' : ','}${JSON.stringify(key.charCodeAt(0) === 36 ? `$${key}` : key)}:${this.#value(member, depth + 1)}`;
      this.#segments.pop();
      first = false;
    }
    return `${out}}`;
  }

  #refuse(value: unknown, reason: string): never {
    let path = '';
    for (const s of this.#segments) {
      path += typeof s === 'number' ? `[${s}]` : path === '' ? s : IDENTIFIER.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`;
    }
    throw new ValidationError(`LLM request cannot be keyed: ${describe(value)} at ${path} ${reason}`, {
      code: 'INVALID_REQUEST',
      context: { path, data_type: describe(value) },
    });
  }
}
