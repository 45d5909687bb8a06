import { describe, expect, it } from 'vitest';
import { CacheInterface, assertStorableValue, assertValidKey, resolveTtlSeconds } from '../src/index.js';
import { runCacheInterfaceContract } from '../src/testing.js';

/** The smallest conforming cache: a Map with expiry, used to prove the shared contract suite itself. */
class MapCache extends CacheInterface {
  private readonly entries = new Map<string, { value: unknown; expiresAt: number }>();

  async get<T = unknown>(key: string): Promise<T | null> {
    assertValidKey(key);
    const e = this.entries.get(key);
    if (!e || Date.now() > e.expiresAt) return null;
    return e.value as T;
  }

  async set(key: string, value: unknown, ttl?: number | null): Promise<void> {
    assertValidKey(key);
    assertStorableValue(value);
    const seconds = resolveTtlSeconds(ttl, 3600);
    this.entries.set(key, { value, expiresAt: Date.now() + seconds * 1000 });
  }

  async delete(key: string): Promise<boolean> {
    assertValidKey(key);
    return this.entries.delete(key);
  }

  async exists(key: string): Promise<boolean> {
    assertValidKey(key);
    return (await this.get(key)) !== null;
  }
}

runCacheInterfaceContract(() => new MapCache(), { describe, it, expect, name: 'Map-backed reference cache' });
