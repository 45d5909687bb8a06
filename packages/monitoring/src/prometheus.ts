import { ValidationError } from '@cache/core';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CachePerformanceMonitor } from './cache-performance-monitor.js';
import type { PerformanceStats } from './report-types.js';

/** Options of {@link registerPrometheusMetrics}. */
export interface PrometheusMetricsOptions {
  /** Prefix of every metric name. Default `cache_`. */
  prefix?: string;
  /** Upper bounds (seconds, ascending) of the latency histogram buckets. Default 0.1 ms … 2.5 s. */
  latencyBucketsSeconds?: readonly number[];
}

/** Handle returned by {@link registerPrometheusMetrics}. */
export interface PrometheusRegistration {
  /** Names of the registered metrics. */
  readonly names: readonly string[];
  /** Removes every registered metric from the registry. */
  unregister(): void;
}

const DEFAULT_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const MAX_OPERATION_LABELS = 64;
const MAX_TIER_LABELS = 16;
const OTHER = 'other';
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/**
 * Registers Prometheus metrics for `monitor` on `registry`. Everything is computed at scrape time from the monitor's
 * public API, so recording pays nothing:
 * - counters `<prefix>hits_total`, `misses_total`, `sets_total`, `deletes_total`, `evictions_total` (operations
 *   recorded as `set`, `delete`, `evict`), `operations_total{operation}`, `invalidations_total`,
 *   `keys_invalidated_total`, `records_dropped_total` (recorder calls ignored for bad input) — the monitor's
 *   lifetime counters (a `resetStats()` shows as a counter reset);
 * - gauges `<prefix>hit_rate_percent`, `memory_bytes` and `entries` (latest memory measurement, 0 before one),
 *   `operation_avg_duration_seconds{operation}` (over the retained window);
 * - histogram `<prefix>operation_duration_seconds{operation,tier}` (tier = the operation's `additionalData.tier`,
 *   else `none`), fed at each scrape with the operations recorded since the previous scrape; operations that left
 *   the monitor's bounded window before being scraped are counted in `<prefix>operation_samples_missed_total`.
 * Label values are capped (64 operations, 16 tiers; the rest become `other`). Durations are exported in seconds,
 * the Prometheus base unit. Throws `ValidationError` for a bad prefix or buckets, or when a name is already taken.
 */
export function registerPrometheusMetrics(
  monitor: CachePerformanceMonitor,
  registry: Registry,
  options: PrometheusMetricsOptions = {},
): PrometheusRegistration {
  const prefix = options.prefix ?? 'cache_';
  if (typeof prefix !== 'string' || (prefix !== '' && !NAME.test(prefix))) {
    throw invalid('prefix must match [a-zA-Z_:][a-zA-Z0-9_:]* (or be empty)', 'prefix');
  }
  const buckets = [...(options.latencyBucketsSeconds ?? DEFAULT_BUCKETS)];
  if (buckets.length === 0 || buckets.some((b, i) => !Number.isFinite(b) || b <= 0 || (i > 0 && b <= (buckets[i - 1] as number)))) {
    throw invalid('latencyBucketsSeconds must be finite, positive and strictly ascending', 'latencyBucketsSeconds');
  }
  const n = (suffix: string): string => `${prefix}${suffix}`;
  const names = [
    'hits_total',
    'misses_total',
    'sets_total',
    'deletes_total',
    'evictions_total',
    'operations_total',
    'invalidations_total',
    'keys_invalidated_total',
    'records_dropped_total',
    'hit_rate_percent',
    'memory_bytes',
    'entries',
    'operation_avg_duration_seconds',
    'operation_duration_seconds',
    'operation_samples_missed_total',
  ].map(n);
  const taken = names.find((name) => registry.getSingleMetric(name) !== undefined);
  if (taken !== undefined) throw invalid(`metric ${taken} is already registered`, 'registry');

  const operationLabel = labelLimiter(MAX_OPERATION_LABELS);
  const tierLabel = labelLimiter(MAX_TIER_LABELS);
  const stats = scrapeScoped(() => monitor.getPerformanceStats());
  const counts = scrapeScoped(() => monitor.getOperationCounts());
  const registers = [registry];

  const total = (name: string, help: string, read: () => number): void => {
    new Counter({
      name,
      help,
      registers,
      collect(this: Counter) {
        this.reset();
        this.inc(read());
      },
    });
  };
  const gauge = (name: string, help: string, read: (s: PerformanceStats) => number): void => {
    new Gauge({
      name,
      help,
      registers,
      collect(this: Gauge) {
        this.set(read(stats()));
      },
    });
  };

  total(n('hits_total'), 'Cache get hits.', () => monitor.cacheHits);
  total(n('misses_total'), 'Cache get misses.', () => monitor.cacheMisses);
  total(n('sets_total'), 'Cache operations recorded as set.', () => counts().set ?? 0);
  total(n('deletes_total'), 'Cache operations recorded as delete.', () => counts().delete ?? 0);
  total(n('evictions_total'), 'Cache operations recorded as evict.', () => counts().evict ?? 0);
  total(n('invalidations_total'), 'Invalidation events.', () => monitor.totalInvalidations);
  total(n('keys_invalidated_total'), 'Keys removed by invalidations.', () => monitor.totalKeysInvalidated);
  total(n('records_dropped_total'), 'Recorder calls ignored for bad input (non-finite or negative numbers, wrong types).', () => monitor.droppedRecords);
  new Counter({
    name: n('operations_total'),
    help: 'Cache operations by operation name.',
    labelNames: ['operation'],
    registers,
    collect(this: Counter<'operation'>) {
      this.reset();
      for (const [operation, count] of Object.entries(counts())) this.inc({ operation: operationLabel(operation) }, count);
    },
  });
  gauge(n('hit_rate_percent'), 'Get hit rate in percent (0..100).', (s) => s.cacheHitRate);
  gauge(n('memory_bytes'), 'Total cache size of the latest memory measurement, bytes.', (s) =>
    s.memoryUsage !== undefined && 'current' in s.memoryUsage ? s.memoryUsage.current.totalCacheSizeMb * 1048576 : 0,
  );
  gauge(n('entries'), 'Cache entries of the latest memory measurement.', (s) =>
    s.memoryUsage !== undefined && 'current' in s.memoryUsage ? s.memoryUsage.current.cacheEntryCount : 0,
  );
  new Gauge({
    name: n('operation_avg_duration_seconds'),
    help: 'Mean cache operation duration over the retained window, seconds.',
    labelNames: ['operation'],
    registers,
    collect(this: Gauge<'operation'>) {
      this.reset();
      const sums = new Map<string, { count: number; seconds: number }>();
      for (const [operation, s] of Object.entries(stats().cacheOperations?.byOperationType ?? {})) {
        const label = operationLabel(operation);
        const entry = sums.get(label) ?? { count: 0, seconds: 0 };
        entry.count += s.count;
        entry.seconds += (s.avgDurationMs * s.count) / 1000;
        sums.set(label, entry);
      }
      for (const [operation, e] of sums) this.set({ operation }, e.seconds / e.count);
    },
  });
  let cursor = 0;
  let first = true;
  let missed = 0;
  new Histogram({
    name: n('operation_duration_seconds'),
    help: 'Cache operation latency by operation and tier, seconds.',
    labelNames: ['operation', 'tier'],
    buckets,
    registers,
    collect(this: Histogram<'operation' | 'tier'>) {
      const batch = monitor.readCacheOperationsAfter(cursor);
      cursor = batch.nextSequence;
      if (!first) missed += batch.missed;
      first = false;
      for (const m of batch.items) {
        const tier = m.additionalData.tier;
        this.observe(
          { operation: operationLabel(m.operationType), tier: tierLabel(typeof tier === 'string' ? tier : 'none') },
          m.durationMs / 1000,
        );
      }
    },
  });
  total(n('operation_samples_missed_total'), 'Operations that left the monitor window before a scrape observed them.', () => missed);

  return Object.freeze({
    names: Object.freeze(names),
    unregister(): void {
      for (const name of names) registry.removeSingleMetric(name);
    },
  });
}

// The first `max` distinct values are kept as labels; later ones become `other`.
function labelLimiter(max: number): (value: string) => string {
  const known = new Set<string>();
  return (value) => {
    if (known.has(value)) return value;
    if (known.size < max) {
      known.add(value);
      return value;
    }
    return OTHER;
  };
}

// One computation per scrape: collect callbacks of a scrape run in the same synchronous pass.
function scrapeScoped<T>(compute: () => T): () => T {
  let cached: { value: T } | undefined;
  return () => {
    if (cached === undefined) {
      cached = { value: compute() };
      queueMicrotask(() => {
        cached = undefined;
      });
    }
    return cached.value;
  };
}

function invalid(message: string, argument: string): ValidationError {
  return new ValidationError(`registerPrometheusMetrics: ${message}`, { code: 'INVALID_ARGUMENT', context: { argument } });
}
