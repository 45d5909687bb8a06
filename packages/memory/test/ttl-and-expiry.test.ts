import { describe, expect, it, vi } from 'vitest';
import { InMemoryCache } from '../src/index.js';
import { manualCache, recordingLogger } from './helpers.js';

describe('TTL with a ManualClock', () => {
  it('is live at exactly expiresAt and gone 1 ms later', async () => {
    const { cache, clock } = manualCache();
    await cache.set('k', 'v', 60);
    clock.advance(60_000);
    expect(await cache.get('k')).toBe('v');
    expect(await cache.exists('k')).toBe(true);
    clock.advance(1);
    expect(await cache.exists('k')).toBe(false);
    expect(await cache.get('k')).toBe(null);
  });

  it.each([
    ['ttl 60, advance 61 s', 60, 61_000],
    ['no ttl, advance 3601 s', undefined, 3_601_000],
    ['null ttl, advance 3601 s', null, 3_601_000],
    ['ttl 30, advance 31 s', 30, 31_000],
  ])('%s → miss', async (_, ttl, advance) => {
    const { cache, clock } = manualCache();
    await cache.set('k', 'v', ttl);
    clock.advance(advance - 2000);
    expect(await cache.get('k')).toBe('v');
    clock.advance(2000);
    expect(await cache.get('k')).toBe(null);
  });

  it('the default TTL applies when ttl is omitted or null', async () => {
    const { cache, clock } = manualCache({ defaultTtl: 10 });
    await cache.set('omitted', 1);
    await cache.set('null', 1, null);
    clock.advance(10_000);
    expect(await cache.getTtl('omitted')).toBe(0);
    expect(await cache.exists('null')).toBe(true);
    clock.advance(1);
    expect([await cache.exists('omitted'), await cache.exists('null')]).toEqual([false, false]);
  });

  it('accepts the largest TTL, 31 536 000 s', async () => {
    const { cache, clock } = manualCache();
    await cache.set('k', 1, 31_536_000);
    clock.advance(31_536_000_000);
    expect(await cache.get('k')).toBe(1);
  });
});

describe('expired entries are invisible', () => {
  it('exists on an expired entry → false, removes it, memory decreases; no hit/miss counted', async () => {
    const { cache, clock } = manualCache();
    await cache.set('k', 'x'.repeat(100), 1);
    const before = cache.getStats().memoryUsageBytes;
    clock.advance(1001);
    expect(await cache.exists('k')).toBe(false);
    expect(cache.size()).toBe(0);
    expect(cache.getStats().memoryUsageBytes).toBeLessThan(before);
    expect(cache.getStats()).toMatchObject({ hits: 0, misses: 0, memoryUsageBytes: 0 });
  });

  it('exists does not purge other expired entries', async () => {
    const { cache, clock } = manualCache();
    await cache.set('a', 1, 1);
    await cache.set('b', 1, 1);
    clock.advance(1001);
    await cache.exists('a');
    expect(cache.getKeys()).toEqual(['b']);
  });

  it('delete of an expired leftover removes it silently and resolves false', async () => {
    const { cache, clock } = manualCache();
    await cache.set('k', 1, 1);
    clock.advance(1001);
    expect(await cache.delete('k')).toBe(false);
    expect(cache.size()).toBe(0);
    expect(cache.getStats().memoryUsageBytes).toBe(0);
  });

  it('getKeys includes expired-unpurged keys; getActiveKeys and activeEntries exclude them', async () => {
    const { cache, clock } = manualCache();
    await cache.set('short', 1, 1);
    await cache.set('long', 1, 100);
    clock.advance(1001);
    expect(cache.getKeys().sort()).toEqual(['long', 'short']);
    expect(cache.getActiveKeys()).toEqual(['long']);
    expect(cache.getStats()).toMatchObject({ totalEntries: 2, expiredEntries: 1, activeEntries: 1 });
  });
});

describe('purge timing', () => {
  it('every get and every set removes all expired entries first (not counted as evictions)', async () => {
    const { cache, clock } = manualCache();
    await cache.set('a', 1, 1);
    await cache.set('b', 1, 2);
    await cache.set('c', 1, 100);
    clock.advance(2001);
    expect(cache.size()).toBe(3);
    await cache.get('c');
    expect(cache.size()).toBe(1);
    await cache.set('d', 1, 1);
    clock.advance(1001);
    await cache.set('e', 1);
    expect(cache.getKeys().sort()).toEqual(['c', 'e']);
    expect(cache.getStats().evictions).toBe(0);
  });

  it('getTtl, exists, delete, invalidatePattern and stats do not purge globally', async () => {
    const { cache, clock } = manualCache();
    await cache.set('x', 1, 1);
    await cache.set('y', 1, 1);
    clock.advance(1001);
    await cache.getTtl('y');
    await cache.exists('missing');
    await cache.delete('missing');
    await cache.invalidatePattern('nomatch:*');
    cache.getStats();
    cache.getCacheStatistics();
    await cache.getCacheStats();
    cache.getActiveKeys();
    expect(cache.size()).toBe(2);
  });

  it('an overwrite extending an entry keeps it until its new expiry', async () => {
    const { cache, clock } = manualCache();
    await cache.set('k', 1, 1);
    await cache.set('k', 2, 10);
    clock.advance(5000);
    expect(await cache.get('k')).toBe(2);
    clock.advance(5001);
    expect(await cache.get('k')).toBe(null);
  });

  it('an overwrite shortening an entry expires it at the new time', async () => {
    const { cache, clock } = manualCache();
    await cache.set('k', 1, 100);
    await cache.set('k', 2, 1);
    clock.advance(1001);
    await cache.get('other');
    expect(cache.size()).toBe(0);
  });

  it('purges many expired entries among live ones exactly', async () => {
    const { cache, clock } = manualCache({ maxSize: 10_000 });
    for (let i = 0; i < 5000; i++) await cache.set(`k${i}`, i, (i % 50) + 1);
    clock.advance(25_500);
    await cache.get('none');
    const expected = Array.from({ length: 5000 }, (_, i) => i).filter((i) => (i % 50) + 1 >= 26).length;
    expect(cache.size()).toBe(expected);
    expect(cache.getStats().expiredEntries).toBe(0);
  });
});

describe('getTtl', () => {
  it('is 59 or 60 right after ttl 60, counts down in whole seconds, and is null once expired', async () => {
    const { cache, clock } = manualCache();
    await cache.set('k', 1, 60);
    expect([59, 60]).toContain(await cache.getTtl('k'));
    clock.advance(30_500);
    expect(await cache.getTtl('k')).toBe(29);
    clock.advance(29_500);
    expect(await cache.getTtl('k')).toBe(0);
    clock.advance(1);
    expect(await cache.getTtl('k')).toBe(null);
  });

  it('is null for a missing key and does not touch counters or recency', async () => {
    const { cache } = manualCache({ maxSize: 2 });
    expect(await cache.getTtl('missing')).toBe(null);
    await cache.set('a', 1);
    await cache.set('b', 1);
    await cache.getTtl('a');
    await cache.set('c', 1);
    expect(cache.getKeys().sort()).toEqual(['b', 'c']);
    expect(cache.getStats()).toMatchObject({ hits: 0, misses: 0 });
  });
});

describe('default clock is monotonic: expiry ignores changes of the system time', () => {
  it('a 10 s entry still expires after 10 s when the wall clock is moved back one day', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance', 'setTimeout'] });
    try {
      const cache = new InMemoryCache({ logger: recordingLogger().logger });
      await cache.set('k', 1, 10);
      vi.setSystemTime(Date.now() - 86_400_000);
      vi.advanceTimersByTime(10_000);
      expect(await cache.get('k')).toBe(1);
      vi.advanceTimersByTime(1);
      expect(await cache.get('k')).toBe(null);
    } finally {
      vi.useRealTimers();
    }
  });

  it('moving the wall clock forward does not expire an entry early', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance', 'setTimeout'] });
    try {
      const cache = new InMemoryCache({ logger: recordingLogger().logger });
      await cache.set('k', 1, 10);
      vi.setSystemTime(Date.now() + 86_400_000);
      expect(await cache.get('k')).toBe(1);
      expect(await cache.getTtl('k')).toBe(10);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('expiry index under churn', () => {
  it('thousands of TTL shortenings (stale index entries, index rebuilds) keep expiry exact', async () => {
    const { cache, clock } = manualCache({ maxSize: 4 });
    for (let ttl = 5000; ttl >= 2; ttl--) {
      await cache.set('a', ttl, ttl);
      await cache.set('b', ttl, ttl + 1);
    }
    await cache.set('c', 'long', 100);
    expect(await cache.getTtl('a')).toBe(2);
    clock.advance(2001);
    expect(cache.getStats()).toMatchObject({ expiredEntries: 1, activeEntries: 2 });
    expect(await cache.get('a')).toBe(null);
    expect(await cache.get('b')).toBe(2);
    clock.advance(1000);
    expect(await cache.get('b')).toBe(null);
    expect(cache.getKeys()).toEqual(['c']);
  });
});
