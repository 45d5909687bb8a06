import { silentLogger } from '@cache/core';
import { InMemoryCache } from '@cache/memory';
import type { GenericRedisCache } from '@cache/redis';
import { startTcpProxy, type RedisTestServer, type TcpProxy } from '@cache-tooling/test-redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheFactory, checkCacheHealth } from '../src/index.js';
import { secureOptions, startSecureRedis, until } from './helpers.js';

let server: RedisTestServer;
let proxy: TcpProxy;
beforeAll(async () => {
  server = await startSecureRedis();
  proxy = await startTcpProxy({ host: server.host, port: server.port });
});
afterAll(async () => {
  await proxy.close();
  await server.stop();
});

/** Test double: an InMemoryCache with a scripted ping() (no @cache cache has ping()). */
class PingDouble extends InMemoryCache {
  constructor(readonly ping: () => Promise<boolean>) {
    super({ logger: silentLogger });
  }
}

/** Test double: an InMemoryCache whose get/set/delete/getCacheStats are scripted to misbehave. */
class Misbehaving extends InMemoryCache {
  constructor(private readonly fault: 'mismatch' | 'set-throws' | 'delete-throws' | 'stats-throw') {
    super({ logger: silentLogger });
  }
  override async get<T>(key: string): Promise<T | null> {
    return this.fault === 'mismatch' ? ('something else' as T) : super.get<T>(key);
  }
  override async set(key: string, value: unknown, ttl?: number): Promise<void> {
    if (this.fault === 'set-throws') throw new Error('write refused');
    return super.set(key, value, ttl);
  }
  override async delete(key: string): Promise<boolean> {
    if (this.fault === 'delete-throws') throw new Error('delete refused');
    return super.delete(key);
  }
  override async getCacheStats(): ReturnType<InMemoryCache['getCacheStats']> {
    if (this.fault === 'stats-throw') throw new Error('stats unavailable');
    return super.getCacheStats();
  }
}

describe('checkCacheHealth', () => {
  it('a working cache without ping(): round trip ok → healthy, its statistics report attached, test key removed', async () => {
    const cache = new InMemoryCache({ logger: silentLogger });
    const h = await checkCacheHealth(cache);
    expect(h).toMatchObject({ cacheType: 'InMemoryCache', status: 'healthy', pingAvailable: false, operationTest: true, fallback: false, errors: [], warnings: [] });
    expect(h.statistics).toMatchObject({ cache: { kind: 'memory' } });
    expect(cache.size()).toBe(0);
    expect(new Date(h.checkedAt).toISOString()).toBe(h.checkedAt);
    expect(h.durationMs).toBeGreaterThanOrEqual(0);
  });

  it.each([
    [async () => true, 'healthy', [], []],
    [async () => false, 'degraded', ['Ping failed, but the cache may still serve requests'], []],
    [async () => Promise.reject(new Error('no route')), 'degraded', [], ['Ping operation failed: no route']],
  ] as Array<[() => Promise<boolean>, string, string[], string[]]>)('ping() → status %#', async (ping, status, warnings, errors) => {
    const h = await checkCacheHealth(new PingDouble(ping));
    expect(h).toMatchObject({ pingAvailable: true, status, warnings, errors, operationTest: false });
  });

  it.each([
    ['mismatch', 'degraded', /Data integrity check failed/, 'warnings'],
    ['set-throws', 'unhealthy', /^Operation test failed: write refused$/, 'errors'],
    ['delete-throws', 'healthy', /^Failed to clean up test data: delete refused$/, 'warnings'],
    ['stats-throw', 'healthy', /^Failed to get cache statistics: stats unavailable$/, 'warnings'],
  ] as const)('a cache whose %s → %s', async (fault, status, message, list) => {
    const h = await checkCacheHealth(new Misbehaving(fault));
    expect(h.status).toBe(status);
    expect(h[list]).toEqual([expect.stringMatching(message)]);
  });

  it('a fallback cache is capped at degraded with a warning saying so', async () => {
    const h = await checkCacheHealth(new InMemoryCache({ logger: silentLogger }), { fallback: true });
    expect(h.status).toBe('degraded');
    expect(h.warnings).toContain('Serving from in-memory fallback; Redis is unavailable');
  });

  it('a Redis cache with L1 whose connection is cut is degraded (L1 passes the round trip), and healthy again once restored', async () => {
    const cache = (await new CacheFactory({ logger: silentLogger }).forWebApp(secureOptions(server, { port: proxy.port }))) as GenericRedisCache;
    try {
      expect((await checkCacheHealth(cache)).status).toBe('healthy');
      await proxy.cut();
      await until(() => cache.connectionState !== 'ready', 5000, 'the cut to be noticed');
      const cut = await checkCacheHealth(cache);
      expect(cut.status).toBe('degraded');
      expect(cut.operationTest).toBe(true);
      expect(cut.warnings).toContainEqual(expect.stringMatching(/^Redis connection state: (reconnecting|connecting)$/));
      await proxy.restore();
      await until(async () => (await checkCacheHealth(cache)).status === 'healthy', 15_000, 'healthy after restore');
    } finally {
      await proxy.restore();
      await cache.disconnect();
    }
  });
});
