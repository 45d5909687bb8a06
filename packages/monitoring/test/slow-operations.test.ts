import { isValidationError } from '@cache/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOUR, makeMonitor, T0 } from './helpers.js';

describe('getRecentSlowOperations', () => {
  it('flags exactly 50 and 45 ms in the reference case (baseline 11)', () => {
    const { monitor } = makeMonitor();
    for (const ms of [10, 12, 11, 13, 9, 50, 45]) monitor.recordKeyGenerationTime(ms, ms * 10, 'chat');
    const slow = monitor.getRecentSlowOperations();
    expect(slow.keyGeneration).toEqual([
      { durationMs: 50, textLength: 500, operationType: 'chat', timestamp: new Date(T0).toISOString(), timesSlower: 50 / 11 },
      { durationMs: 45, textLength: 450, operationType: 'chat', timestamp: new Date(T0).toISOString(), timesSlower: 45 / 11 },
    ]);
    expect(slow.cacheOperations).toEqual([]);
    expect(slow.compression).toEqual([]);
  });

  it('covers cache operations and compression times with the same rule', () => {
    const { monitor } = makeMonitor();
    for (const ms of [1, 1, 1, 1, 10]) {
      monitor.recordCacheOperationTime('get', ms, true);
      monitor.recordCompressionRatio(1000, 250, ms, 'gzip');
    }
    const slow = monitor.getRecentSlowOperations({ thresholdMultiplier: 3 });
    expect(slow.cacheOperations.map((i) => [i.durationMs, i.timesSlower])).toEqual([[10, 10]]);
    expect(slow.compression).toEqual([
      {
        compressionTimeMs: 10,
        originalSize: 1000,
        compressionRatio: 0.25,
        operationType: 'gzip',
        timestamp: new Date(T0).toISOString(),
        timesSlower: 10,
      },
    ]);
  });

  it('uses ≥ against the limit and at least one value for the baseline', () => {
    const { monitor } = makeMonitor();
    monitor.recordKeyGenerationTime(4, 1);
    expect(monitor.getRecentSlowOperations({ thresholdMultiplier: 1 }).keyGeneration.map((i) => i.timesSlower)).toEqual([1]);
    expect(monitor.getRecentSlowOperations().keyGeneration).toEqual([]);
  });

  it('with a zero baseline flags only non-zero values, with timesSlower null', () => {
    const { monitor } = makeMonitor();
    for (const ms of [0, 0, 0, 0, 3]) monitor.recordCacheOperationTime('get', ms, true);
    const slow = monitor.getRecentSlowOperations();
    expect(slow.cacheOperations.map((i) => [i.durationMs, i.timesSlower])).toEqual([[3, null]]);
  });

  it('cleans expired records first', () => {
    const { monitor, clock } = makeMonitor();
    monitor.recordKeyGenerationTime(1000, 1);
    for (let i = 0; i < 4; i++) monitor.recordKeyGenerationTime(1, 1);
    clock.advance(HOUR - 1);
    monitor.recordCompressionRatio(1, 1, 1);
    clock.advance(1);
    expect(monitor.getRecentSlowOperations()).toEqual({ keyGeneration: [], cacheOperations: [], compression: [] });
  });

  it('never returns more items for a higher multiplier (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { maxLength: 40 }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (values, low, extra) => {
          const { monitor } = makeMonitor();
          for (const v of values) monitor.recordCacheOperationTime('get', v, true);
          const a = monitor.getRecentSlowOperations({ thresholdMultiplier: low }).cacheOperations.length;
          const b = monitor.getRecentSlowOperations({ thresholdMultiplier: low + extra }).cacheOperations.length;
          expect(b).toBeLessThanOrEqual(a);
        },
      ),
    );
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, '2'])('rejects multiplier %s with ValidationError', (bad) => {
    const { monitor } = makeMonitor();
    let caught: unknown;
    try {
      monitor.getRecentSlowOperations({ thresholdMultiplier: bad as number });
    } catch (error) {
      caught = error;
    }
    expect(isValidationError(caught)).toBe(true);
  });
});
