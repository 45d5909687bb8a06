/** Time-to-live in whole seconds, 1..{@link MAX_TTL_SECONDS}. */
export type TtlSeconds = number;

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
  /** Stores `value` under `key` for `ttl` seconds (default TTL when omitted); overwrites value and TTL. */
  abstract set(key: string, value: unknown, ttl?: TtlSeconds | null): Promise<unknown>;
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
 * Shared statistics report shape. `performance.hitRate` is a fraction 0..1 rounded to 4
 * decimals; `performance.totalOperations` = hits + misses (lookups only).
 */
export interface CacheStatsReport {
  redis: { status: string; [k: string]: unknown };
  memory: { status: string; [k: string]: unknown };
  performance: {
    status: string;
    hitRate: number;
    totalOperations: number;
    hits: number;
    misses: number;
    [k: string]: unknown;
  };
}

/** Optional capability: produce a {@link CacheStatsReport}. */
export interface CacheStatsSource {
  getCacheStats(): Promise<CacheStatsReport>;
}
