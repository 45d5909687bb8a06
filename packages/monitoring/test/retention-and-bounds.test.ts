import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOUR, makeMonitor, T0 } from './helpers.js';

describe('retention and maxMeasurements', () => {
  it('drops an item exactly at the retention cutoff and keeps one just inside it', () => {
    const { monitor, clock } = makeMonitor({ retentionHours: 1 });
    monitor.recordKeyGenerationTime(1, 1);
    clock.advance(1);
    monitor.recordKeyGenerationTime(2, 1);
    clock.set(T0 + HOUR);
    monitor.recordKeyGenerationTime(3, 1);
    expect(monitor.keyGenerationTimes.map((m) => m.durationMs)).toEqual([2, 3]);
  });

  it('works with fractional retention hours', () => {
    const { monitor, clock } = makeMonitor({ retentionHours: 0.001 });
    monitor.recordCacheOperationTime('get', 1, true);
    clock.advance(3600);
    monitor.recordCacheOperationTime('get', 2, true);
    expect(monitor.cacheOperationTimes.map((m) => m.durationMs)).toEqual([2]);
  });

  it('keeps only the newest maxMeasurements per series', () => {
    const { monitor, clock } = makeMonitor({ maxMeasurements: 3 });
    for (let i = 1; i <= 5; i++) {
      monitor.recordKeyGenerationTime(i, 1);
      monitor.recordCacheOperationTime('get', i, true);
      monitor.recordCompressionRatio(i, 1, i);
      monitor.recordMemoryUsage({ memoryCache: {}, additionalData: { i } });
      monitor.recordInvalidationEvent(`p${i}`, 1, i);
      clock.advance(1);
    }
    expect(monitor.keyGenerationTimes.map((m) => m.durationMs)).toEqual([3, 4, 5]);
    expect(monitor.cacheOperationTimes.map((m) => m.durationMs)).toEqual([3, 4, 5]);
    expect(monitor.compressionRatios.map((m) => m.compressionTimeMs)).toEqual([3, 4, 5]);
    expect(monitor.memoryUsageMeasurements.map((m) => m.additionalData.i)).toEqual([3, 4, 5]);
    expect(monitor.invalidationEvents.map((m) => m.pattern)).toEqual(['p3', 'p4', 'p5']);
    expect([monitor.totalOperations, monitor.cacheHits, monitor.totalInvalidations]).toEqual([5, 5, 5]);
  });

  it('getPerformanceStats cleans all five series first; counters survive cleanup', () => {
    const { monitor, clock } = makeMonitor();
    monitor.recordKeyGenerationTime(1, 1);
    monitor.recordCacheOperationTime('get', 1, true);
    monitor.recordCompressionRatio(1, 1, 1);
    monitor.recordMemoryUsage({ memoryCache: {} });
    monitor.recordInvalidationEvent('p', 3, 1);
    clock.advance(2 * HOUR);
    const stats = monitor.getPerformanceStats();
    expect(stats).toEqual({
      timestamp: new Date(T0 + 2 * HOUR).toISOString(),
      retentionHours: 1,
      hitRate: 1,
      totalCacheOperations: 1,
      cacheHits: 1,
      cacheMisses: 0,
    });
    expect(monitor.exportMetrics()).toMatchObject({
      keyGenerationTimes: [],
      cacheOperationTimes: [],
      compressionRatios: [],
      memoryUsageMeasurements: [],
      invalidationEvents: [],
      totalInvalidations: 1,
      totalKeysInvalidated: 3,
    });
  });

  it('recording cleans only its own series', () => {
    const { monitor, clock } = makeMonitor();
    monitor.recordKeyGenerationTime(1, 1);
    clock.advance(2 * HOUR);
    monitor.recordCacheOperationTime('get', 1, true);
    expect(monitor.keyGenerationTimes).toHaveLength(1);
    monitor.recordKeyGenerationTime(2, 1);
    expect(monitor.keyGenerationTimes.map((m) => m.durationMs)).toEqual([2]);
  });

  it('grows past its initial allocation while keeping insertion order', () => {
    const { monitor, clock } = makeMonitor({ maxMeasurements: 500 });
    for (let i = 0; i < 700; i++) {
      monitor.recordCacheOperationTime('get', i, true);
      clock.advance(1);
    }
    const kept = monitor.cacheOperationTimes.map((m) => m.durationMs);
    expect(kept).toEqual(Array.from({ length: 500 }, (_, i) => i + 200));
  });

  // Reference model: the original's list semantics (append, keep timestamp > now − retention, keep the last N).
  it('matches the list reference model for any clock movement, including backwards steps (property)', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('record' as const), ms: fc.integer({ min: 0, max: 1000 }) }),
      fc.record({ kind: fc.constant('advance' as const), by: fc.integer({ min: -2 * HOUR, max: 2 * HOUR }) }),
      fc.record({ kind: fc.constant('stats' as const) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(step, { maxLength: 120 }), (max, steps) => {
        const { monitor, clock } = makeMonitor({ maxMeasurements: max, retentionHours: 1 });
        let model: Array<{ ts: number; ms: number }> = [];
        const clean = (now: number) => {
          model = model.filter((m) => m.ts > now - HOUR).slice(-max);
        };
        for (const s of steps) {
          if (s.kind === 'advance') clock.advance(s.by);
          else if (s.kind === 'stats') {
            monitor.getPerformanceStats();
            clean(clock.now());
          } else {
            monitor.recordCacheOperationTime('get', s.ms, true);
            model.push({ ts: clock.now(), ms: s.ms });
            clean(clock.now());
          }
          expect(monitor.cacheOperationTimes.map((m) => [m.timestamp, m.durationMs])).toEqual(model.map((m) => [m.ts, m.ms]));
        }
      }),
    );
  });
});
