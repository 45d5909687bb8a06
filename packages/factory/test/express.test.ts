import type { AddressInfo } from 'node:net';
import type { CacheInterface } from '@cache/core';
import { GenericRedisCache } from '@cache/redis';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { cacheMiddleware, closeOnShutdown, healthHandler, metricsHandler } from '../src/express.js';
import { until } from './helpers.js';
import { failingHealthProviders, healthCycleOverHttp, providerThrough, secureRedisBehindProxy, socketCount } from './http-helpers.js';

const redis = secureRedisBehindProxy();

describe('@cache/factory/express on a real port', () => {
  it('attaches res.locals.cache, health cycles healthy → degraded → healthy, /metrics scrapes, closing the server closes every connection', async () => {
    const baseline = socketCount();
    const provider = providerThrough(redis.server, redis.proxy.port);
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
      await healthCycleOverHttp(base, redis.proxy);
    } finally {
      await redis.proxy.restore();
      http.closeAllConnections();
      http.close();
    }
    expect(await closed).toMatchObject({ disconnectedCaches: 1, errors: [] });
    expect((seen as GenericRedisCache).connectionState).toBe('closed');
    await until(() => socketCount() <= baseline, 5000, 'every socket closed');
  });

  it('the health handler answers 503 for an unhealthy cache and 500 for an invalid configuration', async () => {
    const { invalid, broken } = failingHealthProviders();
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
