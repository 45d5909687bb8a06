import { ManualClock, silentLogger } from '@cache/core';
import type { InMemoryCache } from '@cache/memory';
import type { GenericRedisCache } from '@cache/redis';
import type { RedisTestServer } from '@cache-tooling/test-redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheFactory, CacheRegistry, type BaseCacheOptions } from '../src/index.js';
import { liveHandles, secureOptions, startSecureRedis, until } from './helpers.js';

let server: RedisTestServer;
beforeAll(async () => {
  server = await startSecureRedis();
});
afterAll(async () => {
  await server.stop();
});

/** A factory call that finishes only when the test says so. */
function gated<T>(value: T): { factory: () => Promise<T>; release: () => void; started: Promise<void> } {
  let release!: () => void;
  let markStarted!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  return {
    factory: async () => {
      markStarted();
      await gate;
      return value;
    },
    release,
    started,
  };
}

describe('graceful shutdown drains pending work within a bound', () => {
  it('cleanup during a background refresh (soft timeout served the stale value) waits for it to store, then disconnects', async () => {
    const clock = new ManualClock(1_800_000_000_000);
    const factory = new CacheFactory({ logger: silentLogger, clock });
    const options: BaseCacheOptions = { ...secureOptions(server), enableL1Cache: false, keyPrefix: 'drain-refresh:' };
    const registry = new CacheRegistry({ logger: silentLogger, shutdownTimeoutMs: 10_000 });
    const before = liveHandles().length;
    const cache = (await registry.getOrCreate('web', () => factory.forWebApp(options))) as GenericRedisCache;
    await cache.getOrSet('report', () => 'v1', { ttl: 1, grace: 60 });
    clock.advance(1500);

    const refresh = gated('v2');
    expect(await cache.getOrSet('report', refresh.factory, { ttl: 60, grace: 60, timeout: 10 })).toBe('v1');
    expect(cache.getStats().readThrough.softTimeouts).toBe(1);
    await refresh.started;

    let finished = false;
    const cleanup = registry.cleanup().then((stats) => ((finished = true), stats));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(finished).toBe(false);
    expect(cache.connectionState).toBe('ready');
    refresh.release();
    expect(await cleanup).toEqual({ totalEntries: 1, activeCaches: 1, disconnectedCaches: 1, errors: [] });
    expect(cache.connectionState).toBe('closed');

    // The refreshed value reached Redis before the connection closed.
    const reader = await factory.forWebApp(options);
    try {
      expect(await reader.get('report')).toBe('v2');
    } finally {
      await (reader as GenericRedisCache).disconnect();
    }
    await until(() => liveHandles().length <= before, 5000, 'no handle left');
  });

  it('a refresh that never finishes holds shutdown only until the bound, is reported, and leaves no handle', async () => {
    const clock = new ManualClock(1_800_000_000_000);
    const factory = new CacheFactory({ logger: silentLogger, clock });
    const registry = new CacheRegistry({ logger: silentLogger, shutdownTimeoutMs: 300 });
    const before = liveHandles().length;
    const cache = (await registry.getOrCreate('web', () => factory.forWebApp({ ...secureOptions(server), enableL1Cache: false, keyPrefix: 'drain-stuck:' }))) as GenericRedisCache;
    await cache.getOrSet('report', () => 'v1', { ttl: 1, grace: 60 });
    clock.advance(1500);
    const stuck = gated('never');
    expect(await cache.getOrSet('report', stuck.factory, { ttl: 60, grace: 60, timeout: 10 })).toBe('v1');
    await stuck.started;

    const stats = await registry.cleanup();
    expect(stats).toMatchObject({ totalEntries: 1, disconnectedCaches: 1, errors: ['Cache web did not finish its pending work within 300 ms'] });
    expect(cache.connectionState).toBe('closed');
    await until(() => liveHandles().length <= before, 5000, 'no handle left');
    stuck.release();
  });

  it('drain() alone waits (bounded) for a factory call no caller waits for any more, and keeps the cache open', async () => {
    const factory = new CacheFactory({ logger: silentLogger });
    const registry = new CacheRegistry({ logger: silentLogger });
    const memory = (await registry.getOrCreate('test', () => factory.forTesting({ useMemoryCache: true }))) as InMemoryCache;
    expect(await registry.drain(100)).toEqual({ drainableCaches: 1, unfinished: [] });
    const slow = gated('fresh');
    // No stale value: the caller waits for the flight, then abandons it through its own signal; the flight keeps running.
    const caller = new AbortController();
    const pending = memory.getOrSet('k', slow.factory, { signal: caller.signal });
    await slow.started;
    caller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    expect(await registry.drain(50)).toEqual({ drainableCaches: 1, unfinished: ['test'] });
    const drained = registry.drain(5000);
    slow.release();
    expect(await drained).toEqual({ drainableCaches: 1, unfinished: [] });
    expect(await memory.get('k')).toBe('fresh');
  });
});
