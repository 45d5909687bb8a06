import { isValidationError } from '@cache/core';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerPrometheusMetrics } from '../src/prometheus.js';
import { makeMonitor } from './helpers.js';

const L1 = Object.freeze({ tier: 'l1', reason: 'hit' });
const REDIS = Object.freeze({ tier: 'redis', reason: 'hit' });

/** Metric name → declared type, from the `# TYPE` lines of the text exposition format. */
function types(text: string): Map<string, string> {
  const declared = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (match) declared.set(match[1] as string, match[2] as string);
  }
  return declared;
}

/** Parses the text exposition format into `series → value`. */
function parse(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

describe('Prometheus exporter (M10)', () => {
  it('reports counters, gauges and latency histograms read from the monitor at scrape time', async () => {
    const { monitor } = makeMonitor({ sizeOf: () => 4096 });
    const registry = new Registry();
    registerPrometheusMetrics(monitor, registry);
    monitor.recordCacheOperationTime('get', 0.2, true, undefined, L1);
    monitor.recordCacheOperationTime('get', 3, true, undefined, REDIS);
    monitor.recordCacheOperationTime('get', 4, false);
    monitor.recordCacheOperationTime('set', 2, true, undefined, REDIS);
    monitor.recordCacheOperationTime('delete', 1, true);
    monitor.recordCacheOperationTime('evict', 0.1, true, undefined, L1);
    monitor.recordInvalidationEvent('user:*', 5, 2);
    monitor.recordMemoryUsage({ memoryCache: { a: 1, b: 2 }, redisStats: { memoryUsedBytes: 904, keys: 10 } });

    monitor.recordCacheOperationTime('get', -1, true);
    monitor.recordCacheOperationTime('get', Number.NaN, false);

    const text = await registry.metrics();
    expect(Object.fromEntries(types(text))).toEqual({
      cache_hits_total: 'counter',
      cache_misses_total: 'counter',
      cache_sets_total: 'counter',
      cache_deletes_total: 'counter',
      cache_evictions_total: 'counter',
      cache_operations_total: 'counter',
      cache_invalidations_total: 'counter',
      cache_keys_invalidated_total: 'counter',
      cache_records_dropped_total: 'counter',
      cache_hit_rate_percent: 'gauge',
      cache_memory_bytes: 'gauge',
      cache_entries: 'gauge',
      cache_operation_avg_duration_seconds: 'gauge',
      cache_operation_duration_seconds: 'histogram',
      cache_operation_samples_missed_total: 'counter',
    });
    const s = parse(text);
    expect(s.get('cache_records_dropped_total')).toBe(2);
    expect(s.get('cache_hits_total')).toBe(2);
    expect(s.get('cache_misses_total')).toBe(1);
    expect(s.get('cache_sets_total')).toBe(1);
    expect(s.get('cache_deletes_total')).toBe(1);
    expect(s.get('cache_evictions_total')).toBe(1);
    expect(s.get('cache_invalidations_total')).toBe(1);
    expect(s.get('cache_keys_invalidated_total')).toBe(5);
    expect(s.get('cache_operations_total{operation="get"}')).toBe(3);
    expect(s.get('cache_hit_rate_percent')).toBeCloseTo(200 / 3, 9);
    expect(s.get('cache_memory_bytes')).toBe(5000);
    expect(s.get('cache_entries')).toBe(12);
    expect(s.get('cache_operation_avg_duration_seconds{operation="get"}')).toBeCloseTo(7.2 / 3 / 1000, 12);
    expect(s.get('cache_operation_duration_seconds_count{operation="get",tier="l1"}')).toBe(1);
    expect(s.get('cache_operation_duration_seconds_count{operation="get",tier="redis"}')).toBe(1);
    expect(s.get('cache_operation_duration_seconds_count{operation="get",tier="none"}')).toBe(1);
    expect(s.get('cache_operation_duration_seconds_bucket{le="0.00025",operation="get",tier="l1"}')).toBe(1);
    expect(s.get('cache_operation_duration_seconds_bucket{le="0.0025",operation="get",tier="redis"}')).toBe(0);
    expect(s.get('cache_operation_duration_seconds_bucket{le="0.005",operation="get",tier="redis"}')).toBe(1);
    expect(s.get('cache_operation_duration_seconds_sum{operation="set",tier="redis"}')).toBeCloseTo(0.002, 12);
    expect(s.get('cache_operation_samples_missed_total')).toBe(0);
  });

  it('observes each operation once across scrapes and counts those that left the window unscraped', async () => {
    const { monitor } = makeMonitor({ maxMeasurements: 3 });
    const registry = new Registry();
    registerPrometheusMetrics(monitor, registry, { prefix: 'app_' });
    monitor.recordCacheOperationTime('get', 1, true);
    let s = parse(await registry.metrics());
    expect(s.get('app_operation_duration_seconds_count{operation="get",tier="none"}')).toBe(1);
    s = parse(await registry.metrics());
    expect(s.get('app_operation_duration_seconds_count{operation="get",tier="none"}')).toBe(1);
    for (let i = 0; i < 5; i++) monitor.recordCacheOperationTime('get', 1, true);
    s = parse(await registry.metrics());
    expect(s.get('app_operation_duration_seconds_count{operation="get",tier="none"}')).toBe(4);
    expect(s.get('app_operation_samples_missed_total')).toBe(2);
    expect(s.get('app_hits_total')).toBe(6);
  });

  it('re-reads gauges and counters at every scrape, including after resetStats', async () => {
    let size = 1000;
    const { monitor } = makeMonitor({ sizeOf: () => size });
    const registry = new Registry();
    registerPrometheusMetrics(monitor, registry);
    monitor.recordMemoryUsage({ memoryCache: { a: 1 } });
    monitor.recordCacheOperationTime('get', 1, false);
    let s = parse(await registry.metrics());
    expect([s.get('cache_memory_bytes'), s.get('cache_entries'), s.get('cache_misses_total')]).toEqual([1000, 1, 1]);
    size = 3000;
    monitor.recordMemoryUsage({ memoryCache: { a: 1, b: 2, c: 3 } });
    monitor.recordCacheOperationTime('get', 1, true);
    s = parse(await registry.metrics());
    expect([s.get('cache_memory_bytes'), s.get('cache_entries'), s.get('cache_hits_total'), s.get('cache_hit_rate_percent')]).toEqual([
      3000, 3, 1, 50,
    ]);
    monitor.resetStats();
    s = parse(await registry.metrics());
    expect([s.get('cache_memory_bytes'), s.get('cache_entries'), s.get('cache_hits_total'), s.get('cache_misses_total')]).toEqual([
      0, 0, 0, 0,
    ]);
  });

  it('adds no state to recording: a monitor without an exporter behaves the same', () => {
    const a = makeMonitor().monitor;
    const b = makeMonitor().monitor;
    registerPrometheusMetrics(b, new Registry());
    for (const m of [a, b]) m.recordCacheOperationTime('get', 1, true);
    expect(b.exportMetrics()).toEqual(a.exportMetrics());
  });

  it('caps operation label values so cardinality stays bounded', async () => {
    const { monitor } = makeMonitor();
    const registry = new Registry();
    registerPrometheusMetrics(monitor, registry);
    for (let i = 0; i < 100; i++) monitor.recordCacheOperationTime(`op${i}`, 1, true);
    const s = parse(await registry.metrics());
    const labels = [...s.keys()].filter((k) => k.startsWith('cache_operations_total{'));
    expect(labels).toHaveLength(65);
    expect(s.get('cache_operations_total{operation="other"}')).toBe(36);
  });

  it('unregisters its metrics and rejects a taken name, a bad prefix or bad buckets with ValidationError', async () => {
    const { monitor } = makeMonitor();
    const registry = new Registry();
    const registration = registerPrometheusMetrics(monitor, registry);
    expect(registration.names).toContain('cache_hits_total');
    const attempt = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(isValidationError(attempt(() => registerPrometheusMetrics(monitor, registry)))).toBe(true);
    expect(isValidationError(attempt(() => registerPrometheusMetrics(monitor, new Registry(), { prefix: 'bad-prefix' })))).toBe(true);
    expect(
      isValidationError(attempt(() => registerPrometheusMetrics(monitor, new Registry(), { latencyBucketsSeconds: [0.1, 0.05] }))),
    ).toBe(true);
    registration.unregister();
    expect((await registry.metrics()).trim()).toBe('');
    expect(() => registerPrometheusMetrics(monitor, registry)).not.toThrow();
  });
});
