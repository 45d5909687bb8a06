import { tracingChannel } from 'node:diagnostics_channel';
import { CACHE_TRACING_CHANNELS, keyFingerprint, silentLogger, type CacheTraceContext } from '@cache/core';
import { InMemoryCache } from '@cache/memory';
import { subscribeCacheOperations, type CacheOperationEvent } from '@cache/monitoring';
import type { GenericRedisCache } from '@cache/redis';
import type { RedisTestServer } from '@cache-tooling/test-redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheFactory } from '../src/index.js';
import { freePort, recordingLogger, secureOptions, startSecureRedis } from './helpers.js';

let server: RedisTestServer;
beforeAll(async () => {
  server = await startSecureRedis();
});
afterAll(async () => {
  await server.stop();
});

const anyTraced = (): boolean => Object.values(CACHE_TRACING_CHANNELS).some((name) => tracingChannel(name).hasSubscribers);

describe('per-operation tracing of factory-built caches through node:diagnostics_channel', () => {
  it('a raw TracingChannel subscriber sees the operations of a factory-built Redis cache, with fingerprints, never keys', async () => {
    const factory = new CacheFactory({ logger: silentLogger });
    const cache = (await factory.forWebApp({ ...secureOptions(server), keyPrefix: 'trace-raw:' })) as GenericRedisCache;
    const seen: CacheTraceContext[] = [];
    const handlers = { start() {}, end() {}, asyncStart() {}, error() {}, asyncEnd: (ctx: unknown) => void seen.push(ctx as CacheTraceContext) };
    const get = tracingChannel(CACHE_TRACING_CHANNELS.get);
    get.subscribe(handlers);
    try {
      await cache.set('user:1', { name: 'Ada' });
      await cache.get('user:1');
      await cache.get('user:2');
    } finally {
      get.unsubscribe(handlers);
      await cache.disconnect();
    }
    expect(seen.map((c) => [c.operation, c.cache, c.kind, c.hit])).toEqual([
      ['get', 'web', 'redis', true],
      ['get', 'web', 'redis', false],
    ]);
    expect(seen[0]?.keyFingerprint).toBe(keyFingerprint('user:1'));
    expect(JSON.stringify(seen)).not.toContain('user:1');
  });

  it('factory.traceOperations reports each finished operation of its caches once, with duration and outcome; other caches are left out', async () => {
    const factory = new CacheFactory({ logger: silentLogger });
    const cache = (await factory.forWebApp({ ...secureOptions(server), keyPrefix: 'trace-factory:', name: 'sessions' })) as GenericRedisCache;
    const elsewhere = new InMemoryCache({ name: 'not-from-the-factory', logger: silentLogger });
    const events: CacheOperationEvent[] = [];
    const before = Date.now();
    const subscription = factory.traceOperations((event) => events.push(event));
    try {
      await cache.set('s:1', { user: 1 });
      await cache.get('s:1');
      await cache.get('s:missing');
      await cache.getOrSet('s:2', () => ({ user: 2 }));
      await cache.setMany([{ key: 's:3', value: 3 }, { key: 's:4', value: 4 }]);
      await cache.getMany(['s:3', 's:4', 's:5']);
      await cache.delete('s:1');
      await expect(cache.get('')).rejects.toMatchObject({ code: 'INVALID_KEY' });
      await elsewhere.set('x', 1);
      await elsewhere.get('x');
    } finally {
      subscription.unsubscribe();
      await cache.disconnect();
    }
    expect(events.map((e) => e.operation)).toEqual(['set', 'get', 'get', 'getOrSet', 'setMany', 'getMany', 'delete', 'get']);
    expect(new Set(events.map((e) => `${e.cache}/${e.kind}`))).toEqual(new Set(['sessions/redis']));
    expect(events.slice(1, 3).map((e) => e.hit)).toEqual([true, false]);
    expect(events[5]).toMatchObject({ keyCount: 3, hits: 2 });
    expect(events[4]).toMatchObject({ keyCount: 2 });
    expect(events[7]).toMatchObject({ error: { name: 'ValidationError', code: 'INVALID_KEY' } });
    for (const e of events) {
      expect(e.durationMs).toBeGreaterThanOrEqual(0);
      expect(e.startTime).toBeGreaterThanOrEqual(before - 1);
    }
    expect(JSON.stringify(events)).not.toMatch(/s:1|user/);
  });

  it('covers a memory fallback under the method name; after unsubscribe nothing listens and nothing is reported', async () => {
    const factory = new CacheFactory({ logger: silentLogger });
    const fallback = await factory.forWebApp({ ...secureOptions(server), redisUrl: `rediss://localhost:${await freePort()}`, connectTimeoutMs: '300ms' });
    expect(factory.isFallback(fallback)).toBe(true);
    const events: CacheOperationEvent[] = [];
    const subscription = factory.traceOperations((event) => events.push(event));
    await fallback.set('k', 1);
    subscription.unsubscribe();
    subscription.unsubscribe();
    expect(anyTraced()).toBe(false);
    await fallback.get('k');
    expect(events.map((e) => [e.operation, e.cache, e.kind])).toEqual([['set', 'web', 'memory']]);
  });

  it('a throwing listener never fails the operation and is warned about once', async () => {
    const logger = recordingLogger();
    const factory = new CacheFactory({ logger });
    const cache = await factory.forTesting({ useMemoryCache: true });
    {
      using _subscription = factory.traceOperations(() => {
        throw new Error('listener bug');
      });
      await cache.set('a', 1);
      expect(await cache.get('a')).toBe(1);
    }
    expect(anyTraced()).toBe(false);
    expect(logger.warnings.filter((w) => w.includes('cache operation listener failed'))).toHaveLength(1);
  });

  it('subscribeCacheOperations with a name filter, for caches built without the factory', async () => {
    const a = new InMemoryCache({ name: 'a', logger: silentLogger });
    const b = new InMemoryCache({ name: 'b', logger: silentLogger });
    const events: string[] = [];
    const subscription = subscribeCacheOperations((e) => events.push(`${e.cache}:${e.operation}`), { caches: new Set(['b']) });
    await a.set('k', 1);
    await b.set('k', 1);
    await b.delete('k');
    subscription[Symbol.dispose]();
    expect(events).toEqual(['b:set', 'b:delete']);
  });
});
