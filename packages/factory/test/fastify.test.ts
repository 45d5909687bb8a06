import { silentLogger } from '@cache/core';
import { GenericRedisCache } from '@cache/redis';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { cachePlugin } from '../src/fastify.js';
import { CacheServiceProvider } from '../src/index.js';
import { freePort, secureOptions, testEnv, until } from './helpers.js';
import { healthCycleOverHttp, metrics, providerThrough, secureRedisBehindProxy, socketCount } from './http-helpers.js';
import { createCacheConfig } from '@cache/presets';

const redis = secureRedisBehindProxy();

describe('@cache/factory/fastify', () => {
  it('decorates fastify.cache, serves the health route through inject, and shuts the provider down on close', async () => {
    const provider = providerThrough(redis.server, redis.proxy.port);
    const app = Fastify();
    await app.register(cachePlugin, { provider, healthPath: '/cache/health' });
    app.get('/greeting', async () => app.cache.getOrSet('greeting', () => ({ hello: 'world' })));
    await app.ready();
    expect(app.cache).toBeInstanceOf(GenericRedisCache);
    expect((await app.inject('/greeting')).json()).toEqual({ hello: 'world' });
    expect(await app.cache.get('greeting')).toEqual({ hello: 'world' });
    const health = await app.inject('/cache/health');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'healthy', cacheType: 'GenericRedisCache', fallback: false });
    expect((await app.inject('/metrics')).statusCode).toBe(404);
    await app.close();
    expect((app.cache as GenericRedisCache).connectionState).toBe('closed');
    await expect(provider.getCacheService()).rejects.toMatchObject({ code: 'PROVIDER_SHUT_DOWN' });
  });

  it('on a listening server: healthy → degraded when Redis is cut → healthy; /metrics scrapes; close leaves no socket', async () => {
    const baseline = socketCount();
    const provider = providerThrough(redis.server, redis.proxy.port);
    const app = Fastify();
    await app.register(cachePlugin, { provider, healthPath: '/cache/health', metrics: true });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      await app.cache.get('warm-up');
      await healthCycleOverHttp(address, redis.proxy);
    } finally {
      await redis.proxy.restore();
      await app.close();
    }
    expect((app.cache as GenericRedisCache).connectionState).toBe('closed');
    await until(() => socketCount() <= baseline, 5000, 'every socket closed');
  });

  it('a fallback is visible in health (degraded, fallback: true) and in metrics (cache_fallback_active 1); decorateAs renames the decorator', async () => {
    const { redisUrl: _u, ...rest } = secureOptions(redis.server);
    void _u;
    const provider = new CacheServiceProvider({
      config: createCacheConfig({ redisUrl: `rediss://localhost:${await freePort()}`, connectionTimeout: 1 }),
      env: testEnv,
      logger: silentLogger,
      cacheOptions: rest,
    });
    const app = Fastify();
    await app.register(cachePlugin, { provider, healthPath: '/health', metrics: { path: '/prom' }, decorateAs: 'store' });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      expect(app.hasDecorator('store')).toBe(true);
      expect(app.hasDecorator('cache')).toBe(false);
      const health = await fetch(`${address}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'degraded', fallback: true, cacheType: 'InMemoryCache' });
      expect(await metrics(address, '/prom')).toMatch(/^cache_fallback_active\{service="main:[0-9a-f]{16}"\} 1$/m);
    } finally {
      await app.close();
    }
  });

  it('a security refusal (wrong password) fails app startup instead of serving a fallback', async () => {
    const { redisUrl: _u, ...wrong } = secureOptions(redis.server, { security: { aclPassword: 'wrong-password-000' } });
    void _u;
    const provider = new CacheServiceProvider({ config: createCacheConfig({ redisUrl: `rediss://localhost:${redis.server.port}` }), env: testEnv, logger: silentLogger, cacheOptions: wrong });
    const app = Fastify();
    await expect(app.register(cachePlugin, { provider }).ready()).rejects.toMatchObject({ code: 'REDIS_CONNECTION_REFUSED' });
    await provider.shutdown();
  });
});
