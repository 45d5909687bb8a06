import type { AddressInfo } from 'node:net';
import { silentLogger, type CacheInterface } from '@cache/core';
import { InMemoryCache } from '@cache/memory';
import { createCacheConfig } from '@cache/presets';
import { GenericRedisCache } from '@cache/redis';
import { startTcpProxy, type RedisTestServer, type TcpProxy } from '@cache-tooling/test-redis';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheMiddleware, closeOnShutdown, healthHandler, metricsHandler } from '../src/express.js';
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

describe('@cache/factory/express on a real port', () => {
  it('attaches res.locals.cache, health cycles healthy → degraded → healthy, /metrics scrapes, closing the server closes every connection', async () => {
    const baseline = socketCount();
    const provider = providerThrough(server, proxy.port);
    const app = express();
    app.use(cacheMiddleware(provider));
    app.get('/cache/health', healthHandler(provider));
    app.get('/metrics', metricsHandler(provider));
    let seen: CacheInterface | undefined;
    app.get('/visits', async (_req, res) => {
      const cache = res.locals['cache'] as CacheInterface;
      seen = cache;
      res.json(await cache.getOrSet('visits', () => 1));
    });
    const http = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => http.once('listening', () => resolve()));
    const closed = closeOnShutdown(http, provider);
    const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    try {
      expect(await (await fetch(`${base}/visits`)).json()).toBe(1);
      expect(seen).toBeInstanceOf(GenericRedisCache);
      expect(await provider.getCacheService()).toBe(seen);
      await healthCycleOverHttp(base, proxy);
    } finally {
      await proxy.restore();
      http.closeAllConnections();
      http.close();
    }
    expect(await closed).toMatchObject({ disconnectedCaches: 1, errors: [] });
    expect((seen as GenericRedisCache).connectionState).toBe('closed');
    await until(() => socketCount() <= baseline, 5000, 'every socket closed');
  });

  it('the health handler answers 503 for an unhealthy cache and 500 for an invalid configuration', async () => {
    const invalid = new CacheServiceProvider({ config: createCacheConfig({ environment: 'production', redisUrl: 'redis://cache:6379' }), logger: silentLogger });
    const broken = new CacheServiceProvider({ config: createCacheConfig({ redisUrl: 'rediss://cache:6380' }), factory: new WriteRefusingFactory({ logger: silentLogger }), logger: silentLogger });
    const app = express();
    app.get('/invalid', healthHandler(invalid));
    app.get('/broken', healthHandler(broken));
    const http = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => http.once('listening', () => resolve()));
    const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    try {
      const response = await fetch(`${base}/invalid`);
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ error: 'Invalid cache configuration', validationErrors: [expect.stringContaining('rediss://')] });
      const unhealthy = await fetch(`${base}/broken`);
      expect(unhealthy.status).toBe(503);
      expect(await unhealthy.json()).toMatchObject({ status: 'unhealthy', errors: ['Operation test failed: write refused'] });
    } finally {
      http.closeAllConnections();
      http.close();
      await Promise.all([invalid.shutdown(), broken.shutdown()]);
    }
  });
});
