import { ConfigurationError, InfrastructureError, ValidationError, silentLogger } from '@cache/core';
import { InMemoryCache } from '@cache/memory';
import type { GenericRedisCache } from '@cache/redis';
import type { RedisTestServer } from '@cache-tooling/test-redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheFactory, CacheRegistry } from '../src/index.js';
import { secureOptions, startSecureRedis } from './helpers.js';

let server: RedisTestServer;
beforeAll(async () => {
  server = await startSecureRedis();
});
afterAll(async () => {
  await server.stop();
});

const memory = () => new InMemoryCache({ logger: silentLogger });

/** Test double: an InMemoryCache whose disconnect() is scripted (no @cache cache fails or hangs on disconnect on demand). */
class ScriptedDisconnect extends InMemoryCache {
  constructor(readonly disconnect: () => Promise<void>) {
    super({ logger: silentLogger });
  }
}

describe('CacheRegistry.getOrCreate', () => {
  it('20 concurrent callers share one creation and get the same instance; later calls never create again', async () => {
    const registry = new CacheRegistry({ logger: silentLogger });
    let creations = 0;
    const create = async () => {
      creations++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return memory();
    };
    const caches = await Promise.all(Array.from({ length: 20 }, () => registry.getOrCreate('main', create)));
    expect(creations).toBe(1);
    expect(new Set(caches).size).toBe(1);
    expect(await registry.getOrCreate('main', create)).toBe(caches[0]);
    expect(creations).toBe(1);
    expect(registry.keys()).toEqual(['main']);
    expect(registry.peek('main')).toBe(caches[0]);
    expect(registry.peek('other')).toBeUndefined();
  });

  it('a failed creation is not cached: the next call retries; plain errors are wrapped, CacheErrors pass unchanged', async () => {
    const registry = new CacheRegistry({ logger: silentLogger });
    const error = await registry.getOrCreate('k', () => Promise.reject(new Error('boom'))).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(InfrastructureError);
    expect(error).toMatchObject({ message: 'Failed to create cache instance: boom', context: { cache_key: 'k', original_error: 'boom' } });
    const typed = new ValidationError('bad option');
    await expect(registry.getOrCreate('k', () => Promise.reject(typed))).rejects.toBe(typed);
    const cache = memory();
    expect(await registry.getOrCreate('k', async () => cache)).toBe(cache);
  });

  it('records whether a created cache is a fallback (isFallback option) and register() flags explicitly', async () => {
    const fallbackCache = memory();
    const registry = new CacheRegistry({ logger: silentLogger, isFallback: (c) => c === fallbackCache });
    await registry.getOrCreate('a', async () => fallbackCache);
    const other = memory();
    registry.register('b', other);
    const flagged = memory();
    registry.register('c', flagged, { fallback: true });
    expect([registry.isFallback(fallbackCache), registry.isFallback(other), registry.isFallback(flagged)]).toEqual([true, false, true]);
    expect(() => registry.register('b', memory())).toThrow(ConfigurationError);
  });
});

describe('CacheRegistry.cleanup', () => {
  it('disconnects every cache with disconnect(), collects failures, never throws, and a second call returns zeros', async () => {
    const registry = new CacheRegistry({ logger: silentLogger });
    const redis = (await new CacheFactory({ logger: silentLogger }).forWebApp(secureOptions(server))) as GenericRedisCache;
    registry.register('redis', redis);
    registry.register('memory', memory());
    registry.register('broken', new ScriptedDisconnect(() => Promise.reject(new Error('socket already gone'))));
    const stats = await registry.cleanup();
    expect(stats).toEqual({ totalEntries: 3, activeCaches: 2, disconnectedCaches: 1, errors: ['Failed to disconnect cache broken: socket already gone'] });
    expect(redis.connectionState).toBe('closed');
    expect(registry.keys()).toEqual([]);
    expect(await registry.cleanup()).toEqual({ totalEntries: 0, activeCaches: 0, disconnectedCaches: 0, errors: [] });
  });

  it('is bounded: a disconnect that never settles is reported as timed out', async () => {
    const registry = new CacheRegistry({ logger: silentLogger, shutdownTimeoutMs: 100 });
    registry.register('hung', new ScriptedDisconnect(() => new Promise(() => undefined)));
    const stats = await registry.cleanup();
    expect(stats.errors).toEqual(['Failed to disconnect cache hung: timed out after 100 ms']);
  });

  it('waits for a creation in flight and disconnects it too', async () => {
    const registry = new CacheRegistry({ logger: silentLogger });
    const factory = new CacheFactory({ logger: silentLogger });
    const creating = registry.getOrCreate('late', () => factory.forWebApp(secureOptions(server)));
    const stats = await registry.cleanup();
    const cache = (await creating) as GenericRedisCache;
    expect(stats.disconnectedCaches).toBe(1);
    expect(cache.connectionState).toBe('closed');
  });

  it('await using disposes the registry (connections closed at scope exit)', async () => {
    let redis: GenericRedisCache;
    {
      await using registry = new CacheRegistry({ logger: silentLogger });
      redis = (await registry.getOrCreate('r', () => new CacheFactory({ logger: silentLogger }).forWebApp(secureOptions(server)))) as GenericRedisCache;
      expect(redis.connectionState).toBe('ready');
    }
    expect(redis.connectionState).toBe('closed');
  });
});
