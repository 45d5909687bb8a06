import type { Duration } from './duration.js';
import { assertSetManyEntries, assertValidKeys } from './validation.js';

/** Time-to-live in whole seconds, 1..{@link MAX_TTL_SECONDS}. */
export type TtlSeconds = number;

/** What a `getOrSet` factory is given. */
export interface FactoryContext<T> {
  /** The key being computed. */
  readonly key: string;
  /**
   * Aborted when no caller waits for this factory call any more (each caller left through its own
   * signal or hard timeout); a factory that honours it stops early. A value it still returns is stored.
   */
  readonly signal: AbortSignal;
  /** The stale value (past its TTL, within its grace period) this call refreshes, if any. */
  readonly staleValue: T | undefined;
}

/** Options of `getOrSet`. Units: seconds for `ttl` and `grace`, milliseconds for timeouts and `lock` (numbers or duration strings). */
export interface GetOrSetOptions<T> {
  /** Time to live of the stored value (seconds, or a duration such as `'10m'`); default the cache's default TTL. */
  ttl?: Duration;
  /** How long past its TTL the value is kept to be served when a refresh fails or times out (seconds); default 0. */
  grace?: Duration;
  /** Soft timeout (ms): past it a caller holding a stale value gets it, while the factory finishes and stores in the background. */
  timeout?: Duration;
  /** Hard timeout (ms): past it the caller gets its stale value if it has one, else a `FactoryTimeoutError`. */
  hardTimeout?: Duration;
  /** This caller's signal: aborting it rejects this caller only, with a `CacheError` coded `ABORTED`. */
  signal?: AbortSignal;
  /** Ignore a cached value and run the factory (still coalesced with calls in flight); the result is stored. */
  forceRefresh?: boolean;
  /** Decides whether a factory value is stored; `false`: returned to the callers but not stored. */
  cacheIf?: (value: T) => boolean;
  /** Cross-process lease (Redis only; ignored by in-process caches): `ttl` of the lease and how long followers `wait` (ms). */
  lock?: { ttl?: Duration; wait?: Duration };
  /** Tags of the stored value, as `set`'s (see {@link SetOptions.tags}). */
  tags?: readonly string[];
}

/** The factory `getOrSet` calls on a miss. */
export type Factory<T> = (ctx: FactoryContext<T>) => T | Promise<T>;

/** Options of `set`. */
export interface SetOptions {
  /** Time to live: whole seconds (bare number) or a duration string such as `'10m'`; default the cache's default TTL. */
  ttl?: Duration | null;
  /**
   * Labels for invalidating groups of keys together (`invalidateTags` of a cache that supports it):
   * at most 64 non-empty, well-formed strings of at most 256 characters; a new `set` of the key
   * replaces its tags. Anything else is a `ValidationError` `INVALID_TAGS`.
   */
  tags?: readonly string[];
}

/** One entry of `setMany`: what `set(key, value, ttl)` takes. */
export interface SetManyEntry {
  readonly key: string;
  readonly value: unknown;
  /** As `set`'s third argument: a TTL, `null`/`undefined` for the default, or {@link SetOptions}. */
  readonly ttl?: Duration | SetOptions | null;
}

/**
 * The contract every `@cache/*` cache implements. All methods return Promises, even in memory.
 * `get` resolves `null` on a miss (so `null`/`undefined` cannot be stored), `delete` resolves
 * `true` iff a live entry was removed, and `exists` neither counts as a hit/miss nor refreshes
 * recency or TTL. Invalid input rejects with `ValidationError`; backend failures resolve the
 * miss-shaped result unless the implementation is configured to fail fast.
 */
export abstract class CacheInterface {
  constructor() {
    if (new.target === CacheInterface) {
      throw new TypeError('CacheInterface is abstract: extend it and implement get, set, delete, exists and getOrSet');
    }
  }

  /** Resolves the stored value, or `null` when missing or expired. */
  abstract get<T = unknown>(key: string): Promise<T | null>;
  /**
   * Stores `value` under `key`, overwriting value and TTL. The third argument is the TTL (whole
   * seconds, or a duration string such as `'10m'`), `null`/`undefined` for the default TTL, or
   * {@link SetOptions}; a TTL that is not whole seconds in 1..31 536 000 rejects with `INVALID_TTL`.
   */
  abstract set(key: string, value: unknown, ttlOrOptions?: Duration | SetOptions | null): Promise<unknown>;
  /** Removes `key`; resolves `true` iff a live entry was removed. Idempotent, never rejects for a missing key. */
  abstract delete(key: string): Promise<boolean>;
  /** Resolves `true` only for a present, unexpired entry, without touching statistics, recency or TTL. */
  abstract exists(key: string): Promise<boolean>;
  /**
   * Read-through: resolves the cached value of `key`, or runs `factory` once for every concurrent
   * caller of this cache instance (single flight), stores its value like `set` (validated the same
   * way) and resolves it to each caller (its own copy whenever `get` returns copies). A factory
   * failure rejects every waiter with `FactoryError` and stores nothing, unless a caller holds a
   * value within its grace period, which it then gets. A caller joining a call in flight shares
   * its outcome, stored with the first caller's `ttl`, `grace` and `cacheIf`; its own `signal` and
   * timeouts still apply to it. See {@link GetOrSetOptions}.
   */
  abstract getOrSet<T>(key: string, factory: Factory<T>, options?: GetOrSetOptions<T>): Promise<T>;

  /**
   * Resolves the values of `keys` in order, `null` for each miss, each key exactly as `get` would
   * (counters, recency, tiers). Every key is validated first: one invalid key (or a non-array)
   * rejects with `ValidationError` `INVALID_KEY` before any lookup. This default runs the gets
   * concurrently; caches override it with a batched lookup of the same semantics.
   */
  getMany<T = unknown>(keys: readonly string[]): Promise<Array<T | null>> {
    try {
      assertValidKeys(keys);
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.all(keys.map((key) => this.get<T>(key)));
  }

  /**
   * Stores every entry as `set(key, value, ttl)` would, and resolves `set`'s results in order.
   * Every key, value and TTL is validated first: one invalid entry (or a non-array) rejects with
   * `ValidationError` (`INVALID_KEY`, `INVALID_VALUE`, `INVALID_TTL`) before anything is written.
   * A value the codec refuses rejects the call after the other entries were written. For a key
   * given twice, the later entry wins.
   */
  setMany(entries: readonly SetManyEntry[]): Promise<unknown[]> {
    try {
      assertSetManyEntries(entries);
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.all(entries.map((entry) => this.set(entry.key, entry.value, entry.ttl)));
  }
}

/** Structural check: `x` has callable `get`, `set`, `delete`, `exists` and `getOrSet`. */
export function isCacheInterface(x: unknown): x is CacheInterface {
  if ((typeof x !== 'object' && typeof x !== 'function') || x === null) return false;
  const o = x as Record<string, unknown>;
  return (
    typeof o['get'] === 'function' &&
    typeof o['set'] === 'function' &&
    typeof o['delete'] === 'function' &&
    typeof o['exists'] === 'function' &&
    typeof o['getOrSet'] === 'function'
  );
}

/** Optional capability: delete every key matching a Redis `MATCH` glob; resolves the count. */
export interface PatternInvalidation {
  invalidatePattern(pattern: string, operationContext?: string): Promise<number>;
}

/**
 * Optional capability: removes every entry stored with at least one of `tags` (see
 * `SetOptions.tags`), in this cache and — for a shared cache — for every instance sharing it;
 * resolves how many entries were removed. Invalid tags reject with `ValidationError` `INVALID_TAGS`.
 */
export interface TagInvalidation {
  invalidateTags(tags: readonly string[]): Promise<number>;
}

/** Optional capability: build a cache key for an operation on a text. */
export interface KeyBuilder {
  buildKey(text: string, operation: string, options: Readonly<Record<string, unknown>>): string;
}

/** Structural key generator (implemented by `CacheKeyGenerator` in `@cache/redis-ai`). */
export interface KeyGenerator {
  generateCacheKey(text: string, operation: string, options: Readonly<Record<string, unknown>>): string;
}

/**
 * The statistics report every cache gives (`getCacheStats()`). `cache` names it (`name` is the
 * cache's `name` option, the `cache` label of its metrics; `kind` is e.g. `'memory'`, `'redis'`).
 * `performance.hitRate` is a ratio 0..1 (hits / lookups, `0` before any lookup) and
 * `performance.totalOperations` = hits + misses (lookups only). A tier section (`memory`,
 * `redis`, …) is present only when the cache has that tier.
 */
export interface CacheStatsReport {
  cache: { name: string; kind: string };
  performance: {
    hitRate: number;
    hits: number;
    misses: number;
    totalOperations: number;
    [k: string]: unknown;
  };
  memory?: { [k: string]: unknown };
  redis?: { [k: string]: unknown };
  [section: string]: unknown;
}

/** Optional capability: produce a {@link CacheStatsReport}. */
export interface CacheStatsSource {
  getCacheStats(): Promise<CacheStatsReport>;
}
