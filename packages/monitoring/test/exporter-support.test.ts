import { isValidationError } from '@cache/core';
import { describe, expect, it } from 'vitest';
import { HOUR, makeMonitor, T0 } from './helpers.js';

describe('readCacheOperationsAfter (scrape-time cursor)', () => {
  it('returns operations after the cursor once, with the next cursor and nothing missed', () => {
    const { monitor } = makeMonitor();
    monitor.recordCacheOperationTime('get', 1, true);
    monitor.recordCacheOperationTime('set', 2, true);
    const first = monitor.readCacheOperationsAfter(0);
    expect(first.items.map((m) => m.operationType)).toEqual(['get', 'set']);
    expect(first.missed).toBe(0);
    monitor.recordCacheOperationTime('delete', 3, true);
    const second = monitor.readCacheOperationsAfter(first.nextSequence);
    expect(second.items.map((m) => m.operationType)).toEqual(['delete']);
    expect(monitor.readCacheOperationsAfter(second.nextSequence)).toEqual({ items: [], nextSequence: second.nextSequence, missed: 0 });
  });

  it('counts operations evicted, expired or reset before they were read as missed', () => {
    const { monitor, clock } = makeMonitor({ maxMeasurements: 2 });
    for (let i = 0; i < 5; i++) monitor.recordCacheOperationTime('get', i, true);
    const a = monitor.readCacheOperationsAfter(0);
    expect([a.items.map((m) => m.durationMs), a.missed]).toEqual([[3, 4], 3]);
    monitor.recordCacheOperationTime('get', 9, true);
    monitor.resetStats();
    monitor.recordCacheOperationTime('get', 10, true);
    clock.advance(HOUR);
    const b = monitor.readCacheOperationsAfter(a.nextSequence);
    expect([b.items.map((m) => m.durationMs), b.missed]).toEqual([[10], 1]);
    monitor.getPerformanceStats();
    expect(monitor.readCacheOperationsAfter(a.nextSequence)).toMatchObject({ items: [], missed: 2 });
  });

  it.each([-1, 1.5, Number.NaN, '3'])('rejects cursor %s with ValidationError', (bad) => {
    const { monitor } = makeMonitor();
    let caught: unknown;
    try {
      monitor.readCacheOperationsAfter(bad as number);
    } catch (error) {
      caught = error;
    }
    expect(isValidationError(caught)).toBe(true);
  });
});

describe('a clock that steps backwards', () => {
  it('still counts the last hour and retention by timestamp, not by insertion order', () => {
    const { monitor, clock } = makeMonitor({ retentionHours: 3 });
    clock.set(T0 + 2 * HOUR);
    monitor.recordInvalidationEvent('late', 1, 1);
    clock.set(T0);
    monitor.recordInvalidationEvent('early', 1, 1);
    clock.set(T0 + 2 * HOUR + HOUR / 2);
    const stats = monitor.getInvalidationFrequencyStats();
    expect('rates' in stats && stats.rates.lastHour).toBe(1);
    clock.set(T0 + 3 * HOUR);
    monitor.recordInvalidationEvent('now', 1, 1);
    expect(monitor.invalidationEvents.map((e) => e.pattern)).toEqual(['late', 'now']);
  });
});
