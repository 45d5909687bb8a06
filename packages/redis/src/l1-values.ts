import { jsonCodec } from '@cache/core';
import type { ResolvedOptions } from './options.js';

/**
 * How L1 keeps values: `frozen` — one deep-frozen JSON tree per entry, returned by reference;
 * `clone` — one private JSON tree per entry, cloned structurally on every hit; `codec` — the
 * codec's bytes, decoded on every hit (any codec other than core's `jsonCodec`).
 */
export type L1Mode = 'frozen' | 'clone' | 'codec';

/** The L1 mode the options select. */
export function l1Mode(o: Pick<ResolvedOptions, 'l1Values' | 'codec'>): L1Mode {
  if (o.codec !== jsonCodec) return 'codec';
  return o.l1Values === 'frozen' ? 'frozen' : 'clone';
}

/**
 * Freezes JSON data (plain objects and arrays, at every depth) in place and returns it. Only
 * values this cache owns are frozen: a fresh decode, never a caller's object.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (const item of value) deepFreeze(item);
  } else {
    for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/**
 * A structural copy of JSON data (what `JSON.parse` produces: plain objects, arrays, primitives),
 * keys in the same order; several times cheaper than decoding the bytes again or `structuredClone`.
 */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const length = value.length;
    const out = new Array<unknown>(length);
    for (let i = 0; i < length; i++) out[i] = cloneJson(value[i] as unknown);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const member = cloneJson((value as Record<string, unknown>)[key]);
    // An own `__proto__` member (JSON.parse makes one) must stay data, not become the prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: member, enumerable: true, writable: true, configurable: true });
    else out[key] = member;
  }
  return out as T;
}
