import { startRedis, startTcpProxy, type RedisTestServer, type TcpProxy } from '@cache-tooling/test-redis';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CacheEventMap, ConnectionState } from '../src/index.js';
import { Fixture, recordingLogger, uniquePrefix, until } from './helpers.js';

const PASSWORD = 'degradation-pass-123';
let server: RedisTestServer;
let proxy: TcpProxy;
let raw: Redis;
const fx = new Fixture();
const rawFx = new Fixture();
const viaProxy = () => ({ url: () => `redis://:${PASSWORD}@127.0.0.1:${proxy.port}`, password: PASSWORD });

beforeAll(async () => {
  server = await startRedis({ password: PASSWORD });
  raw = rawFx.client(server);
});
beforeEach(async () => {
  proxy = await startTcpProxy({ host: server.host, port: server.port });
});
afterEach(async () => {
  await fx.closeAll();
  await proxy.close();
});
afterAll(async () => {
  await rawFx.closeAll();
  await server.stop();
});

describe('degradation without silent loss', () => {
  it('Redis unreachable: set → l1_only (readable from L1); without L1 → dropped + set_failed; counters match', async () => {
    const prefix = uniquePrefix('outage');
    const withL1 = fx.cache(viaProxy(), { keyPrefix: prefix });
    const withoutL1 = fx.cache(viaProxy(), { keyPrefix: prefix, enableL1Cache: false });
    await Promise.all([withL1.connect(), withoutL1.connect()]);
    const failed: Array<Parameters<CacheEventMap['set_failed']>> = [];
    withoutL1.on('set_failed', (...args) => void failed.push(args));
    await proxy.cut();
    await until(() => withL1.connectionState !== 'ready' && withoutL1.connectionState !== 'ready', 5000, 'degraded');
    await expect(withL1.set('k', { v: 1 })).resolves.toBe('l1_only');
    await expect(withL1.get('k')).resolves.toEqual({ v: 1 });
    await expect(withoutL1.set('k', { v: 1 })).resolves.toBe('dropped');
    await expect(withoutL1.get('k')).resolves.toBeNull();
    expect(failed).toEqual([['k', { reason: 'redis_unavailable' }]]);
    const a = withL1.getStats();
    expect([a.sets, a.setsRedis, a.setsL1Only, a.setsDropped]).toEqual([1, 0, 1, 0]);
    const b = withoutL1.getStats();
    expect([b.sets, b.setsRedis, b.setsL1Only, b.setsDropped]).toEqual([1, 0, 0, 1]);
    expect(b.pendingInvalidations).toBe(1);
  });

  it('during the outage operations open no connections of their own and no error event escapes', async () => {
    const cache = fx.cache(viaProxy(), { keyPrefix: uniquePrefix('quiet'), reconnect: { baseDelayMs: 200, maxDelayMs: 400 } });
    await cache.connect();
    const unhandled: unknown[] = [];
    const onUnhandled = (error: unknown) => void unhandled.push(error);
    process.on('uncaughtException', onUnhandled);
    process.on('unhandledRejection', onUnhandled);
    try {
      await proxy.cut();
      await until(() => cache.connectionState === 'reconnecting', 5000, 'reconnecting');
      const before = cache.getStats();
      for (let i = 0; i < 500; i++) {
        await expect(cache.set(`k${i % 10}`, i)).resolves.toBe('l1_only');
        await cache.get(`k${i % 10}`);
        await cache.exists(`k${i % 10}`);
        await cache.delete(`other${i % 10}`);
      }
      const after = cache.getStats();
      // 2000 operations ran. Every attempt must come from the back-off schedule: one `reconnecting`
      // (scheduled retry) per attempt, plus at most the one already scheduled before the loop.
      expect(after.connects - before.connects).toBeLessThanOrEqual(after.reconnects - before.reconnects + 1);
      expect(after.setsL1Only).toBe(500);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('uncaughtException', onUnhandled);
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('deletes and invalidations during a cut are replayed before ready; a set right after recovery survives', async () => {
    const prefix = uniquePrefix('replay');
    const cache = fx.cache(viaProxy(), { keyPrefix: prefix });
    await cache.connect();
    await cache.set('gone', 1);
    await cache.set('user:1', 1);
    await cache.set('user:2', 2);
    await cache.set('stale', 'old');
    await cache.set('keep', 'k');
    await proxy.cut();
    await until(() => cache.connectionState !== 'ready', 5000, 'degraded');
    // L1 was emptied when its invalidation channel went down, so neither tier can tell what existed.
    expect(cache.l1CoherenceStatus().trusted).toBe(false);
    await expect(cache.delete('gone')).resolves.toBe(false);
    await expect(cache.invalidatePattern('user:*')).resolves.toBe(0);
    await expect(cache.set('stale', 'new-local')).resolves.toBe('l1_only');
    expect(cache.getStats().pendingInvalidations).toBe(3);
    expect(cache.getStats().invalidationsDegraded).toBe(1);
    expect(await raw.exists(`${prefix}gone`, `${prefix}user:1`, `${prefix}user:2`, `${prefix}stale`)).toBe(4);
    const seenAtReady: number[] = [];
    let afterReady: Promise<unknown> | null = null;
    const states: ConnectionState[] = [];
    cache.on('connection_state', (state) => {
      states.push(state);
      if (state !== 'ready') return;
      seenAtReady.push(cache.getStats().pendingInvalidations);
      afterReady = cache.set('stale', 'after-recovery');
    });
    await proxy.restore();
    await until(() => cache.connectionState === 'ready', 10_000, 'ready');
    await afterReady;
    expect(seenAtReady).toEqual([0]);
    expect(await raw.exists(`${prefix}gone`, `${prefix}user:1`, `${prefix}user:2`)).toBe(0);
    expect(await raw.exists(`${prefix}keep`)).toBe(1);
    await expect(cache.get('stale')).resolves.toBe('after-recovery');
    expect(await raw.exists(`${prefix}stale`)).toBe(1);
  });

  it('a value replaced during the outage is not served from Redis after recovery (l1_only write queues an invalidation)', async () => {
    const prefix = uniquePrefix('replaced');
    const cache = fx.cache(viaProxy(), { keyPrefix: prefix, l1CacheSize: 1 });
    await cache.connect();
    await cache.set('k', 'v1');
    await proxy.cut();
    await until(() => cache.connectionState !== 'ready', 5000, 'degraded');
    await expect(cache.set('k', 'v2')).resolves.toBe('l1_only');
    await cache.set('evictor', 'x');
    await proxy.restore();
    await until(() => cache.connectionState === 'ready', 10_000, 'ready');
    await expect(cache.get('k')).resolves.toBeNull();
  });

  it('a SET refused by a live server (OOM) is invalidated in the background on the live connection; the older value is never served', async () => {
    const prefix = uniquePrefix('oom');
    const cache = fx.cache(viaProxy(), { keyPrefix: prefix, l1CacheSize: 1 });
    await expect(cache.set('k', 'v1')).resolves.toBe('stored');
    const connects = cache.getStats().connects;
    await raw.config('SET', 'maxmemory-policy', 'noeviction');
    await raw.config('SET', 'maxmemory', '1');
    try {
      await expect(cache.set('k', 'v2')).resolves.toBe('l1_only');
      expect(cache.connectionState).toBe('ready');
      await expect(cache.set('evictor', 'x')).resolves.toBe('l1_only');
      // v2 was evicted from L1; Redis still holds v1 until the invalidation lands: never served.
      await expect(cache.get('k')).resolves.toBeNull();
      await until(async () => (await raw.exists(`${prefix}k`)) === 0, 5000, 'the background UNLINK (allowed under OOM)');
    } finally {
      await raw.config('SET', 'maxmemory', '0');
    }
    await until(() => cache.getStats().pendingInvalidations === 0, 5000, 'nothing pending');
    await expect(cache.get('k')).resolves.toBeNull();
    expect(cache.getStats()).toMatchObject({ setsL1Only: 2, connects });
  });

  it('a queued clear() absorbs the per-key deletes it covers and is never forgotten (limit 100: clear + 100 deletes)', async () => {
    const logger = recordingLogger();
    const prefix = uniquePrefix('clearfirst');
    const cache = fx.cache(viaProxy(), { keyPrefix: prefix, pendingInvalidationLimit: 100, logger });
    await cache.connect();
    const cleared = Array.from({ length: 50 }, (_, i) => `cleared:${i}`);
    for (const key of cleared) await cache.set(key, key);
    await proxy.cut();
    await until(() => cache.connectionState !== 'ready', 5000, 'degraded');
    await cache.clear();
    for (let i = 0; i < 100; i++) await cache.delete(`deleted:${i}`);
    expect(cache.getStats()).toMatchObject({ pendingInvalidations: 1, pendingInvalidationsWidened: 0 });
    await proxy.restore();
    await until(() => cache.connectionState === 'ready', 10_000, 'ready');
    expect(await raw.exists(...cleared.map((key) => prefix + key))).toBe(0);
    for (const key of cleared.slice(0, 5)) await expect(cache.get(key)).resolves.toBeNull();
    expect(cache.getStats().pendingInvalidations).toBe(0);
    expect(logger.warnings).toEqual([]);
  });

  it('past pendingInvalidationLimit the backlog widens to coarser invalidations: nothing forgotten, one warning', async () => {
    const logger = recordingLogger();
    const prefix = uniquePrefix('widen');
    const cache = fx.cache(viaProxy(), { keyPrefix: prefix, pendingInvalidationLimit: 10, logger });
    await cache.connect();
    const doomed = [...Array.from({ length: 30 }, (_, i) => `user:${i}`), ...Array.from({ length: 5 }, (_, i) => `team:${i}`)];
    for (const key of doomed) await cache.set(key, key);
    await cache.set('session:1', 'kept');
    await proxy.cut();
    await until(() => cache.connectionState !== 'ready', 5000, 'degraded');
    for (const key of doomed) await cache.delete(key);
    const stats = cache.getStats();
    expect(stats.pendingInvalidations).toBeLessThanOrEqual(10);
    expect(stats.pendingInvalidationsWidened).toBeGreaterThanOrEqual(1);
    expect(stats.deletesDegraded).toBe(doomed.length);
    expect(logger.warnings.filter((w) => w.includes('pendingInvalidationLimit'))).toHaveLength(1);
    expect(logger.warnings).toHaveLength(1);
    await proxy.restore();
    await until(() => cache.connectionState === 'ready', 10_000, 'ready');
    expect(await raw.exists(...doomed.map((key) => prefix + key))).toBe(0);
    await expect(cache.get('session:1')).resolves.toBe('kept');
    expect(await raw.exists(`${prefix}session:1`)).toBe(1);
  });
});
