import { describe, expect, it } from 'vitest';
import {
  CacheInterface,
  ReadThroughEngine,
  assertStorableValue,
  assertValidKey,
  resolveTtlSeconds,
  systemClock,
  type Clock,
  type Duration,
  type Factory,
  type GetOrSetOptions,
  type ReadThroughHit,
  type SetOptions,
} from '../src/index.js';
import { runCacheInterfaceContract } from '../src/testing.js';

interface Entry {
  value: unknown;
  freshUntil: number;
  expiresAt: number;
}

/**
 * The smallest conforming cache: a Map with expiry and grace, used to prove the shared contract
 * suite itself and that core's read-through engine needs nothing but four storage primitives.
 */
class MapCache extends CacheInterface {
  private readonly entries = new Map<string, Entry>();
  private readonly readThrough: ReadThroughEngine<unknown>;

  constructor(private readonly clock: Clock = systemClock) {
    super();
    this.readThrough = new ReadThroughEngine<unknown>(
      {
        lookup: (key) => this.lookup(key),
        prepare: (_key, value) => {
          assertStorableValue(value);
          return value;
        },
        store: (key, value, ttlSeconds, graceSeconds) => this.put(key, value, ttlSeconds, graceSeconds),
        materialize: (value) => value,
      },
      { defaultTtl: () => 3600 },
    );
  }

  async get<T = unknown>(key: string): Promise<T | null> {
    const hit = this.lookup(key);
    return hit === null || hit.stale ? null : (hit.value as T);
  }

  async set(key: string, value: unknown, ttl?: Duration | SetOptions | null): Promise<void> {
    assertValidKey(key);
    assertStorableValue(value);
    this.put(key, value, resolveTtlSeconds(ttl, 3600), 0);
  }

  async delete(key: string): Promise<boolean> {
    assertValidKey(key);
    return (await this.get(key)) !== null && this.entries.delete(key);
  }

  async exists(key: string): Promise<boolean> {
    assertValidKey(key);
    return (await this.get(key)) !== null;
  }

  getOrSet<T>(key: string, factory: Factory<T>, options?: GetOrSetOptions<T>): Promise<T> {
    return this.readThrough.getOrSet(key, factory, options);
  }

  /** Validates `key` as the engine's storage contract asks, then finds it. */
  private lookup(key: string): ReadThroughHit | null {
    assertValidKey(key);
    const e = this.entries.get(key);
    const now = this.clock.now();
    if (!e || now > e.expiresAt) return null;
    return { value: e.value, stale: now > e.freshUntil };
  }

  private put(key: string, value: unknown, ttlSeconds: number, graceSeconds: number): void {
    const freshUntil = this.clock.now() + ttlSeconds * 1000;
    this.entries.set(key, { value, freshUntil, expiresAt: freshUntil + graceSeconds * 1000 });
  }
}

runCacheInterfaceContract(() => new MapCache(), {
  describe,
  it,
  expect,
  name: 'Map-backed reference cache',
  makeCacheWithClock: (clock) => new MapCache(clock),
});
