import { describe, expect, it } from 'vitest';
import { InMemoryCache } from '../src/index.js';
import { manualCache, recordingLogger } from './helpers.js';

const STATS_FIELDS = [
  'totalEntries', 'expiredEntries', 'activeEntries', 'maxSize', 'utilization', 'utilizationPercent', 'defaultTtl',
  'hits', 'misses', 'hitRate', 'evictions', 'memoryUsageBytes', 'memoryCacheEntries', 'memoryCacheSize', 'memoryUsage', 'readThrough',
];

describe('getStats', () => {
  it('contains every MemoryCacheStats field', () => {
    const { cache } = manualCache();
    expect(Object.keys(cache.getStats()).sort()).toEqual([...STATS_FIELDS].sort());
  });

  it('utilization goes 0 → 33.33… → 100 for maxSize 3', async () => {
    const { cache } = manualCache({ maxSize: 3 });
    expect(cache.getStats()).toMatchObject({ utilization: '0/3', utilizationPercent: 0 });
    await cache.set('a', 1);
    expect(cache.getStats().utilization).toBe('1/3');
    expect(cache.getStats().utilizationPercent).toBeCloseTo(33.3333333, 5);
    await cache.set('b', 1);
    await cache.set('c', 1);
    expect(cache.getStats()).toMatchObject({ utilization: '3/3', utilizationPercent: 100, maxSize: 3, memoryCacheSize: 3 });
  });

  it('hit rate is a ratio 0..1: 0 → 0.5 → 2/3 → 0.5', async () => {
    const { cache } = manualCache();
    await cache.set('k', 1);
    expect(cache.getStats().hitRate).toBe(0);
    await cache.get('k');
    await cache.get('missing');
    expect(cache.getStats().hitRate).toBe(0.5);
    await cache.get('k');
    expect(cache.getStats().hitRate).toBe(2 / 3);
    await cache.get('missing');
    expect(cache.getStats().hitRate).toBe(0.5);
  });

  it('hits and misses count get outcomes only', async () => {
    const { cache } = manualCache();
    await cache.set('k', 1);
    await cache.exists('k');
    await cache.exists('nope');
    await cache.getTtl('k');
    await cache.delete('nope');
    await cache.invalidatePattern('x*');
    expect(cache.getStats()).toMatchObject({ hits: 0, misses: 0 });
  });

  it('expiredEntries counts held expired entries without removing them; aliases follow', async () => {
    const { cache, clock } = manualCache({ defaultTtl: 100 });
    await cache.set('a', 1, 1);
    await cache.set('b', 1, 2);
    await cache.set('c', 1);
    await cache.set('b', 2, 50);
    clock.advance(2001);
    const stats = cache.getStats();
    expect(stats).toMatchObject({ totalEntries: 3, expiredEntries: 1, activeEntries: 2, memoryCacheEntries: 2, defaultTtl: 100 });
    expect(cache.size()).toBe(3);
  });
});

describe('memory accounting', () => {
  it('0 empty; grows with "a"; grows more with a 1000-char string; shrinks on delete and invalidate', async () => {
    const { cache } = manualCache();
    expect(cache.getStats().memoryUsageBytes).toBe(0);
    await cache.set('small', 'a');
    const afterSmall = cache.getStats().memoryUsageBytes;
    expect(afterSmall).toBeGreaterThan(0);
    await cache.set('large', 'a'.repeat(1000));
    const afterLarge = cache.getStats().memoryUsageBytes;
    expect(afterLarge - afterSmall).toBeGreaterThan(afterSmall);
    await cache.delete('large');
    expect(cache.getStats().memoryUsageBytes).toBe(afterSmall);
    await cache.invalidatePattern('small');
    expect(cache.getStats().memoryUsageBytes).toBe(0);
  });

  it('an overwrite replaces the old size; purge subtracts it', async () => {
    const { cache, clock } = manualCache();
    await cache.set('k', 'x'.repeat(500), 1);
    await cache.set('k', 'y');
    expect(cache.getStats().memoryUsageBytes).toBe(1);
    await cache.set('gone', 'z'.repeat(10), 1);
    clock.advance(1001);
    await cache.get('k');
    expect(cache.getStats().memoryUsageBytes).toBe(1);
  });

  it('strings cost their UTF-8 bytes; objects grow with content; non-JSON values cost a fixed amount', async () => {
    const { cache } = manualCache();
    await cache.set('utf8', 'é');
    expect(cache.getStats().memoryUsageBytes).toBe(2);
    cache.clear();
    await cache.set('o1', { name: 'a' });
    const one = cache.getStats().memoryUsageBytes;
    cache.clear();
    await cache.set('o2', { name: 'a'.repeat(100), list: Array.from({ length: 1000 }, (_, i) => i) });
    expect(cache.getStats().memoryUsageBytes).toBeGreaterThan(one + 1000);
    cache.clear();
    await cache.set('fn', () => 1);
    expect(cache.getStats().memoryUsageBytes).toBe(64);
  });

  it('sizes cyclic and deeply nested values with bounded work', async () => {
    const { cache } = manualCache();
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    let deep: unknown[] = [];
    for (let i = 0; i < 10_000; i++) deep = [deep, deep];
    await cache.set('cyclic', cyclic);
    await cache.set('deep', deep);
    expect(cache.getStats().memoryUsageBytes).toBeGreaterThan(0);
  });

  it.each([
    [233, '233B'],
    [1023, '1023B'],
    [1024, '1.0KB'],
    [1536, '1.5KB'],
    [1024 * 1024, '1.0MB'],
    [2 * 1024 * 1024, '2.0MB'],
  ])('memoryUsage renders %i bytes as %s', async (bytes, text) => {
    const { cache } = manualCache();
    await cache.set('k', 'a'.repeat(bytes));
    expect(cache.getStats().memoryUsage).toBe(text);
  });
});

describe('clear', () => {
  it('removes all entries and resets hits, misses, evictions and memory; logs the count at info', async () => {
    const { logger, lines } = recordingLogger();
    const { cache } = manualCache({ maxSize: 2, logger });
    await cache.set('a', 1);
    await cache.set('b', 1);
    await cache.set('c', 1);
    await cache.get('c');
    await cache.get('x');
    cache.clear();
    expect(cache.getStats()).toMatchObject({ totalEntries: 0, hits: 0, misses: 0, evictions: 0, memoryUsageBytes: 0 });
    const cleared = lines.filter((l) => l.level === 'info' && l.meta?.['entriesCleared'] !== undefined);
    expect(cleared).toEqual([{ level: 'info', message: expect.stringMatching(/\b2 entries/), meta: { entriesCleared: 2 } }]);
    await cache.set('d', 1);
    expect(await cache.get('d')).toBe(1);
  });
});

describe('getCacheStatistics and getCacheStats', () => {
  it('getCacheStatistics has the short shape with the same formulas', async () => {
    const { cache } = manualCache({ maxSize: 4 });
    await cache.set('a', 'abc');
    expect(cache.getCacheStatistics()).toEqual({ activeEntries: 1, totalEntries: 1, memoryUsage: '3B', maxSize: 4, utilizationPercent: 25 });
  });

  it('getCacheStats has the shared report shape: cache name and kind, hitRate 0..1 equal to getStats, a memory section and no redis section', async () => {
    const { cache } = manualCache({ maxSize: 10, name: 'sessions' });
    await cache.set('k', 'v');
    await cache.get('k');
    await cache.get('k');
    await cache.get('nope');
    const report = await cache.getCacheStats();
    expect(report).toEqual({
      cache: { name: 'sessions', kind: 'memory' },
      performance: { hitRate: 2 / 3, totalOperations: 3, hits: 2, misses: 1 },
      memory: { entries: 1, maxSize: 10, utilizationPercent: 10, memoryUsageBytes: 1, memoryUsage: '1B', evictions: 0 },
    });
    expect(report.performance.hitRate).toBe(cache.getStats().hitRate);
    expect('redis' in report).toBe(false);
  });

  it('the name defaults to "memory" and must be a non-empty string', () => {
    expect(new InMemoryCache({ logger: recordingLogger().logger }).name).toBe('memory');
    expect(new InMemoryCache({ logger: recordingLogger().logger, name: 'l1' }).name).toBe('l1');
    for (const name of ['', '  ', 42]) {
      expect(() => new InMemoryCache({ name: name as string })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION' }));
    }
  });

  it('getCacheStats hitRate is 0 before any lookup', async () => {
    const { cache } = manualCache();
    expect((await cache.getCacheStats()).performance.hitRate).toBe(0);
  });

  it('invalidation history is always empty', () => {
    const { cache } = manualCache();
    expect(cache.getInvalidationFrequencyStats()).toEqual({ frequency: {}, patterns: {}, totalOperations: 0, performance: {} });
    expect(cache.getInvalidationRecommendations()).toEqual([]);
  });
});
