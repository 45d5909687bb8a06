import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeMonitor, T0 } from './helpers.js';

describe('hit rate: a 0..1 ratio of get hits', () => {
  it('is 0 before any get', () => {
    const { monitor } = makeMonitor();
    expect(monitor.getHitRate()).toBe(0);
    monitor.recordCacheOperationTime('set', 1, true);
    expect(monitor.getHitRate()).toBe(0);
  });

  it('gives exactly 0.9, 0.2 and 0.6 for the reference sequences (a ratio, never a percentage)', () => {
    const a = makeMonitor().monitor;
    for (let i = 0; i < 9; i++) a.recordCacheOperationTime('get', 1, true);
    a.recordCacheOperationTime('get', 1, false);
    expect(a.getHitRate()).toBe(0.9);
    const b = makeMonitor().monitor;
    b.recordCacheOperationTime('get', 1, true);
    for (let i = 0; i < 4; i++) b.recordCacheOperationTime('get', 1, false);
    expect(b.getHitRate()).toBe(0.2);
    const c = makeMonitor().monitor;
    for (let i = 0; i < 5; i++) c.recordCacheOperationTime('get', 1, i % 2 === 0);
    expect(c.getHitRate()).toBe(0.6);
  });

  it('is not diluted by set and delete (0.5, not 0.25)', () => {
    const { monitor } = makeMonitor();
    monitor.recordCacheOperationTime('set', 1, true);
    monitor.recordCacheOperationTime('delete', 1, true);
    monitor.recordCacheOperationTime('get', 1, true);
    monitor.recordCacheOperationTime('get', 1, false);
    const stats = monitor.getPerformanceStats();
    expect(stats.hitRate).toBe(0.5);
    expect(monitor.getHitRate()).toBe(0.5);
    expect(stats.totalCacheOperations).toBe(4);
  });
});

describe('getPerformanceStats', () => {
  it('returns only the base keys for an empty monitor', () => {
    const { monitor } = makeMonitor();
    expect(monitor.getPerformanceStats()).toEqual({
      timestamp: new Date(T0).toISOString(),
      retentionHours: 1,
      hitRate: 0,
      totalCacheOperations: 0,
      cacheHits: 0,
      cacheMisses: 0,
    });
  });

  it('adds a section only for each non-empty series', () => {
    const { monitor } = makeMonitor();
    monitor.recordCompressionRatio(10, 5, 1);
    const stats = monitor.getPerformanceStats();
    expect(Object.keys(stats).sort()).toEqual(
      ['hitRate', 'cacheHits', 'cacheMisses', 'compression', 'retentionHours', 'timestamp', 'totalCacheOperations'].sort(),
    );
    monitor.recordKeyGenerationTime(1, 1);
    monitor.recordCacheOperationTime('get', 1, true);
    monitor.recordMemoryUsage({ memoryCache: {} });
    monitor.recordInvalidationEvent('p', 1, 1);
    expect(Object.keys(monitor.getPerformanceStats())).toEqual(
      expect.arrayContaining(['keyGeneration', 'cacheOperations', 'compression', 'memoryUsage', 'invalidation']),
    );
    expect(monitor.getPerformanceStats().memoryUsage).toEqual(monitor.getMemoryUsageStats());
    expect(monitor.getPerformanceStats().invalidation).toEqual(monitor.getInvalidationFrequencyStats());
  });

  it('summarises key generation: avg, median, min, max, text lengths and slow count with strict >', () => {
    const { monitor } = makeMonitor();
    const samples: Array<[number, number]> = [
      [10, 100],
      [100, 300],
      [150, 200],
      [40, 400],
    ];
    for (const [ms, len] of samples) monitor.recordKeyGenerationTime(ms, len);
    expect(monitor.getPerformanceStats().keyGeneration).toEqual({
      totalOperations: 4,
      avgDurationMs: 75,
      medianDurationMs: 70,
      maxDurationMs: 150,
      minDurationMs: 10,
      avgTextLength: 250,
      maxTextLength: 400,
      slowOperations: 1,
    });
  });

  it('counts slow operations with the current threshold values', () => {
    const { monitor } = makeMonitor();
    for (const ms of [10, 30, 60]) {
      monitor.recordKeyGenerationTime(ms, 1);
      monitor.recordCacheOperationTime('get', ms, true);
    }
    expect(monitor.getPerformanceStats().cacheOperations?.slowOperations).toBe(1);
    monitor.keyGenerationThresholdMs = 10;
    monitor.cacheOperationThresholdMs = 30;
    const stats = monitor.getPerformanceStats();
    expect(stats.keyGeneration?.slowOperations).toBe(2);
    expect(stats.cacheOperations?.slowOperations).toBe(1);
  });

  it('breaks cache operations down by operation name', () => {
    const { monitor } = makeMonitor();
    monitor.recordCacheOperationTime('get', 2, true);
    monitor.recordCacheOperationTime('get', 4, false);
    monitor.recordCacheOperationTime('set', 9, true);
    monitor.recordCacheOperationTime('get', 6, true);
    monitor.recordCacheOperationTime('__proto__', 1, true);
    const section = monitor.getPerformanceStats().cacheOperations;
    expect(section).toMatchObject({ totalOperations: 5, minDurationMs: 1, maxDurationMs: 9, medianDurationMs: 4 });
    expect(section?.avgDurationMs).toBeCloseTo(22 / 5, 12);
    expect(section?.byOperationType.get).toEqual({ count: 3, avgDurationMs: 4, maxDurationMs: 6 });
    expect(section?.byOperationType.set).toEqual({ count: 1, avgDurationMs: 9, maxDurationMs: 9 });
    expect(Object.getOwnPropertyDescriptor(section?.byOperationType, '__proto__')?.value).toEqual({
      count: 1,
      avgDurationMs: 1,
      maxDurationMs: 1,
    });
  });

  it('summarises compression: totals, savings, best = min and worst = max ratio', () => {
    const { monitor } = makeMonitor();
    monitor.recordCompressionRatio(4000, 1000, 2);
    monitor.recordCompressionRatio(1000, 500, 4);
    monitor.recordCompressionRatio(1000, 900, 9);
    expect(monitor.getPerformanceStats().compression).toEqual({
      totalOperations: 3,
      avgCompressionRatio: (0.25 + 0.5 + 0.9) / 3,
      medianCompressionRatio: 0.5,
      bestCompressionRatio: 0.25,
      worstCompressionRatio: 0.9,
      avgCompressionTimeMs: 5,
      maxCompressionTimeMs: 9,
      totalBytesProcessed: 6000,
      totalBytesSaved: 3600,
      overallSavingsPercent: 60,
    });
  });

  it('reports 0 % savings when nothing was processed', () => {
    const { monitor } = makeMonitor();
    monitor.recordCompressionRatio(0, 0, 1);
    expect(monitor.getPerformanceStats().compression).toMatchObject({ totalBytesProcessed: 0, overallSavingsPercent: 0 });
  });

  it('makes avg = median = min = max for a single sample', () => {
    const { monitor } = makeMonitor();
    monitor.recordCacheOperationTime('get', 7.5, true);
    const s = monitor.getPerformanceStats().cacheOperations;
    expect([s?.avgDurationMs, s?.medianDurationMs, s?.minDurationMs, s?.maxDurationMs]).toEqual([7.5, 7.5, 7.5, 7.5]);
  });

  it('matches a reference mean (1e-9) and median for odd and even counts (S1, property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 60 }), (values) => {
        const { monitor } = makeMonitor();
        for (const v of values) monitor.recordKeyGenerationTime(v, 1);
        const s = monitor.getPerformanceStats().keyGeneration;
        const sorted = [...values].sort((a, b) => a - b);
        const mid = Math.floor(sorted.length / 2);
        const median = sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        expect(Math.abs((s?.avgDurationMs ?? Number.NaN) - mean)).toBeLessThan(1e-9);
        expect(s?.medianDurationMs).toBe(median);
        expect(s?.minDurationMs).toBe(sorted[0]);
        expect(s?.maxDurationMs).toBe(sorted[sorted.length - 1]);
      }),
    );
  });
});
