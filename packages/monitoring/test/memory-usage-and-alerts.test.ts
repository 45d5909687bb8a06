import { describe, expect, it } from 'vitest';
import { estimateSize } from '../src/index.js';
import { HOUR, makeMonitor, MIB, T0 } from './helpers.js';

describe('recordMemoryUsage', () => {
  it('measures size, entry count and average of a Map or a record', () => {
    const { monitor } = makeMonitor({ memoryWarningThresholdBytes: 10_000, memoryCriticalThresholdBytes: 20_000 });
    const record = { a: 'x'.repeat(100), b: 'y' };
    const m = monitor.recordMemoryUsage({ memoryCache: record });
    const size = estimateSize(record);
    expect(m).toEqual({
      totalCacheSizeBytes: size,
      cacheEntryCount: 2,
      avgEntrySizeBytes: size / 2,
      memoryCacheSizeBytes: size,
      memoryCacheEntryCount: 2,
      processMemoryMb: 64,
      timestamp: T0,
      cacheUtilizationPercent: (size / 10_000) * 100,
      warningThresholdReached: false,
      additionalData: {},
    });
    const map = new Map<string, unknown>([['k', { v: 1 }]]);
    const fromMap = monitor.recordMemoryUsage({ memoryCache: map, additionalData: { source: 'l1' } });
    expect([fromMap.memoryCacheEntryCount, fromMap.memoryCacheSizeBytes]).toEqual([1, estimateSize(map)]);
    expect(fromMap.additionalData).toEqual({ source: 'l1' });
    expect(monitor.memoryUsageMeasurements).toEqual([m, fromMap]);
  });

  it('reports 0 average for an empty cache and identical sizes for identical input', () => {
    const { monitor } = makeMonitor();
    expect(monitor.recordMemoryUsage({ memoryCache: {} }).avgEntrySizeBytes).toBe(0);
    const cache = { a: [1, 2, 3], b: { c: 'd' } };
    const first = monitor.recordMemoryUsage({ memoryCache: cache });
    const second = monitor.recordMemoryUsage({ memoryCache: cache });
    expect(second.memoryCacheSizeBytes).toBe(first.memoryCacheSizeBytes);
  });

  it('adds Redis bytes and keys independently and ignores garbage', () => {
    const { monitor } = makeMonitor();
    const memoryCache = { a: 1 };
    const base = estimateSize(memoryCache);
    const only = (redisStats: unknown) => {
      const m = monitor.recordMemoryUsage({ memoryCache, redisStats: redisStats as never });
      return [m.totalCacheSizeBytes, m.cacheEntryCount];
    };
    expect(only({ memoryUsedBytes: 1000 })).toEqual([base + 1000, 1]);
    expect(only({ keys: 7 })).toEqual([base, 8]);
    expect(only({ memoryUsedBytes: 1000, keys: 7 })).toEqual([base + 1000, 8]);
    expect(only({ memoryUsedBytes: '1000', keys: Number.NaN, other: 5 })).toEqual([base, 1]);
    expect(only(null)).toEqual([base, 1]);
    expect(only({ memoryUsedBytes: Number.POSITIVE_INFINITY })).toEqual([base, 1]);
  });

  it('uses the injected sizeOf and processMemoryBytes, with 0 when they fail', () => {
    const { monitor } = makeMonitor({ sizeOf: () => 1234, processMemoryBytes: () => 2 * MIB });
    expect(monitor.recordMemoryUsage({ memoryCache: { a: 1 } })).toMatchObject({ memoryCacheSizeBytes: 1234, processMemoryMb: 2 });
    const failing = makeMonitor({
      sizeOf: () => {
        throw new Error('boom');
      },
      processMemoryBytes: () => {
        throw new Error('boom');
      },
    });
    const m = failing.monitor.recordMemoryUsage({ memoryCache: { a: 1 } });
    expect([m.memoryCacheSizeBytes, m.processMemoryMb, m.memoryCacheEntryCount]).toEqual([0, 0, 1]);
    expect(failing.log.at('debug').length).toBe(2);
    expect(makeMonitor({ sizeOf: () => Number.NaN }).monitor.recordMemoryUsage({ memoryCache: {} }).memoryCacheSizeBytes).toBe(0);
  });

  it('computes utilisation against the warning threshold and logs warning vs error', () => {
    const { monitor, log } = makeMonitor({ memoryWarningThresholdBytes: 1000, memoryCriticalThresholdBytes: 2000, sizeOf: () => 0 });
    const below = monitor.recordMemoryUsage({ memoryCache: {}, redisStats: { memoryUsedBytes: 500 } });
    expect([below.cacheUtilizationPercent, below.warningThresholdReached]).toEqual([50, false]);
    expect(log.entries.filter((e) => e.level !== 'debug')).toEqual([]);
    const atWarning = monitor.recordMemoryUsage({ memoryCache: {}, redisStats: { memoryUsedBytes: 1000 } });
    expect([atWarning.cacheUtilizationPercent, atWarning.warningThresholdReached]).toEqual([100, true]);
    expect(log.at('warn')).toHaveLength(1);
    const atCritical = monitor.recordMemoryUsage({ memoryCache: {}, redisStats: { memoryUsedBytes: 2000 } });
    expect(atCritical.cacheUtilizationPercent).toBe(200);
    expect(log.at('warn')).toHaveLength(1);
    expect(log.at('error')).toHaveLength(1);
    expect(log.at('error')[0]?.meta).toEqual({ totalCacheSizeBytes: 2000, warningThresholdBytes: 1000, criticalThresholdBytes: 2000 });
  });

  it('never throws on malformed input', () => {
    const { monitor } = makeMonitor();
    expect(monitor.recordMemoryUsage(undefined as never).memoryCacheEntryCount).toBe(0);
    expect(monitor.recordMemoryUsage({ memoryCache: 'nope' as never }).memoryCacheEntryCount).toBe(0);
  });
});

describe('getMemoryUsageStats', () => {
  it('has the no-measurement shape before any measurement', () => {
    const { monitor } = makeMonitor();
    expect(monitor.getMemoryUsageStats()).toEqual({ noMeasurements: true, warningThresholdMb: 50, criticalThresholdMb: 100 });
  });

  it('reports current, thresholds and trends over the last 10 measurements', () => {
    let size = 0;
    const { monitor, clock } = makeMonitor({ sizeOf: () => size, memoryWarningThresholdBytes: 10 * MIB, memoryCriticalThresholdBytes: 20 * MIB });
    for (let i = 1; i <= 12; i++) {
      size = i * MIB;
      monitor.recordMemoryUsage({ memoryCache: { a: 1, b: 2 }, redisStats: { keys: i } });
      clock.advance(HOUR / 10);
    }
    const stats = monitor.getMemoryUsageStats();
    if ('noMeasurements' in stats) throw new Error('expected a report');
    expect(stats.current).toEqual({
      totalCacheSizeMb: 12,
      memoryCacheSizeMb: 12,
      cacheEntryCount: 14,
      memoryCacheEntryCount: 2,
      avgEntrySizeBytes: 6 * MIB,
      processMemoryMb: 64,
      cacheUtilizationPercent: 120,
      warningThresholdReached: true,
    });
    expect(stats.thresholds).toEqual({
      warningThresholdMb: 10,
      criticalThresholdMb: 20,
      warningThresholdReached: true,
      criticalThresholdReached: false,
    });
    // last 10 = sizes 3..12 MB, entry counts 5..14, 9 intervals of 6 minutes
    expect(stats.trends).toEqual({
      totalMeasurements: 10,
      avgTotalCacheSizeMb: 7.5,
      maxTotalCacheSizeMb: 12,
      avgMemoryCacheSizeMb: 7.5,
      avgEntryCount: 9.5,
      maxEntryCount: 14,
      growthRateMbPerHour: expect.closeTo(9 / 0.9, 9),
    });
  });

  it('counts all retained measurements and reports a negative growth rate when shrinking', () => {
    let size = 10 * MIB;
    const { monitor, clock } = makeMonitor({ sizeOf: () => size, retentionHours: 24 });
    for (let i = 0; i < 15; i++) {
      monitor.recordMemoryUsage({ memoryCache: {} });
      size -= MIB / 2;
      clock.advance(HOUR);
    }
    const stats = monitor.getMemoryUsageStats();
    if ('noMeasurements' in stats) throw new Error('expected a report');
    expect(stats.trends.totalMeasurements).toBe(15);
    expect(stats.trends.growthRateMbPerHour).toBeCloseTo(-0.5, 12);
  });

  it('omits the growth rate for a single measurement or a zero time span', () => {
    const { monitor } = makeMonitor();
    monitor.recordMemoryUsage({ memoryCache: {} });
    const one = monitor.getMemoryUsageStats();
    expect('trends' in one && 'growthRateMbPerHour' in one.trends).toBe(false);
    monitor.recordMemoryUsage({ memoryCache: { a: 1 } });
    const same = monitor.getMemoryUsageStats();
    expect('trends' in same && 'growthRateMbPerHour' in same.trends).toBe(false);
  });
});

describe('getMemoryWarnings', () => {
  const setup = (options = {}) => {
    let size = 0;
    const ctx = makeMonitor({ sizeOf: () => size, memoryWarningThresholdBytes: 50 * MIB, memoryCriticalThresholdBytes: 100 * MIB, ...options });
    return { ...ctx, record: (bytes: number, entries = 0, perCall?: number) => {
      size = bytes;
      const memoryCache = Object.fromEntries(Array.from({ length: entries }, (_, i) => [`k${i}`, i]));
      ctx.monitor.recordMemoryUsage(perCall === undefined ? { memoryCache } : { memoryCache, memoryCacheMaxEntries: perCall });
    } };
  };

  it('is empty without measurements or below every limit', () => {
    const { monitor, record } = setup();
    expect(monitor.getMemoryWarnings()).toEqual([]);
    record(10 * MIB, 90);
    expect(monitor.getMemoryWarnings()).toEqual([]);
  });

  it('raises exactly one critical alert (not also a warning) at the critical threshold', () => {
    const { monitor, record } = setup();
    record(100 * MIB);
    const alerts = monitor.getMemoryWarnings();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.severity).toBe('critical');
    expect(alerts[0]?.message).toContain('100.0 MB');
    expect(alerts[0]?.recommendations).toHaveLength(4);
  });

  it('raises a warning alert with 3 recommendations between the thresholds', () => {
    const { monitor, record } = setup();
    record(75.25 * MIB);
    const alerts = monitor.getMemoryWarnings();
    expect(alerts.map((a) => a.severity)).toEqual(['warning']);
    expect(alerts[0]?.message).toContain('75.3 MB');
    expect(alerts[0]?.recommendations).toHaveLength(3);
  });

  it('adds an info alert above 90 % of the capacity, per-call capacity first, sorted after the others', () => {
    const { monitor, record } = setup();
    record(100 * MIB, 91);
    expect(monitor.getMemoryWarnings().map((a) => a.severity)).toEqual(['critical', 'info']);
    expect(monitor.getMemoryWarnings()[1]?.message).toBe('Memory cache is 91.0% full (91/100 entries)');
    record(60 * MIB, 90);
    expect(monitor.getMemoryWarnings().map((a) => a.severity)).toEqual(['warning']);
    record(0, 950, 1000);
    expect(monitor.getMemoryWarnings()).toEqual([
      expect.objectContaining({ severity: 'info', message: 'Memory cache is 95.0% full (950/1000 entries)' }),
    ]);
    const custom = setup({ memoryCacheMaxEntries: 10 });
    custom.record(0, 10);
    expect(custom.monitor.getMemoryWarnings()[0]?.message).toBe('Memory cache is 100.0% full (10/10 entries)');
  });

  it('looks at the latest measurement only and has no duplicate alerts', () => {
    const { monitor, record } = setup();
    record(200 * MIB, 99);
    record(1, 1);
    expect(monitor.getMemoryWarnings()).toEqual([]);
    record(200 * MIB, 99);
    const alerts = monitor.getMemoryWarnings();
    expect(new Set(alerts.map((a) => `${a.severity}|${a.message}`)).size).toBe(alerts.length);
  });
});
