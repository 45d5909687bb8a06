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
 * keys in the same order. Each node is copied whole (object spread, `Array#slice`: V8 copies the
 * hidden class and the properties in one step), then its object members are replaced by their own
 * copies. About twice as fast as copying member by member, and 10–20× faster than decoding the
 * bytes again, `JSON.parse` of a kept string or `structuredClone` (1 KB values). An own
 * `__proto__` member (JSON.parse makes one) stays a data member: spread defines, never sets.
 */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = value.slice();
    for (let i = 0; i < out.length; i++) {
      const member = out[i];
      if (typeof member === 'object' && member !== null) out[i] = cloneJson(member);
    }
    return out as T;
  }
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key in out) {
    const member = out[key];
    // `out` owns every key (a `__proto__` one included), so this assignment replaces that own member.
    if (typeof member === 'object' && member !== null) out[key] = cloneJson(member);
  }
  return out as T;
}
