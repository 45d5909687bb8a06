import type { CacheMetricsRecorder } from '@cache/core';
import { describe, expect, it } from 'vitest';
import { CachePerformanceMonitor } from '../src/index.js';
import { makeMonitor, T0 } from './helpers.js';

describe('recording hooks (R1–R4, R6b)', () => {
  it('satisfies core CacheMetricsRecorder with every optional hook present', () => {
    const recorder: CacheMetricsRecorder = new CachePerformanceMonitor();
    expect(typeof recorder.recordCacheOperationTime).toBe('function');
    expect(typeof recorder.recordKeyGenerationTime).toBe('function');
    expect(typeof recorder.recordCompressionRatio).toBe('function');
    expect(typeof recorder.recordInvalidationEvent).toBe('function');
  });

  it('append with the injected clock timestamp and default fields', () => {
    const { monitor, clock } = makeMonitor();
    monitor.recordKeyGenerationTime(5, 120);
    clock.advance(10);
    monitor.recordCacheOperationTime('get', 2, true);
    clock.advance(10);
    monitor.recordCompressionRatio(100, 40, 3);
    clock.advance(10);
    monitor.recordInvalidationEvent('user:*', 4, 6);
    expect(monitor.keyGenerationTimes).toEqual([
      { durationMs: 5, textLength: 120, timestamp: T0, operationType: '', additionalData: {} },
    ]);
    expect(monitor.cacheOperationTimes).toEqual([
      { durationMs: 2, textLength: 0, timestamp: T0 + 10, operationType: 'get', additionalData: {} },
    ]);
    expect(monitor.compressionRatios).toEqual([
      { originalSize: 100, compressedSize: 40, compressionRatio: 0.4, compressionTimeMs: 3, timestamp: T0 + 20, operationType: '' },
    ]);
    expect(monitor.invalidationEvents).toEqual([
      {
        pattern: 'user:*',
        keysInvalidated: 4,
        durationMs: 6,
        timestamp: T0 + 30,
        invalidationType: 'manual',
        operationContext: '',
        additionalData: {},
      },
    ]);
  });

  it('keep the optional arguments and extra as additionalData', () => {
    const { monitor } = makeMonitor();
    const extra = Object.freeze({ tier: 'l1', reason: 'hit' });
    monitor.recordKeyGenerationTime(1, 2, 'summarize', { textTier: 'small' });
    monitor.recordCacheOperationTime('get', 1, true, 50, extra);
    monitor.recordCompressionRatio(10, 5, 1, 'zlib');
    monitor.recordInvalidationEvent('a*', 1, 1, 'pattern', 'deploy', { status: 'ok' });
    expect(monitor.keyGenerationTimes[0]).toMatchObject({ operationType: 'summarize', additionalData: { textTier: 'small' } });
    expect(monitor.cacheOperationTimes[0]).toMatchObject({ textLength: 50, additionalData: { tier: 'l1', reason: 'hit' } });
    expect(monitor.compressionRatios[0]?.operationType).toBe('zlib');
    expect(monitor.invalidationEvents[0]).toMatchObject({
      invalidationType: 'pattern',
      operationContext: 'deploy',
      additionalData: { status: 'ok' },
    });
  });

  it('treat arguments passed as undefined as omitted', () => {
    const { monitor } = makeMonitor();
    monitor.recordCacheOperationTime('get', 1, true, undefined, undefined);
    monitor.recordInvalidationEvent('p', 1, 1, undefined, undefined, undefined);
    expect(monitor.cacheOperationTimes[0]?.textLength).toBe(0);
    expect(monitor.invalidationEvents[0]?.invalidationType).toBe('manual');
  });

  it('count hits and misses only for get, and every operation in totalOperations', () => {
    const { monitor } = makeMonitor();
    monitor.recordCacheOperationTime('get', 1, true);
    monitor.recordCacheOperationTime('get', 1, false);
    monitor.recordCacheOperationTime('set', 1, true);
    monitor.recordCacheOperationTime('delete', 1, false);
    monitor.recordCacheOperationTime('exists', 1, true);
    monitor.recordCacheOperationTime('GET', 1, true);
    expect([monitor.cacheHits, monitor.cacheMisses, monitor.totalOperations]).toEqual([1, 1, 6]);
  });

  it('derive the compression ratio, or 1.0 for an empty original', () => {
    const { monitor } = makeMonitor();
    monitor.recordCompressionRatio(4000, 1000, 2);
    monitor.recordCompressionRatio(0, 0, 1);
    monitor.recordCompressionRatio(0, 10, 1);
    monitor.recordCompressionRatio(100, 0, 1);
    expect(monitor.compressionRatios.map((c) => c.compressionRatio)).toEqual([0.25, 1, 1, 0]);
  });

  it('drop non-finite numbers and wrongly typed arguments with a debug log and no counter change', () => {
    const { monitor, log } = makeMonitor();
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      monitor.recordKeyGenerationTime(bad, 1);
      monitor.recordKeyGenerationTime(1, bad);
      monitor.recordCacheOperationTime('get', bad, true);
      monitor.recordCacheOperationTime('get', 1, true, bad);
      monitor.recordCompressionRatio(bad, 1, 1);
      monitor.recordCompressionRatio(1, bad, 1);
      monitor.recordCompressionRatio(1, 1, bad);
      monitor.recordInvalidationEvent('p', bad, 1);
      monitor.recordInvalidationEvent('p', 1, bad);
      monitor.recordOperation('get', bad, true);
    }
    monitor.recordCacheOperationTime(42 as never, 1, true);
    monitor.recordCacheOperationTime('get', '5' as never, true);
    monitor.recordInvalidationEvent(undefined as never, 1, 1);
    monitor.recordKeyGenerationTime(1, 1, 7 as never);
    expect([monitor.cacheHits, monitor.cacheMisses, monitor.totalOperations]).toEqual([0, 0, 0]);
    expect([monitor.totalInvalidations, monitor.totalKeysInvalidated]).toEqual([0, 0]);
    expect(monitor.exportMetrics()).toMatchObject({
      keyGenerationTimes: [],
      cacheOperationTimes: [],
      compressionRatios: [],
      invalidationEvents: [],
    });
    expect(log.at('debug').length).toBe(34);
    expect(monitor.droppedRecords).toBe(34);
    expect(log.at('warn')).toEqual([]);
  });

  it('ignore and count calls with a negative duration, size or count, changing nothing else (issue: bad numbers)', () => {
    const { monitor, log } = makeMonitor({ cacheOperationThresholdMs: 0, keyGenerationThresholdMs: 0 });
    monitor.recordKeyGenerationTime(-1, 10);
    monitor.recordKeyGenerationTime(1, -10);
    monitor.recordCacheOperationTime('get', -0.5, true);
    monitor.recordCacheOperationTime('get', 1, false, -3);
    monitor.recordOperation('get', -2, true);
    monitor.recordCompressionRatio(-100, 10, 1);
    monitor.recordCompressionRatio(100, -10, 1);
    monitor.recordCompressionRatio(100, 10, -1);
    monitor.recordInvalidationEvent('p', -5, 1);
    monitor.recordInvalidationEvent('p', 5, -1);
    expect(monitor.droppedRecords).toBe(10);
    expect([monitor.cacheHits, monitor.cacheMisses, monitor.totalOperations]).toEqual([0, 0, 0]);
    expect([monitor.totalInvalidations, monitor.totalKeysInvalidated]).toEqual([0, 0]);
    expect(monitor.getOperationCounts()).toEqual({});
    expect(monitor.exportMetrics()).toMatchObject({
      keyGenerationTimes: [],
      cacheOperationTimes: [],
      compressionRatios: [],
      invalidationEvents: [],
    });
    expect(log.at('warn')).toEqual([]);
    expect(log.at('debug')).toHaveLength(10);
    // zero is a valid measure, not a bad number
    monitor.recordCacheOperationTime('get', 0, true, 0);
    monitor.recordCompressionRatio(0, 0, 0);
    monitor.recordInvalidationEvent('p', 0, 0);
    expect([monitor.cacheHits, monitor.compressionRatios.length, monitor.totalInvalidations, monitor.droppedRecords]).toEqual([1, 1, 1, 10]);
  });

  it('count a call that fails inside the monitor (throwing clock) as dropped', () => {
    const monitor = new CachePerformanceMonitor({
      logger: makeMonitor().log.logger,
      clock: {
        now: () => {
          throw new Error('clock');
        },
      },
    });
    monitor.recordCacheOperationTime('get', 1, true);
    monitor.recordKeyGenerationTime(1, 1);
    expect(monitor.droppedRecords).toBe(2);
    expect(monitor.totalOperations).toBe(0);
  });

  it('warn only when a duration is strictly above its threshold (R2, R3)', () => {
    const { monitor, log } = makeMonitor();
    monitor.recordKeyGenerationTime(100, 1);
    monitor.recordCacheOperationTime('get', 50, true);
    expect(log.at('warn')).toEqual([]);
    monitor.recordKeyGenerationTime(100.5, 1, 'chat');
    monitor.recordCacheOperationTime('set', 50.1, true);
    expect(log.at('warn').map((e) => e.meta)).toEqual([
      { durationMs: 100.5, thresholdMs: 100, operationType: 'chat' },
      { operation: 'set', durationMs: 50.1, thresholdMs: 50 },
    ]);
  });

  it('use the current threshold values for the warning log', () => {
    const { monitor, log } = makeMonitor();
    monitor.cacheOperationThresholdMs = 5;
    monitor.recordCacheOperationTime('get', 6, true);
    expect(log.at('warn')).toHaveLength(1);
  });

  it('never throw, even when the clock or the logger throws', () => {
    const broken = {
      debug: () => {
        throw new Error('log');
      },
      info: () => undefined,
      warn: () => {
        throw new Error('log');
      },
      error: () => {
        throw new Error('log');
      },
    };
    const monitor = new CachePerformanceMonitor({
      logger: broken,
      clock: {
        now: () => {
          throw new Error('clock');
        },
      },
    });
    expect(() => {
      monitor.recordKeyGenerationTime(1, 1);
      monitor.recordCacheOperationTime('get', 1, true);
      monitor.recordCompressionRatio(1, 1, 1);
      monitor.recordInvalidationEvent('p', 1, 1);
      monitor.recordMemoryUsage({ memoryCache: new Map() });
      monitor.recordOperation('get', Number.NaN, true);
    }).not.toThrow();
    expect(monitor.totalOperations).toBe(0);
    const loud = new CachePerformanceMonitor({ logger: broken, cacheOperationThresholdMs: 0 });
    expect(() => loud.recordCacheOperationTime('get', 5, true)).not.toThrow();
    expect(loud.cacheHits).toBe(1);
  });
});

describe('recordOperation', () => {
  it('maps to a cache operation with textLength 0 and source integration', () => {
    const { monitor } = makeMonitor();
    monitor.recordOperation('get', 3, true);
    monitor.recordOperation('get', 4, false);
    monitor.recordOperation('encrypt', 5, true);
    expect([monitor.cacheHits, monitor.cacheMisses, monitor.totalOperations]).toEqual([1, 1, 3]);
    expect(monitor.cacheOperationTimes[2]).toEqual({
      durationMs: 5,
      textLength: 0,
      timestamp: T0,
      operationType: 'encrypt',
      additionalData: { source: 'integration' },
    });
  });

  it('swallows bad input without throwing', () => {
    const { monitor } = makeMonitor();
    expect(() => monitor.recordOperation(null as never, undefined as never, 'yes' as never)).not.toThrow();
    expect(monitor.totalOperations).toBe(0);
  });
});

describe('per-operation lifetime counts', () => {
  it('count every operation name and fold names beyond 256 into (other)', () => {
    const { monitor } = makeMonitor();
    monitor.recordCacheOperationTime('set', 1, true);
    monitor.recordCacheOperationTime('set', 1, true);
    monitor.recordOperation('delete', 1, true);
    expect(monitor.getOperationCounts()).toEqual({ set: 2, delete: 1 });
    for (let i = 0; i < 300; i++) monitor.recordCacheOperationTime(`op${i}`, 1, true);
    const counts = monitor.getOperationCounts();
    expect(Object.keys(counts)).toHaveLength(257);
    expect(counts['(other)']).toBe(300 - 254);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(monitor.totalOperations);
  });
});
