import type { CacheInterface, TagInvalidation } from './cache-interface.js';
import { ManualClock } from './clock.js';
import { CacheError, isValidationError } from './errors.js';
import { registerReadThroughContract } from './testing-read-through.js';

/** The few matchers the contract suite needs; vitest's and jest's `expect` satisfy it. */
export interface ContractExpect {
  (actual: unknown): { toBe(expected: unknown): void; toEqual(expected: unknown): void };
}

/** Test-framework hooks for {@link runCacheInterfaceContract}; pass vitest's (or jest's, node:test's). */
export interface ContractTestApi {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>): void;
  expect: ContractExpect;
  /** Suite title; default `CacheInterface contract`. */
  name?: string;
  /** Called after each test with the cache it made (close connections here). */
  dispose?: (cache: CacheInterface) => void | Promise<void>;
  /**
   * Makes a fresh, empty cache whose expiry follows `clock`. When given, the TTL and grace tests of
   * `getOrSet` (stale values, soft and hard timeouts with a stale value) are registered too; leave it
   * out for a cache whose freshness a test cannot drive.
   */
  makeCacheWithClock?: (clock: ManualClock) => CacheInterface | Promise<CacheInterface>;
  /** The cache implements `TagInvalidation` (`set`/`getOrSet` with `tags`, `invalidateTags`): its tests are registered too. */
  supportsTags?: boolean;
}

/** JSON-compatible values every cache must return deep-equal (core rule 9). */
export const CONTRACT_ROUND_TRIP_VALUES: ReadonlyArray<readonly [string, unknown]> = [
  ['string', 'hello world'],
  ['empty string', ''],
  ['integer', 42],
  ['negative float', -3.25],
  ['zero', 0],
  ['true', true],
  ['false', false],
  ['array', [1, 'two', false, null]],
  ['100-element array', Array.from({ length: 100 }, (_, i) => i)],
  ['empty object', {}],
  ['empty array', []],
  ['nested object with nulls', { a: { b: [1, { c: null }], d: 'x' }, e: null }],
  ['unicode and emoji', { text: 'héllo wörld — 日本語 🚀👍🏽' }],
];

/** Key shapes every cache must accept (core rule 14). */
export const CONTRACT_VALID_KEYS: readonly string[] = [
  'simple',
  'with:colons:here',
  'with-dashes',
  'with_underscores',
  'with.dots',
  '123starts-with-digits',
  'UPPER_and_Mixed_Case',
  `long:${'k'.repeat(64)}`,
  'ünïcødé:键',
];

const INVALID_KEYS: ReadonlyArray<readonly [string, unknown]> = [
  ['empty string', ''],
  ['number', 123],
  ['undefined', undefined],
  ['null', null],
  ['lone high surrogate', 'a\uD800'],
  ['lone low surrogate', 'a\uDFFF'],
];

type Method = 'get' | 'set' | 'delete' | 'exists' | 'invalidateTags';

/** Calls a cache method with an arbitrary argument; fails if it throws synchronously instead of rejecting. */
function call(cache: CacheInterface, method: Method, key: unknown, value?: unknown, ttl?: unknown): Promise<unknown> {
  let result: unknown;
  try {
    const fn = (cache as unknown as Record<Method, unknown>)[method] as (...args: unknown[]) => unknown;
    result = method === 'set' ? fn.call(cache, key, value, ttl) : fn.call(cache, key);
  } catch (error) {
    throw new Error(`${method}() threw synchronously instead of returning a rejected promise: ${String(error)}`);
  }
  if (!(result instanceof Promise)) throw new Error(`${method}() did not return a Promise`);
  return result;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection, but the call resolved');
    },
    (error: unknown) => error,
  );
}

/**
 * Registers the shared `CacheInterface` contract (core rules 7–15) as tests, using the caller's
 * test framework. Every cache implementation runs it; `makeCache` must return a fresh, empty cache.
 */
export function runCacheInterfaceContract(
  makeCache: () => CacheInterface | Promise<CacheInterface>,
  api: ContractTestApi,
): void {
  const { describe, it, expect } = api;

  const withCache = (body: (cache: CacheInterface) => Promise<void>) => async (): Promise<void> => {
    const cache = await makeCache();
    try {
      await body(cache);
    } finally {
      await api.dispose?.(cache);
    }
  };

  const withTwoCaches = (body: (a: CacheInterface, b: CacheInterface) => Promise<void>) => async (): Promise<void> => {
    const one = await makeCache();
    try {
      const two = await makeCache();
      try {
        await body(one, two);
      } finally {
        await api.dispose?.(two);
      }
    } finally {
      await api.dispose?.(one);
    }
  };

  const makeClocked = api.makeCacheWithClock;
  const withClockedCache =
    makeClocked === undefined
      ? undefined
      : (body: (cache: CacheInterface, clock: ManualClock) => Promise<void>) => async (): Promise<void> => {
          const clock = new ManualClock(1_000_000);
          const cache = await makeClocked(clock);
          try {
            await body(cache, clock);
          } finally {
            await api.dispose?.(cache);
          }
        };

  const expectCacheError = (error: unknown, code: string): void => {
    expect(isValidationError(error)).toBe(true);
    expect(CacheError.isCacheError(error) ? error.code : undefined).toBe(code);
  };

  describe(api.name ?? 'CacheInterface contract', () => {
    it('every method returns a Promise', withCache(async (cache) => {
      for (const method of ['get', 'set', 'delete', 'exists'] as const) {
        await call(cache, method, 'contract:promise', 'v');
      }
      await cache.delete('contract:promise');
    }));

    it('follows set → exists → get → delete → exists → get', withCache(async (cache) => {
      await cache.set('contract:workflow', { n: 1 });
      expect(await cache.exists('contract:workflow')).toBe(true);
      expect(await cache.get('contract:workflow')).toEqual({ n: 1 });
      expect(await cache.delete('contract:workflow')).toBe(true);
      expect(await cache.exists('contract:workflow')).toBe(false);
      expect(await cache.get('contract:workflow')).toBe(null);
    }));

    it('a missing key misses: get null, exists false, delete resolves false', withCache(async (cache) => {
      expect(await cache.get('contract:missing')).toBe(null);
      expect(await cache.exists('contract:missing')).toBe(false);
      expect(await cache.delete('contract:missing')).toBe(false);
    }));

    it('round-trips JSON-compatible values deep-equal', withCache(async (cache) => {
      for (const [label, value] of CONTRACT_ROUND_TRIP_VALUES) {
        await cache.set(`contract:value:${label}`, value);
        expect({ label, value: await cache.get(`contract:value:${label}`) }).toEqual({ label, value });
      }
    }));

    it('set overwrites an existing value', withCache(async (cache) => {
      await cache.set('contract:overwrite', 'first', 60);
      await cache.set('contract:overwrite', 'second', 120);
      expect(await cache.get('contract:overwrite')).toBe('second');
    }));

    it('delete is idempotent', withCache(async (cache) => {
      await cache.set('contract:delete-twice', 1);
      expect(await cache.delete('contract:delete-twice')).toBe(true);
      expect(await cache.delete('contract:delete-twice')).toBe(false);
    }));

    it('accepts every non-empty string key shape', withCache(async (cache) => {
      for (const key of CONTRACT_VALID_KEYS) {
        await cache.set(key, key.length);
        expect({ key, value: await cache.get(key) }).toEqual({ key, value: key.length });
        expect({ key, exists: await cache.exists(key) }).toEqual({ key, exists: true });
      }
    }));

    it('rejects invalid keys on every method with INVALID_KEY', withCache(async (cache) => {
      for (const [, key] of INVALID_KEYS) {
        for (const method of ['get', 'set', 'delete', 'exists'] as const) {
          expectCacheError(await rejection(call(cache, method, key, 'v')), 'INVALID_KEY');
        }
      }
    }));

    it('rejects null and undefined values with INVALID_VALUE and keeps the old value', withCache(async (cache) => {
      await cache.set('contract:keep', 'kept');
      for (const value of [null, undefined]) {
        expectCacheError(await rejection(call(cache, 'set', 'contract:keep', value)), 'INVALID_VALUE');
      }
      expect(await cache.get('contract:keep')).toBe('kept');
    }));

    it('rejects invalid TTLs with INVALID_TTL and stores nothing', withCache(async (cache) => {
      for (const ttl of [0, -1, 0.5, 31_536_001, Number.NaN, Number.POSITIVE_INFINITY, '500ms', '1.5s', '0s', '366d', 'soon', '', { ttl: 0 }, { ttl: '10 minutes' }]) {
        expectCacheError(await rejection(call(cache, 'set', 'contract:bad-ttl', 'v', ttl)), 'INVALID_TTL');
      }
      expect(await cache.exists('contract:bad-ttl')).toBe(false);
    }));

    it('accepts TTLs from 1 to 31536000 seconds and null/undefined for the default', withCache(async (cache) => {
      for (const ttl of [1, 60, 31_536_000, null, undefined]) {
        await cache.set('contract:ttl', String(ttl), ttl);
        expect(await cache.get('contract:ttl')).toBe(String(ttl));
      }
    }));

    it('accepts duration strings and SetOptions wherever it accepts a TTL', withCache(async (cache) => {
      for (const ttl of ['90s', '10m', '1h30m', '2000ms', '365d', '45', { ttl: 60 }, { ttl: '1w' }, {}]) {
        const label = JSON.stringify(ttl);
        await call(cache, 'set', 'contract:duration', label, ttl);
        expect(await cache.get('contract:duration')).toBe(label);
      }
    }));

    it('a value comes back as stored: object key order is kept at every depth', withCache(async (cache) => {
      const value = { zeta: 1, alpha: { mid: [3, { y: 'y', x: 'x' }], first: null }, b: true };
      await cache.set('contract:key-order', value);
      expect(JSON.stringify(await cache.get('contract:key-order'))).toBe(JSON.stringify(value));
    }));

    it('keeps nested nulls inside stored values', withCache(async (cache) => {
      await cache.set('contract:nested-null', { a: null, b: [null, 1] });
      expect(await cache.get('contract:nested-null')).toEqual({ a: null, b: [null, 1] });
    }));

    registerReadThroughContract({ it, expect, withCache, withTwoCaches, withClockedCache });

    const tagged = (body: (cache: CacheInterface & TagInvalidation) => Promise<void>) =>
      withCache(async (cache) => {
        expect(typeof (cache as Partial<TagInvalidation>).invalidateTags).toBe('function');
        await body(cache as CacheInterface & TagInvalidation);
      });

    // Only caches that declare tag support are held to it.
    if (api.supportsTags === true) it('invalidateTags removes the entries written with one of the tags and keeps the others; get, exists and getOrSet agree', tagged(async (cache) => {
      await cache.set('contract:tag:a', 'a', { ttl: 60, tags: ['users', 'team:1'] });
      await cache.set('contract:tag:b', 'b', { tags: ['team:1'] });
      await cache.set('contract:tag:c', 'c', { tags: ['users'] });
      await cache.set('contract:tag:d', 'd');
      await cache.getOrSet('contract:tag:e', () => 'e', { tags: ['team:1'] });
      expect(await cache.invalidateTags(['team:1'])).toBe(3);
      for (const key of ['contract:tag:a', 'contract:tag:b', 'contract:tag:e']) {
        expect(await cache.get(key)).toBe(null);
        expect(await cache.exists(key)).toBe(false);
      }
      expect(await cache.getOrSet('contract:tag:e', () => 'recomputed')).toBe('recomputed');
      expect(await cache.get('contract:tag:c')).toBe('c');
      expect(await cache.get('contract:tag:d')).toBe('d');
      expect(await cache.invalidateTags(['users', 'nothing'])).toBe(1);
      expect(await cache.exists('contract:tag:c')).toBe(false);
      expect(await cache.get('contract:tag:d')).toBe('d');
      expect(await cache.invalidateTags([])).toBe(0);
    }));

    if (api.supportsTags === true) it('invalid tags are a ValidationError INVALID_TAGS and change nothing', tagged(async (cache) => {
      await cache.set('contract:tag:keep', 'v', { tags: ['t'] });
      for (const tags of ['t', [''], [42], ['\ud800'], Array.from({ length: 65 }, (_, i) => `t${i}`), ['x'.repeat(257)]]) {
        expectCacheError(await rejection(call(cache, 'set', 'contract:tag:keep', 'other', { tags })), 'INVALID_TAGS');
        expectCacheError(await rejection(call(cache, 'invalidateTags', tags)), 'INVALID_TAGS');
      }
      expect(await cache.get('contract:tag:keep')).toBe('v');
    }));
  });
}
