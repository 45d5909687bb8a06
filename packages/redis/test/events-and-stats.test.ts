import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CacheEventMap } from '../src/index.js';
import { Fixture, recordingLogger, uniquePrefix } from './helpers.js';

let server: RedisTestServer;
const fx = new Fixture();

beforeAll(async () => {
  server = await startRedis({ password: 'events-pass-123' });
});
afterEach(() => fx.closeAll());
afterAll(async () => {
  await server.stop();
});

describe('events', () => {
  it('listeners run in order; throwing and rejecting listeners are isolated and counted; off and unsubscribe work', async () => {
    const logger = recordingLogger();
    const cache = fx.cache(server, { keyPrefix: uniquePrefix('ev'), logger });
    const order: string[] = [];
    const first: CacheEventMap['set_success'] = () => void order.push('first');
    cache.on('set_success', first);
    cache.on('set_success', () => {
      throw new Error('boom');
    });
    cache.registerCallback('set_success', async () => {
      throw new Error('async boom');
    });
    const unsubscribe = cache.on('set_success', () => void order.push('last'));
    await expect(cache.set('k', 1)).resolves.toBe('stored');
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['first', 'last']);
    expect(cache.getStats().callbackErrors).toBe(2);
    expect(logger.warnings).toContain("Callback for event 'set_success' failed: boom");
    expect(logger.warnings).toContain("Callback for event 'set_success' failed: async boom");
    unsubscribe();
    cache.off('set_success', first);
    await cache.set('k', 2);
    expect(order).toEqual(['first', 'last']);
    expect(() => cache.on('nope' as keyof CacheEventMap, () => undefined)).toThrow(expect.objectContaining({ name: 'ValidationError' }));
    expect(() => cache.on('get_miss', 'not a function' as unknown as CacheEventMap['get_miss'])).toThrow(
      expect.objectContaining({ name: 'ValidationError' }),
    );
  });

  it('delete_success only when the key existed; get_success carries tier; invalidation events for clear', async () => {
    const cache = fx.cache(server, { keyPrefix: uniquePrefix('ev2') });
    const deletes: Array<Parameters<CacheEventMap['delete_success']>> = [];
    const invalidations: string[] = [];
    cache.on('delete_success', (...args) => void deletes.push(args));
    cache.on('invalidation', (e) => void invalidations.push(`${e.type}:${e.total}:${e.status}`));
    await cache.set('k', 1);
    await expect(cache.delete('k')).resolves.toBe(true);
    await expect(cache.delete('k')).resolves.toBe(false);
    expect(deletes).toEqual([['k', { degraded: false }]]);
    await cache.set('a', 1);
    await cache.set('b', 2);
    await expect(cache.clear('reset')).resolves.toBe(2);
    expect(invalidations).toEqual(['clear:2:success']);
  });
});

describe('statistics and metrics', () => {
  it('a scripted sequence yields the expected counters and both invariants; metrics report every operation', async () => {
    const calls: Array<[string, boolean, unknown]> = [];
    const invalidationCalls: unknown[][] = [];
    const recorder = {
      recordOperation: () => {
        throw new Error('must not be used when the rich hooks exist');
      },
      recordCacheOperationTime: (op: string, _ms: number, hit: boolean, textLength?: number, extra?: Record<string, unknown>) => {
        expect(textLength).toBeUndefined();
        expect(Object.isFrozen(extra)).toBe(true);
        calls.push([op, hit, extra?.tier]);
      },
      recordInvalidationEvent: (...args: unknown[]) => void invalidationCalls.push(args),
    };
    const cache = fx.cache(server, { keyPrefix: uniquePrefix('stats'), performanceMonitor: recorder });
    await cache.set('a', 1);
    await cache.set('b', 2);
    await cache.get('a');
    await cache.get('missing');
    await cache.exists('a');
    await cache.delete('a');
    await cache.delete('a');
    await cache.invalidatePattern('b*', 'ctx');
    await cache.disconnect();
    await cache.set('c', 3);
    await cache.get('c');
    await cache.get('zzz');
    await expect(cache.set('', 1)).rejects.toThrow();
    const s = cache.getStats();
    expect(s).toMatchObject({
      name: 'redis', connectionState: 'closed', gets: 4, hitsL1: 2, hitsRedis: 0, misses: 2, hitRate: 0.5,
      sets: 3, setsRedis: 2, setsL1Only: 1, setsDropped: 0, deletes: 2, deletesDegraded: 0,
      invalidations: 1, invalidationsDegraded: 0, pendingInvalidations: 1, redisErrors: 0, decodeErrors: 0, callbackErrors: 0,
      l1: { enabled: true, size: 1, maxSize: 100 },
    });
    expect(s.gets).toBe(s.hitsL1 + s.hitsRedis + s.misses);
    expect(s.sets).toBe(s.setsRedis + s.setsL1Only + s.setsDropped);
    expect(s.recentAvgOperationMs).toBeGreaterThan(0);
    expect(calls).toEqual([
      ['set', true, 'redis'], ['set', true, 'redis'], ['get', true, 'l1'], ['get', false, 'redis'], ['exists', true, 'l1'],
      ['delete', true, 'redis'], ['delete', false, 'redis'], ['set', true, 'l1'], ['get', true, 'l1'], ['get', false, 'none'],
    ]);
    expect(invalidationCalls).toEqual([
      ['b*', 1, expect.any(Number), 'manual', 'ctx', { status: 'success', l1Invalidated: 1, redisInvalidated: 1 }],
    ]);
    cache.resetStats();
    expect(cache.getStats()).toMatchObject({ gets: 0, sets: 0, hitRate: 0, recentAvgOperationMs: 0, pendingInvalidations: 1 });
  });

  it('getCacheStats: the shared report — cache name and kind, a 0..1 hitRate over lookups, memory only with L1, redis with used memory', async () => {
    const cache = fx.cache(server, { keyPrefix: uniquePrefix('report'), name: 'sessions' });
    await cache.set('a', 1);
    await cache.get('a');
    await cache.get('a');
    await cache.get('missing');
    const report = await cache.getCacheStats();
    expect(report).toMatchObject({
      cache: { name: 'sessions', kind: 'redis' },
      performance: { hitRate: 2 / 3, hits: 2, misses: 1, totalOperations: 3 },
      memory: { entries: 1, maxEntries: 100 },
      redis: { status: 'ready', pendingInvalidations: 0, quarantinedInvalidations: 0 },
    });
    expect(report.memory!.bytes).toBeGreaterThan(0);
    expect(report.redis.usedMemoryBytes).toBeGreaterThan(0);
    expect(cache.getStats().hitRate).toBeCloseTo(2 / 3, 10);

    const redisOnly = fx.cache(server, { keyPrefix: uniquePrefix('report2'), enableL1Cache: false });
    const empty = await redisOnly.getCacheStats();
    expect(empty).not.toHaveProperty('memory');
    expect(empty).toMatchObject({ cache: { name: 'redis', kind: 'redis' }, performance: { hitRate: 0, totalOperations: 0 }, redis: { status: 'idle' } });
    expect(empty.redis).not.toHaveProperty('usedMemoryBytes');
  });

  it('only recordOperation: used with ok = cacheHit; a throwing recorder never breaks an operation', async () => {
    const ops: Array<[string, boolean]> = [];
    const cache = fx.cache(server, {
      keyPrefix: uniquePrefix('rec'),
      performanceMonitor: { recordOperation: (name: string, _ms: number, ok: boolean) => void ops.push([name, ok]) },
    });
    await cache.set('a', 1);
    await cache.get('nope');
    expect(ops).toEqual([['set', true], ['get', false]]);
    const broken = fx.cache(server, {
      keyPrefix: uniquePrefix('rec2'),
      performanceMonitor: {
        recordOperation: () => Promise.reject(new Error('rejecting recorder')),
        recordCacheOperationTime: () => {
          throw new Error('throwing recorder');
        },
      },
    });
    await expect(broken.set('a', 1)).resolves.toBe('stored');
    await expect(broken.get('a')).resolves.toBe(1);
  });
});
