// Keys and 1 KB JSON values shared by every contender. Values are generated deterministically, so
// each child process builds the same data on its own before timing, and their keys are deliberately
// NOT in sorted order (a cache that re-sorts keys changes the value and fails the read-back check).
import { isDeepStrictEqual } from 'node:util';

/** A JSON value as stored by every contender. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A JSON object: what every contender stores. */
export type JsonObject = { [key: string]: Json };

/** Size of every value, as bytes of `JSON.stringify` output. */
export const VALUE_BYTES = 1024;

/** `n` keys, `<prefix>user:<i>:profile`. */
export function makeKeys(n: number, prefix = ''): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}user:${i}:profile`);
}

/** The value stored under key number `i`: exactly {@link VALUE_BYTES} of JSON, keys in unsorted order. */
export function makeValue(i: number): JsonObject {
  const value: JsonObject = {
    zone: `eu-${i % 7}`,
    id: i,
    name: `user-${i}`,
    active: i % 2 === 0,
    score: ((i * 7919) % 1000) / 10,
    nested: { zulu: i, yankee: [i, i + 1, i + 2], alpha: { charlie: true, bravo: null } },
    tags: Array.from({ length: 8 }, (_, t) => `tag-${(i + t) % 50}`),
    body: '',
  };
  const filler = 'lorem ipsum dolor sit amet, consectetur adipiscing elit ';
  const missing = VALUE_BYTES - JSON.stringify(value).length;
  value['body'] = filler.repeat(Math.ceil(missing / filler.length)).slice(0, missing);
  return value;
}

/** Values for keys 0..n-1. */
export function makeValues(n: number): JsonObject[] {
  return Array.from({ length: n }, (_, i) => makeValue(i));
}

/**
 * Why `actual` is not the same JSON value as `expected` (deep equality AND the same key order at
 * every level), or null when it is.
 */
export function readBackProblem(actual: unknown, expected: Json): string | null {
  if (actual === undefined || actual === null) return 'read back nothing (miss)';
  if (!isDeepStrictEqual(actual, expected)) {
    if (JSON.stringify(actual) === JSON.stringify(expected)) return 'read back an equal value of another type or prototype';
    return 'read back a different value';
  }
  if (JSON.stringify(actual) !== JSON.stringify(expected)) return 'read back the value with its keys reordered';
  return null;
}
