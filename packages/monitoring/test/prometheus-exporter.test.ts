import { isValidationError } from '@cache/core';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerPrometheusMetrics } from '../src/prometheus.js';
import { makeMonitor, parse, types } from './helpers.js';

const L1 = Object.freeze({ tier: 'l1', reason: 'hit' });
const REDIS = Object.freeze({ tier: 'redis', reason: 'hit' });

describe('Prometheus exporter', () => {
  it('reports counters, gauges and latency histograms read from the monitor at scrape time, labelled cache="default"', async () => {
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
      cache_hit_rate: 'gauge',
      cache_memory_bytes: 'gauge',
      cache_entries: 'gauge',
      cache_operation_avg_duration_seconds: 'gauge',
      cache_operation_duration_seconds: 'histogram',
      cache_operation_samples_missed_total: 'counter',
      cache_llm_hits_total: 'counter',
      cache_llm_saved_tokens_total: 'counter',
      cache_llm_saved_cost_usd_total: 'counter',
      cache_llm_saved_model_seconds_total: 'counter',
    });
    const s = parse(text);
    expect(s.get('cache_records_dropped_total{cache="default"}')).toBe(2);
    expect(s.get('cache_hits_total{cache="default"}')).toBe(2);
    expect(s.get('cache_misses_total{cache="default"}')).toBe(1);
    expect(s.get('cache_sets_total{cache="default"}')).toBe(1);
    expect(s.get('cache_deletes_total{cache="default"}')).toBe(1);
    expect(s.get('cache_evictions_total{cache="default"}')).toBe(1);
    expect(s.get('cache_invalidations_total{cache="default"}')).toBe(1);
    expect(s.get('cache_keys_invalidated_total{cache="default"}')).toBe(5);
    expect(s.get('cache_operations_total{cache="default",operation="get"}')).toBe(3);
    expect(s.get('cache_hit_rate{cache="default"}')).toBeCloseTo(2 / 3, 12);
    expect(s.get('cache_memory_bytes{cache="default"}')).toBe(5000);
    expect(s.get('cache_entries{cache="default"}')).toBe(12);
    expect(s.get('cache_operation_avg_duration_seconds{cache="default",operation="get"}')).toBeCloseTo(7.2 / 3 / 1000, 12);
    expect(s.get('cache_operation_duration_seconds_count{cache="default",operation="get",tier="l1"}')).toBe(1);
    expect(s.get('cache_operation_duration_seconds_count{cache="default",operation="get",tier="redis"}')).toBe(1);
    expect(s.get('cache_operation_duration_seconds_count{cache="default",operation="get",tier="none"}')).toBe(1);
    expect(s.get('cache_operation_duration_seconds_bucket{le="0.00025",cache="default",operation="get",tier="l1"}')).toBe(1);
    expect(s.get('cache_operation_duration_seconds_bucket{le="0.0025",cache="default",operation="get",tier="redis"}')).toBe(0);
    expect(s.get('cache_operation_duration_seconds_bucket{le="0.005",cache="default",operation="get",tier="redis"}')).toBe(1);
    expect(s.get('cache_operation_duration_seconds_sum{cache="default",operation="set",tier="redis"}')).toBeCloseTo(0.002, 12);
    expect(s.get('cache_operation_samples_missed_total{cache="default"}')).toBe(0);
  });

  it('observes each operation once across scrapes and counts those that left the window unscraped', async () => {
    const { monitor } = makeMonitor({ maxMeasurements: 3 });
    const registry = new Registry();
    registerPrometheusMetrics(monitor, registry, { prefix: 'app_' });
    monitor.recordCacheOperationTime('get', 1, true);
    let s = parse(await registry.metrics());
    expect(s.get('app_operation_duration_seconds_count{cache="default",operation="get",tier="none"}')).toBe(1);
    s = parse(await registry.metrics());
    expect(s.get('app_operation_duration_seconds_count{cache="default",operation="get",tier="none"}')).toBe(1);
    for (let i = 0; i < 5; i++) monitor.recordCacheOperationTime('get', 1, true);
    s = parse(await registry.metrics());
    expect(s.get('app_operation_duration_seconds_count{cache="default",operation="get",tier="none"}')).toBe(4);
    expect(s.get('app_operation_samples_missed_total{cache="default"}')).toBe(2);
    expect(s.get('app_hits_total{cache="default"}')).toBe(6);
  });

  it('re-reads gauges and counters at every scrape, including after resetStats', async () => {
    let size = 1000;
    const { monitor } = makeMonitor({ sizeOf: () => size });
    const registry = new Registry();
    registerPrometheusMetrics(monitor, registry);
    monitor.recordMemoryUsage({ memoryCache: { a: 1 } });
    monitor.recordCacheOperationTime('get', 1, false);
    let s = parse(await registry.metrics());
    expect([s.get('cache_memory_bytes{cache="default"}'), s.get('cache_entries{cache="default"}'), s.get('cache_misses_total{cache="default"}')]).toEqual([1000, 1, 1]);
    size = 3000;
    monitor.recordMemoryUsage({ memoryCache: { a: 1, b: 2, c: 3 } });
    monitor.recordCacheOperationTime('get', 1, true);
    s = parse(await registry.metrics());
    expect([s.get('cache_memory_bytes{cache="default"}'), s.get('cache_entries{cache="default"}'), s.get('cache_hits_total{cache="default"}'), s.get('cache_hit_rate{cache="default"}')]).toEqual([
      3000, 3, 1, 0.5,
    ]);
    monitor.resetStats();
    s = parse(await registry.metrics());
    expect([s.get('cache_memory_bytes{cache="default"}'), s.get('cache_entries{cache="default"}'), s.get('cache_hits_total{cache="default"}'), s.get('cache_misses_total{cache="default"}')]).toEqual([
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
    expect(s.get('cache_operations_total{cache="default",operation="other"}')).toBe(36);
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

/**
 * A minimal cache for the exporter (monitoring may not import a cache package): a real Map, with a
 * synchronous getStats() reporting its entries and an estimate of its bytes, as the caches do.
 */
class MapCache {
  readonly entries = new Map<string, string>();
  constructor(readonly name: string) {}
  getStats(): { entries: number; memoryBytes: number; hits: number } {
    let memoryBytes = 0;
    for (const [k, v] of this.entries) memoryBytes += k.length + v.length;
    return { entries: this.entries.size, memoryBytes, hits: 0 };
  }
}

describe('Prometheus exporter: several caches on one registry', () => {
  it('labels every series with its cache, so two caches with their own monitors share one registry', async () => {
    const sessions = makeMonitor().monitor;
    const answers = makeMonitor().monitor;
    const registry = new Registry();
    const a = registerPrometheusMetrics(sessions, registry, { cache: new MapCache('sessions') });
    const b = registerPrometheusMetrics(answers, registry, { cache: new MapCache('answers') });
    expect([a.cache, b.cache]).toEqual(['sessions', 'answers']);
    expect(b.names).toEqual(a.names);
    sessions.recordCacheOperationTime('get', 1, true);
    answers.recordCacheOperationTime('get', 1, false);
    answers.recordCacheOperationTime('get', 3, true, undefined, L1);
    const text = await registry.metrics();
    const s = parse(text);
    expect(s.get('cache_hits_total{cache="sessions"}')).toBe(1);
    expect(s.get('cache_misses_total{cache="sessions"}')).toBe(0);
    expect(s.get('cache_hits_total{cache="answers"}')).toBe(1);
    expect(s.get('cache_misses_total{cache="answers"}')).toBe(1);
    expect(s.get('cache_hit_rate{cache="sessions"}')).toBe(1);
    expect(s.get('cache_hit_rate{cache="answers"}')).toBe(0.5);
    expect(s.get('cache_operation_duration_seconds_count{cache="answers",operation="get",tier="l1"}')).toBe(1);
    expect(s.get('cache_operation_duration_seconds_count{cache="sessions",operation="get",tier="none"}')).toBe(1);
    // Every sample line carries a cache label.
    const samples = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(samples.length).toBeGreaterThan(20);
    expect(samples.filter((line) => !/\{(.*,)?cache="(sessions|answers)"/.test(line))).toEqual([]);
  });

  it("reads entries and memory_bytes from each cache's getStats() at every scrape", async () => {
    const registry = new Registry();
    const sessions = new MapCache('sessions');
    const answers = new MapCache('answers');
    registerPrometheusMetrics(makeMonitor().monitor, registry, { cache: sessions });
    registerPrometheusMetrics(makeMonitor().monitor, registry, { cache: answers });
    let s = parse(await registry.metrics());
    expect([s.get('cache_entries{cache="sessions"}'), s.get('cache_memory_bytes{cache="sessions"}')]).toEqual([0, 0]);
    sessions.entries.set('user:1', 'ada');
    sessions.entries.set('user:2', 'grace');
    answers.entries.set('q', 'x'.repeat(1000));
    s = parse(await registry.metrics());
    expect([s.get('cache_entries{cache="sessions"}'), s.get('cache_memory_bytes{cache="sessions"}')]).toEqual([2, 20]);
    expect([s.get('cache_entries{cache="answers"}'), s.get('cache_memory_bytes{cache="answers"}')]).toEqual([1, 1001]);
    sessions.entries.clear();
    s = parse(await registry.metrics());
    expect([s.get('cache_entries{cache="sessions"}'), s.get('cache_memory_bytes{cache="sessions"}')]).toEqual([0, 0]);
  });

  it('a cache whose getStats() throws or reports nonsense has no size sample; the other caches still report', async () => {
    const registry = new Registry();
    const healthy = new MapCache('healthy');
    healthy.entries.set('k', 'v');
    registerPrometheusMetrics(makeMonitor().monitor, registry, { cache: healthy });
    registerPrometheusMetrics(makeMonitor().monitor, registry, {
      cache: { name: 'broken', getStats: () => { throw new Error('closed'); } },
    });
    registerPrometheusMetrics(makeMonitor().monitor, registry, { cache: { name: 'nan', getStats: () => ({ entries: Number.NaN, memoryBytes: -1 }) } });
    const s = parse(await registry.metrics());
    expect(s.get('cache_entries{cache="healthy"}')).toBe(1);
    expect(s.has('cache_entries{cache="broken"}')).toBe(false);
    expect(s.has('cache_memory_bytes{cache="nan"}')).toBe(false);
    expect(s.get('cache_hits_total{cache="broken"}')).toBe(0);
  });

  it('a string names the series only; the size gauges then come from the monitor', async () => {
    const { monitor } = makeMonitor({ sizeOf: () => 2048 });
    const registry = new Registry();
    registerPrometheusMetrics(monitor, registry, { cache: 'l1' });
    monitor.recordMemoryUsage({ memoryCache: { a: 1, b: 2 } });
    const s = parse(await registry.metrics());
    expect([s.get('cache_entries{cache="l1"}'), s.get('cache_memory_bytes{cache="l1"}')]).toEqual([2, 2048]);
  });

  it('unregistering one cache removes only its series; the last one removes the metrics', async () => {
    const registry = new Registry();
    const one = makeMonitor().monitor;
    const two = makeMonitor().monitor;
    const first = registerPrometheusMetrics(one, registry, { cache: 'one' });
    const second = registerPrometheusMetrics(two, registry, { cache: 'two' });
    one.recordCacheOperationTime('get', 1, true);
    two.recordCacheOperationTime('get', 1, true);
    await registry.metrics();
    first.unregister();
    first.unregister();
    let text = await registry.metrics();
    expect(text).not.toContain('cache="one"');
    expect(parse(text).get('cache_operation_duration_seconds_count{cache="two",operation="get",tier="none"}')).toBe(1);
    // The name is free again.
    const again = registerPrometheusMetrics(one, registry, { cache: 'one' });
    again.unregister();
    second.unregister();
    text = await registry.metrics();
    expect(text.trim()).toBe('');
    expect(registry.getSingleMetric('cache_hits_total')).toBeUndefined();
  });

  it('refuses a cache name registered twice, an empty name and different buckets with ValidationError', () => {
    const registry = new Registry();
    registerPrometheusMetrics(makeMonitor().monitor, registry, { cache: 'sessions' });
    const attempt = (options: Parameters<typeof registerPrometheusMetrics>[2]) => {
      try {
        registerPrometheusMetrics(makeMonitor().monitor, registry, options);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(attempt({ cache: new MapCache('sessions') })).toMatchObject({ name: 'ValidationError', message: expect.stringMatching(/"sessions" is already registered/) });
    expect(isValidationError(attempt({ cache: '' }))).toBe(true);
    expect(attempt({ cache: 'other', latencyBucketsSeconds: [0.1, 1] })).toMatchObject({ name: 'ValidationError', message: expect.stringMatching(/latencyBucketsSeconds/) });
    // Another prefix is a separate set of metrics.
    expect(attempt({ cache: 'sessions', prefix: 'other_' })).toBeUndefined();
  });
});
