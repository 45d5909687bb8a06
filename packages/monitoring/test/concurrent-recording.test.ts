import { describe, expect, it } from 'vitest';
import { makeMonitor } from './helpers.js';

describe('interleaved async recording', () => {
  it('10 concurrent tasks × N records give exact series lengths and counters', async () => {
    const { monitor } = makeMonitor({ maxMeasurements: 10_000, invalidationRateWarningPerHour: 1e9, invalidationRateCriticalPerHour: 1e9 });
    const perTask = 200;
    const task = async (id: number) => {
      for (let i = 0; i < perTask; i++) {
        monitor.recordCacheOperationTime('get', i % 7, (i + id) % 2 === 0, 1);
        await Promise.resolve();
        monitor.recordKeyGenerationTime(i % 5, 10);
        await new Promise<void>((resolve) => setImmediate(resolve));
        monitor.recordCompressionRatio(100, 50, 1);
        monitor.recordInvalidationEvent(`t${id}:*`, 2, 1);
        monitor.recordOperation('set', 1, true);
      }
    };
    await Promise.all(Array.from({ length: 10 }, (_, id) => task(id)));
    const total = 10 * perTask;
    expect(monitor.cacheOperationTimes).toHaveLength(2 * total);
    expect(monitor.keyGenerationTimes).toHaveLength(total);
    expect(monitor.compressionRatios).toHaveLength(total);
    expect(monitor.invalidationEvents).toHaveLength(total);
    expect(monitor.totalOperations).toBe(2 * total);
    expect(monitor.cacheHits + monitor.cacheMisses).toBe(total);
    expect(monitor.cacheHits).toBe(total / 2);
    expect([monitor.totalInvalidations, monitor.totalKeysInvalidated]).toEqual([total, 2 * total]);
  });
});
