import { ReadThroughEngine, assertStorableValue } from '@cache/core';
import { assertRedisKey, type CacheParts } from './cache-parts.js';
import { RedisLease } from './lease.js';
import type { ReadPath } from './read-path.js';
import { assertValueSize } from './value-size.js';
import type { WritePath } from './write-path.js';

/** A factory value validated and encoded once by the codec; each caller decodes its own copy. */
interface Prepared {
  readonly value: unknown;
  readonly codecBytes: Uint8Array;
}

/** `getOrSet` of one `GenericRedisCache`: core's engine, its storage over the cache's paths, and the cross-process lease. */
export interface RedisReadThrough {
  readonly engine: ReadThroughEngine<Prepared>;
  readonly lease: RedisLease<Prepared>;
}

/**
 * Builds `getOrSet` for `GenericRedisCache` on core's one read-through engine (coalescing, grace,
 * timeouts, abort, `cacheIf`, `forceRefresh`, counters). Lookups are `get`s that also report a
 * value within its grace period as stale, and are the key check the engine relies on: an invalid
 * key throws core's `INVALID_KEY` (or Redis' size limit's) synchronously, before anything is
 * counted or sent; stores are `set`s of the prepared value — fresh for the
 * TTL, kept `grace` seconds longer in Redis (L1 holds it only while fresh), and fenced by the
 * flight's lease so that a leader that lost its lease cannot overwrite a newer value.
 */
export function createRedisReadThrough(parts: CacheParts, read: ReadPath, write: WritePath): RedisReadThrough {
  const codec = parts.o.codec;
  const prepare = (value: unknown): Prepared => {
    assertStorableValue(value);
    const codecBytes = codec.encode(value);
    assertValueSize(codecBytes, parts.o.maxValueBytes);
    return { value, codecBytes };
  };
  const lease = new RedisLease<Prepared>({
    parts,
    fresh: async (key) => {
      const value = await read.peek(key);
      return value === null ? null : { value, codecBytes: codec.encode(value) };
    },
  });
  const engine = new ReadThroughEngine<Prepared>(
    {
      lookup: (key) => read.lookup(key),
      prepare: (key, value) => {
        assertRedisKey(key);
        return prepare(value);
      },
      store: async (key, prepared, ttlSeconds, graceSeconds, grant, tags) => {
        await write.write(key, prepared.value, prepared.codecBytes, ttlSeconds, graceSeconds, grant && lease.fence(key, grant), tags);
      },
      materialize: (prepared) => codec.decode(prepared.codecBytes),
    },
    { defaultTtl: () => parts.o.defaultTtl, lease },
  );
  return { engine, lease };
}
