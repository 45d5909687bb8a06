import type { AddressInfo } from 'node:net';
import { GenericRedisCache } from '@cache/redis';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { cacheMiddleware, healthHandler, metricsHandler, type CacheVariables } from '../src/hono.js';
import { until } from './helpers.js';
import { failingHealthProviders, healthCycleOverHttp, providerThrough, secureRedisBehindProxy, socketCount } from './http-helpers.js';

const redis = secureRedisBehindProxy();

describe('@cache/factory/hono on a real port', () => {
  it("sets c.var.cache, health cycles healthy → degraded → healthy, /metrics scrapes, shutdown closes every connection", async () => {
    const baseline = socketCount();
    const provider = providerThrough(redis.server, redis.proxy.port);
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
      await healthCycleOverHttp(base, redis.proxy);
    } finally {
      await redis.proxy.restore();
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
    const { invalid, broken } = failingHealthProviders();
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
