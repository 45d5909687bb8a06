import type { AddressInfo } from 'node:net';
import { silentLogger, type CacheInterface } from '@cache/core';
import { InMemoryCache } from '@cache/memory';
import { createCacheConfig } from '@cache/presets';
import { GenericRedisCache } from '@cache/redis';
import { serve } from '@hono/node-server';
import { startTcpProxy, type RedisTestServer, type TcpProxy } from '@cache-tooling/test-redis';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheMiddleware, healthHandler, metricsHandler, type CacheVariables } from '../src/hono.js';
import { CacheFactory, CacheServiceProvider } from '../src/index.js';
import { startSecureRedis, until } from './helpers.js';
import { healthCycleOverHttp, providerThrough, socketCount } from './http-helpers.js';

/** Test double: a factory whose every cache refuses writes (no @cache cache can be made to fail set() on demand). */
class WriteRefusingFactory extends CacheFactory {
  override async createCacheFromConfig(): Promise<CacheInterface> {
    return new (class extends InMemoryCache {
      override async set(): Promise<void> {
        throw new Error('write refused');
      }
    })({ logger: silentLogger });
  }
}

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

describe('@cache/factory/hono on a real port', () => {
  it("sets c.var.cache, health cycles healthy → degraded → healthy, /metrics scrapes, shutdown closes every connection", async () => {
    const baseline = socketCount();
    const provider = providerThrough(server, proxy.port);
    const app = new Hono<CacheVariables>();
    app.use('/notes/*', cacheMiddleware(provider));
    app.get('/notes/:id', async (c) => c.json(await c.var.cache.getOrSet(`note:${c.req.param('id')}`, () => ({ id: c.req.param('id') }))));
    app.get('/cache/health', healthHandler(provider));
    app.get('/metrics', metricsHandler(provider));
    const http = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => (http.listening ? resolve() : http.once('listening', () => resolve())));
    const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const cache = await provider.getCacheService();
    try {
      expect(await (await fetch(`${base}/notes/7`)).json()).toEqual({ id: '7' });
      expect(cache).toBeInstanceOf(GenericRedisCache);
      expect(await cache.get('note:7')).toEqual({ id: '7' });
      await healthCycleOverHttp(base, proxy);
    } finally {
      await proxy.restore();
      await new Promise<void>((resolve) => {
        (http as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        http.close(() => resolve());
      });
      await provider.shutdown();
    }
    expect((cache as GenericRedisCache).connectionState).toBe('closed');
    await until(() => socketCount() <= baseline, 5000, 'every socket closed');
  });

  it('health answers 503 for an unhealthy cache and 500 for an invalid configuration (Hono test kit: app.request)', async () => {
    const invalid = new CacheServiceProvider({ config: createCacheConfig({ environment: 'production', redisUrl: 'redis://cache:6379' }), logger: silentLogger });
    const broken = new CacheServiceProvider({ config: createCacheConfig({ redisUrl: 'rediss://cache:6380' }), factory: new WriteRefusingFactory({ logger: silentLogger }), logger: silentLogger });
    const app = new Hono();
    app.get('/invalid', healthHandler(invalid));
    app.get('/broken', healthHandler(broken));
    const bad = await app.request('/invalid');
    expect(bad.status).toBe(500);
    expect(await bad.json()).toMatchObject({ error: 'Invalid cache configuration' });
    const unhealthy = await app.request('/broken');
    expect(unhealthy.status).toBe(503);
    expect(await unhealthy.json()).toMatchObject({ status: 'unhealthy', cacheType: 'InMemoryCache' });
    await Promise.all([invalid.shutdown(), broken.shutdown()]);
  });
});
