import type { Duration } from './duration.js';

/** Time-to-live in whole seconds, 1..{@link MAX_TTL_SECONDS}. */
export type TtlSeconds = number;

/** Options of `set`. */
export interface SetOptions {
  /** Time to live: whole seconds (bare number) or a duration string such as `'10m'`; default the cache's default TTL. */
  ttl?: Duration | null;
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
      throw new TypeError('CacheInterface is abstract: extend it and implement get, set, delete and exists');
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
}

/** Structural check: `x` has callable `get`, `set`, `delete` and `exists`. */
export function isCacheInterface(x: unknown): x is CacheInterface {
  if ((typeof x !== 'object' && typeof x !== 'function') || x === null) return false;
  const o = x as Record<string, unknown>;
  return (
    typeof o['get'] === 'function' &&
    typeof o['set'] === 'function' &&
    typeof o['delete'] === 'function' &&
    typeof o['exists'] === 'function'
  );
}

/** Optional capability: delete every key matching a Redis `MATCH` glob; resolves the count. */
export interface PatternInvalidation {
  invalidatePattern(pattern: string, operationContext?: string): Promise<number>;
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
