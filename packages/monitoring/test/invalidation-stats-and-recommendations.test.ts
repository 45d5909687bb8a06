import { describe, expect, it } from 'vitest';
import type { InvalidationFrequencyStatsReport } from '../src/index.js';
import { HOUR, makeMonitor } from './helpers.js';

const report = (s: unknown): InvalidationFrequencyStatsReport => {
  if (typeof s !== 'object' || s === null || 'noInvalidations' in s) throw new Error('expected a report');
  return s as InvalidationFrequencyStatsReport;
};

describe('recordInvalidationEvent', () => {
  it('adds to the lifetime counters', () => {
    const { monitor } = makeMonitor();
    monitor.recordInvalidationEvent('a', 3, 1);
    monitor.recordInvalidationEvent('b', 0, 1);
    expect([monitor.totalInvalidations, monitor.totalKeysInvalidated]).toEqual([2, 3]);
  });

  it('logs a warning at the warning rate and an error at the critical rate (last hour)', () => {
    const { monitor, log } = makeMonitor({ invalidationRateWarningPerHour: 2, invalidationRateCriticalPerHour: 3 });
    monitor.recordInvalidationEvent('p', 1, 1);
    expect(log.entries.filter((e) => e.level !== 'debug')).toEqual([]);
    monitor.recordInvalidationEvent('p', 1, 1);
    expect(log.at('warn').map((e) => e.meta)).toEqual([{ lastHour: 2, warningPerHour: 2, criticalPerHour: 3 }]);
    monitor.recordInvalidationEvent('p', 1, 1);
    expect(log.at('error').map((e) => e.meta)).toEqual([{ lastHour: 3, warningPerHour: 2, criticalPerHour: 3 }]);
    expect(log.at('warn')).toHaveLength(1);
  });

  it('counts only events newer than one hour for the rate log', () => {
    const { monitor, clock, log } = makeMonitor({ retentionHours: 24, invalidationRateWarningPerHour: 2, invalidationRateCriticalPerHour: 5 });
    monitor.recordInvalidationEvent('p', 1, 1);
    clock.advance(HOUR);
    monitor.recordInvalidationEvent('p', 1, 1);
    expect(log.at('warn')).toEqual([]);
  });
});

describe('getInvalidationFrequencyStats', () => {
  it('has the no-invalidation shape without events', () => {
    const { monitor } = makeMonitor({ invalidationRateWarningPerHour: 3, invalidationRateCriticalPerHour: 4 });
    expect(monitor.getInvalidationFrequencyStats()).toEqual({
      noInvalidations: true,
      totalInvalidations: 0,
      totalKeysInvalidated: 0,
      warningThresholdPerHour: 3,
      criticalThresholdPerHour: 4,
    });
  });

  it('computes rates with back-dated events and the average per retention hour', () => {
    const { monitor, clock } = makeMonitor({ retentionHours: 48 });
    monitor.recordInvalidationEvent('old', 1, 1); // 30 h before "now"
    clock.advance(10 * HOUR);
    monitor.recordInvalidationEvent('day', 1, 1); // 20 h before
    clock.advance(19 * HOUR);
    monitor.recordInvalidationEvent('edge', 1, 1); // exactly 1 h before: not in the last hour
    clock.advance(1);
    monitor.recordInvalidationEvent('recent', 1, 1);
    clock.advance(HOUR - 1);
    const s = report(monitor.getInvalidationFrequencyStats());
    expect(s.rates).toEqual({ lastHour: 1, last24Hours: 3, averagePerHour: 4 / 48 });
    expect(s.totalInvalidations).toBe(4);
  });

  it('gives averagePerHour 1.0 for one event with 1 h retention', () => {
    const { monitor } = makeMonitor();
    monitor.recordInvalidationEvent('p', 1, 1);
    expect(report(monitor.getInvalidationFrequencyStats()).rates.averagePerHour).toBe(1);
  });

  it.each([
    [9, 10, 15, 'normal'],
    [10, 10, 15, 'warning'],
    [14, 10, 15, 'warning'],
    [15, 10, 15, 'critical'],
  ])('with %i events (warning %i, critical %i) the alert level is %s', (events, warning, critical, level) => {
    const { monitor } = makeMonitor({ invalidationRateWarningPerHour: warning, invalidationRateCriticalPerHour: critical });
    for (let i = 0; i < events; i++) monitor.recordInvalidationEvent(`p${i}`, 1, 1);
    expect(report(monitor.getInvalidationFrequencyStats()).thresholds).toEqual({
      warningPerHour: warning,
      criticalPerHour: critical,
      currentAlertLevel: level,
    });
  });

  it('ranks the top 10 patterns of the last 50 events; ties keep first-seen order', () => {
    const { monitor } = makeMonitor({ invalidationRateWarningPerHour: 1000, invalidationRateCriticalPerHour: 1000 });
    for (let i = 0; i < 10; i++) monitor.recordInvalidationEvent('ancient', 1, 1); // pushed out of the last 50
    const order = ['b', 'a', 'c', 'a', 'b', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'];
    for (const p of order) monitor.recordInvalidationEvent(p, 1, 1);
    for (let i = 0; i < 36; i++) monitor.recordInvalidationEvent('z', 1, 1);
    const patterns = report(monitor.getInvalidationFrequencyStats()).patterns.mostCommonPatterns;
    expect(patterns).toEqual([
      { pattern: 'z', count: 36 },
      { pattern: 'b', count: 2 },
      { pattern: 'a', count: 2 },
      { pattern: 'c', count: 1 },
      { pattern: 'd', count: 1 },
      { pattern: 'e', count: 1 },
      { pattern: 'f', count: 1 },
      { pattern: 'g', count: 1 },
      { pattern: 'h', count: 1 },
      { pattern: 'i', count: 1 },
    ]);
  });

  it('counts invalidation types case-sensitively, including the empty type', () => {
    const { monitor } = makeMonitor();
    for (const t of ['manual', 'Manual', 'MANUAL', '', 'manual', undefined]) monitor.recordInvalidationEvent('p', 1, 1, t);
    expect(report(monitor.getInvalidationFrequencyStats()).patterns.invalidationTypes).toEqual({
      manual: 3,
      Manual: 1,
      MANUAL: 1,
      '': 1,
    });
  });

  it('computes efficiency from lifetime counters and durations from recent events', () => {
    const { monitor, clock } = makeMonitor();
    monitor.recordInvalidationEvent('p', 100, 50);
    clock.advance(2 * HOUR);
    monitor.recordInvalidationEvent('p', 2, 4);
    monitor.recordInvalidationEvent('p', 0, 8);
    const s = report(monitor.getInvalidationFrequencyStats());
    expect(s.efficiency).toEqual({ avgKeysPerInvalidation: 102 / 3, avgDurationMs: 6, maxDurationMs: 8 });
  });
});

describe('getInvalidationRecommendations', () => {
  it('is empty without events', () => {
    expect(makeMonitor().monitor.getInvalidationRecommendations()).toEqual([]);
  });

  it('flags high frequency as warning at the warning level and critical at the critical level', () => {
    const warn = makeMonitor({ invalidationRateWarningPerHour: 3, invalidationRateCriticalPerHour: 5 });
    for (let i = 0; i < 3; i++) warn.monitor.recordInvalidationEvent(`p${i}`, 2, 1);
    const w = warn.monitor.getInvalidationRecommendations();
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ severity: 'warning', issue: 'High invalidation frequency' });
    expect(w[0]?.message).toContain('3 invalidations in the last hour');
    expect(w[0]?.suggestions).toHaveLength(4);
    for (let i = 3; i < 5; i++) warn.monitor.recordInvalidationEvent(`p${i}`, 2, 1);
    expect(warn.monitor.getInvalidationRecommendations()[0]?.severity).toBe('critical');
  });

  it('names a dominant pattern above 50 % of retained events', () => {
    const { monitor } = makeMonitor();
    monitor.recordInvalidationEvent('user:*', 2, 1);
    monitor.recordInvalidationEvent('user:*', 2, 1);
    monitor.recordInvalidationEvent('post:*', 2, 1);
    const recs = monitor.getInvalidationRecommendations();
    expect(recs).toEqual([expect.objectContaining({ severity: 'info', issue: 'Dominant invalidation pattern' })]);
    expect(recs[0]?.message).toContain('user:*');
    monitor.recordInvalidationEvent('post:*', 2, 1);
    expect(monitor.getInvalidationRecommendations()).toEqual([]);
  });

  it('flags low (< 1) and high (> 100) keys per invalidation', () => {
    const low = makeMonitor().monitor;
    low.recordInvalidationEvent('a', 0, 1);
    low.recordInvalidationEvent('b', 1, 1);
    expect(low.getInvalidationRecommendations()).toEqual([expect.objectContaining({ severity: 'info', issue: 'Low invalidation efficiency' })]);
    const high = makeMonitor().monitor;
    high.recordInvalidationEvent('a', 101, 1);
    high.recordInvalidationEvent('b', 101, 1);
    expect(high.getInvalidationRecommendations()).toEqual([expect.objectContaining({ severity: 'warning', issue: 'High invalidation impact' })]);
    const exact = makeMonitor().monitor;
    exact.recordInvalidationEvent('a', 100, 1);
    exact.recordInvalidationEvent('b', 1, 1);
    expect(exact.getInvalidationRecommendations()).toEqual([]);
  });

  it('sorts critical → warning → info with unique messages, stable across calls', () => {
    const { monitor } = makeMonitor({ invalidationRateWarningPerHour: 1, invalidationRateCriticalPerHour: 2 });
    monitor.recordInvalidationEvent('hot', 500, 1);
    monitor.recordInvalidationEvent('hot', 500, 1);
    monitor.recordInvalidationEvent('hot', 500, 1);
    const recs = monitor.getInvalidationRecommendations();
    expect(recs.map((r) => [r.severity, r.issue])).toEqual([
      ['critical', 'High invalidation frequency'],
      ['warning', 'High invalidation impact'],
      ['info', 'Dominant invalidation pattern'],
    ]);
    expect(new Set(recs.map((r) => r.message)).size).toBe(recs.length);
    expect(monitor.getInvalidationRecommendations()).toEqual(recs);
  });
});
