import { ReadThroughEngine, assertStorableValue, type CacheInterface } from '@cache/core';

/** What the interim read-through needs from its cache: its own `get` and `set`, and its default TTL. */
type ReadThroughHost = Pick<CacheInterface, 'get' | 'set'> & { readonly defaultTtl: number };

/**
 * `getOrSet` for `GenericRedisCache`: core's read-through engine over the cache's own `get` and
 * `set`, so coalescing, timeouts, abort, `cacheIf`, `forceRefresh` and the counters are core's one
 * algorithm. In-process single flight only for now: no cross-process lease (`lock` is not used yet)
 * and no grace (a stale value is never served), both of which come with the envelope that carries
 * a value's fresh-until time. A stored value reaches each caller as its own copy (`structuredClone`
 * of the validated JSON data, the same data `get` would decode).
 */
export function createRedisReadThrough(cache: ReadThroughHost): ReadThroughEngine<unknown> {
  return new ReadThroughEngine<unknown>(
    {
      lookup: async (key) => {
        const value = await cache.get(key);
        return value === null ? null : { value, stale: false };
      },
      prepare: (_key, value) => {
        assertStorableValue(value);
        return value;
      },
      store: async (key, value, ttlSeconds, _graceSeconds, _lease, tags) => {
        await cache.set(key, value, tags.length === 0 ? ttlSeconds : { ttl: ttlSeconds, tags });
      },
      materialize: (value) => structuredClone(value),
    },
    { defaultTtl: () => cache.defaultTtl },
  );
}
