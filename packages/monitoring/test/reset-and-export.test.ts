import { describe, expect, it } from 'vitest';
import { HOUR, makeMonitor, T0 } from './helpers.js';

const fill = (monitor: ReturnType<typeof makeMonitor>['monitor']) => {
  monitor.recordKeyGenerationTime(3, 30, 'chat', { textTier: 'small', nested: { list: [1, null, 'x'], none: null } });
  monitor.recordCacheOperationTime('get', 2, true, 10, Object.freeze({ tier: 'l1' }));
  monitor.recordCacheOperationTime('get', 2, false);
  monitor.recordCompressionRatio(100, 50, 1, 'zlib');
  monitor.recordMemoryUsage({ memoryCache: { a: 1 }, redisStats: { keys: 3 }, additionalData: { host: 'h' } });
  monitor.recordInvalidationEvent('user:*', 4, 2, 'pattern', 'deploy', { status: 'ok' });
};

describe('resetStats', () => {
  it('empties the series and zeroes the counters but keeps options, mutated thresholds and the clock', () => {
    const { monitor, clock } = makeMonitor({ retentionHours: 2, maxMeasurements: 5 });
    fill(monitor);
    monitor.recordCacheOperationTime('get', Number.NaN, true);
    expect(monitor.droppedRecords).toBe(1);
    monitor.cacheOperationThresholdMs = 1;
    monitor.memoryWarningThresholdBytes = 10;
    monitor.memoryCriticalThresholdBytes = 20;
    monitor.invalidationRateWarningPerHour = 7;
    monitor.resetStats();
    const exported = monitor.exportMetrics();
    expect(exported).toEqual({
      keyGenerationTimes: [],
      cacheOperationTimes: [],
      compressionRatios: [],
      memoryUsageMeasurements: [],
      invalidationEvents: [],
      cacheHits: 0,
      cacheMisses: 0,
      totalOperations: 0,
      totalInvalidations: 0,
      totalKeysInvalidated: 0,
      llmSavings: [],
      exportTimestamp: new Date(T0).toISOString(),
    });
    expect(monitor.getOperationCounts()).toEqual({});
    expect(monitor.droppedRecords).toBe(0);
    expect([monitor.retentionHours, monitor.maxMeasurements, monitor.cacheOperationThresholdMs]).toEqual([2, 5, 1]);
    expect([monitor.memoryWarningThresholdBytes, monitor.memoryCriticalThresholdBytes, monitor.invalidationRateWarningPerHour]).toEqual([
      10, 20, 7,
    ]);
    clock.advance(HOUR);
    monitor.recordCacheOperationTime('get', 5, true);
    expect([monitor.cacheHits, monitor.totalOperations]).toEqual([1, 1]);
    expect(monitor.cacheOperationTimes[0]?.timestamp).toBe(T0 + HOUR);
    expect(monitor.getPerformanceStats().cacheOperations?.slowOperations).toBe(1);
  });
});

describe('exportMetrics', () => {
  it('contains every metric with all fields and the lifetime counters', () => {
    const { monitor } = makeMonitor();
    fill(monitor);
    const e = monitor.exportMetrics();
    expect(e.keyGenerationTimes).toEqual([
      {
        durationMs: 3,
        textLength: 30,
        timestamp: T0,
        operationType: 'chat',
        additionalData: { textTier: 'small', nested: { list: [1, null, 'x'], none: null } },
      },
    ]);
    expect(e.cacheOperationTimes.map((m) => m.additionalData)).toEqual([{ tier: 'l1' }, {}]);
    expect(e.compressionRatios).toEqual(monitor.compressionRatios);
    expect(e.memoryUsageMeasurements).toEqual(monitor.memoryUsageMeasurements);
    expect(Object.keys(e.memoryUsageMeasurements[0] ?? {})).toHaveLength(10);
    expect(e.invalidationEvents).toEqual(monitor.invalidationEvents);
    expect([e.cacheHits, e.cacheMisses, e.totalOperations, e.totalInvalidations, e.totalKeysInvalidated]).toEqual([1, 1, 2, 1, 4]);
    expect(e.exportTimestamp).toBe(new Date(T0).toISOString());
  });

  it('is a deep copy: mutating it never touches the monitor', () => {
    const { monitor } = makeMonitor();
    fill(monitor);
    const e = monitor.exportMetrics();
    const nested = e.keyGenerationTimes[0]?.additionalData.nested as { list: unknown[] };
    nested.list.push('mutated');
    (e.cacheOperationTimes as unknown as Array<{ durationMs: number }>)[0]!.durationMs = 999;
    e.invalidationEvents.length = 0;
    const again = monitor.exportMetrics();
    expect((again.keyGenerationTimes[0]?.additionalData.nested as { list: unknown[] }).list).toEqual([1, null, 'x']);
    expect(again.cacheOperationTimes[0]?.durationMs).toBe(2);
    expect(again.invalidationEvents).toHaveLength(1);
  });

  it('round-trips through JSON and differs between two exports only in exportTimestamp', () => {
    const { monitor, clock } = makeMonitor();
    fill(monitor);
    const first = monitor.exportMetrics();
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
    clock.advance(1000);
    const second = monitor.exportMetrics();
    expect(second.exportTimestamp).not.toBe(first.exportTimestamp);
    expect({ ...second, exportTimestamp: '' }).toEqual({ ...first, exportTimestamp: '' });
  });

  it('getters return frozen snapshots that do not change with later records', () => {
    const { monitor } = makeMonitor();
    fill(monitor);
    const snapshot = monitor.cacheOperationTimes;
    expect(Object.isFrozen(snapshot)).toBe(true);
    expect(Object.isFrozen(snapshot[0])).toBe(true);
    monitor.recordCacheOperationTime('set', 1, true);
    expect(snapshot).toHaveLength(2);
  });
});
