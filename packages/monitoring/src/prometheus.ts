import { ValidationError } from '@cache/core';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CachePerformanceMonitor } from './cache-performance-monitor.js';
import type { LlmSavingsTotal } from './llm-savings.js';
import type { PerformanceStats } from './report-types.js';

/** The size of a cache at one instant, as the `entries` and `memory_bytes` gauges report it. */
export interface CacheSizeStats {
  /** Entries the cache holds now. */
  readonly entries: number;
  /** Bytes the cache holds now (its own estimate). */
  readonly memoryBytes: number;
}

/**
 * A cache the exporter reads at scrape time. Structural: any object with a `name` and a synchronous
 * `getStats()` that reports `entries` and `memoryBytes` fits (extra fields are ignored), so this
 * package never imports a cache package. `name` becomes the `cache` label of every series.
 */
export interface PrometheusCacheSource {
  /** The cache's name: the `cache` label value. */
  readonly name: string;
  /** Called once per scrape; must not block. */
  getStats(): CacheSizeStats;
}

/** Options of {@link registerPrometheusMetrics}. */
export interface PrometheusMetricsOptions {
  /**
   * The cache `monitor` watches. A source names the series (`cache` label = its `name`) and feeds the
   * `entries` / `memory_bytes` gauges from its `getStats()` at each scrape; a string only names the
   * series, and the gauges then come from the monitor's latest `recordMemoryUsage` measurement.
   * Default: the name `'default'`, gauges from the monitor.
   */
  cache?: PrometheusCacheSource | string;
  /** Prefix of every metric name. Default `cache_`. */
  prefix?: string;
  /**
   * Upper bounds (seconds, ascending) of the latency histogram buckets. Default 0.1 ms … 2.5 s. Every cache
   * registered on one registry with one prefix must use the same buckets.
   */
  latencyBucketsSeconds?: readonly number[];
}

/** Handle returned by {@link registerPrometheusMetrics}. */
export interface PrometheusRegistration {
  /** Names of the metrics this cache's series belong to. */
  readonly names: readonly string[];
  /** The `cache` label value of this registration's series. */
  readonly cache: string;
  /**
   * Removes this cache's series; the metrics themselves leave the registry with the last cache that
   * used them. Idempotent.
   */
  unregister(): void;
}

const DEFAULT_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const DEFAULT_CACHE = 'default';
const MAX_OPERATION_LABELS = 64;
const MAX_TIER_LABELS = 16;
const OTHER = 'other';
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SUFFIXES = [
  'hits_total',
  'misses_total',
  'sets_total',
  'deletes_total',
  'evictions_total',
  'operations_total',
  'invalidations_total',
  'keys_invalidated_total',
  'records_dropped_total',
  'hit_rate',
  'memory_bytes',
  'entries',
  'operation_avg_duration_seconds',
  'operation_duration_seconds',
  'operation_samples_missed_total',
  'llm_hits_total',
  'llm_saved_tokens_total',
  'llm_saved_cost_usd_total',
  'llm_saved_model_seconds_total',
] as const;

/** One registered cache: what its series are read from, and its scrape-to-scrape state. */
interface Binding {
  readonly cache: string;
  readonly monitor: CachePerformanceMonitor;
  readonly source: PrometheusCacheSource | undefined;
  readonly stats: () => PerformanceStats;
  readonly counts: () => Record<string, number>;
  readonly operationLabel: (value: string) => string;
  readonly tierLabel: (value: string) => string;
  /** Histogram label sets observed for this cache, removed again by `unregister()`. */
  readonly observed: Map<string, { cache: string; operation: string; tier: string }>;
  cursor: number;
  first: boolean;
  missed: number;
}

/** The metrics of one prefix on one registry, shared by every cache registered there. */
interface Family {
  readonly buckets: readonly number[];
  readonly names: readonly string[];
  readonly metrics: ReadonlyArray<Counter<string> | Gauge<string> | Histogram<string>>;
  readonly histogram: Histogram<'cache' | 'operation' | 'tier'>;
  readonly bindings: Map<string, Binding>;
}

const families = new WeakMap<Registry, Map<string, Family>>();

/**
 * Registers Prometheus metrics for the cache `monitor` watches on `registry`. Every series carries a
 * `cache` label (the cache's name), so several caches, each with its own monitor, share one registry:
 * register each of them with the same registry and prefix. Everything is computed at scrape time from
 * the monitor's public API and the cache's `getStats()`, so recording pays nothing:
 * - counters `<prefix>hits_total`, `misses_total`, `sets_total`, `deletes_total`, `evictions_total` (operations
 *   recorded as `set`, `delete`, `evict`), `operations_total{operation}`, `invalidations_total`,
 *   `keys_invalidated_total`, `records_dropped_total` (recorder calls ignored for bad input) — the monitor's
 *   lifetime counters (a `resetStats()` shows as a counter reset);
 * - gauges `<prefix>hit_rate` (a 0..1 ratio of `get` hits), `entries` and `memory_bytes` (the cache's
 *   `getStats()` when a source is given, else the monitor's latest memory measurement, 0 before one),
 *   `operation_avg_duration_seconds{operation}` (over the retained window);
 * - histogram `<prefix>operation_duration_seconds{operation,tier}` (tier = the operation's `additionalData.tier`,
 *   else `none`), fed at each scrape with the operations recorded since the previous scrape; operations that left
 *   the monitor's bounded window before being scraped are counted in `<prefix>operation_samples_missed_total`.
 * - LLM savings (core's `recordLlmSavings` hook, fed by `@cache/redis-ai`'s `LlmRequestCache`), labelled
 *   `{cache,model,operation}` from the recorded figures (a monitor shared by several caches reports each under its
 *   own name; a monitor registered for several caches is read once): `<prefix>llm_hits_total`,
 *   `llm_saved_tokens_total{kind}` (`input` = input tokens not read from the provider's prompt cache,
 *   `cached_input`, `output`: the kinds add up to every token), `llm_saved_cost_usd_total`,
 *   `llm_saved_model_seconds_total`.
 * Label values are capped per cache (64 operations, 16 tiers; the rest become `other`). Durations are exported in
 * seconds, the Prometheus base unit. A cache whose `getStats()` throws or reports a non-finite or negative size
 * has no `entries` / `memory_bytes` sample in that scrape; the other caches are unaffected.
 * Throws `ValidationError` for a bad prefix, buckets or cache name, a cache name already registered on this
 * registry and prefix, buckets that differ from those already registered there, or a metric name taken by
 * something else.
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
  const source = typeof options.cache === 'object' && options.cache !== null ? options.cache : undefined;
  const cache = source !== undefined ? source.name : (options.cache ?? DEFAULT_CACHE);
  if (typeof cache !== 'string' || cache === '') throw invalid('the cache name must be a non-empty string', 'cache');
  if (source !== undefined && typeof source.getStats !== 'function') {
    throw invalid('a cache source needs a getStats() method reporting entries and memoryBytes', 'cache');
  }

  const family = familyFor(registry, prefix, buckets);
  if (family.bindings.has(cache)) {
    throw invalid(`a cache named "${cache}" is already registered with prefix "${prefix}" on this registry`, 'cache');
  }
  family.bindings.set(cache, {
    cache,
    monitor,
    source,
    stats: scrapeScoped(() => monitor.getPerformanceStats()),
    counts: scrapeScoped(() => monitor.getOperationCounts()),
    operationLabel: labelLimiter(MAX_OPERATION_LABELS),
    tierLabel: labelLimiter(MAX_TIER_LABELS),
    observed: new Map(),
    cursor: 0,
    first: true,
    missed: 0,
  });

  let registered = true;
  return Object.freeze({
    names: family.names,
    cache,
    unregister(): void {
      if (!registered) return;
      registered = false;
      const binding = family.bindings.get(cache);
      family.bindings.delete(cache);
      for (const labels of binding?.observed.values() ?? []) family.histogram.remove(labels);
      if (family.bindings.size > 0) return;
      for (const name of family.names) registry.removeSingleMetric(name);
      families.get(registry)?.delete(prefix);
    },
  });
}

// The metrics of `prefix` on `registry`: the ones registered earlier (same buckets required), or new ones.
function familyFor(registry: Registry, prefix: string, buckets: number[]): Family {
  const byPrefix = families.get(registry) ?? new Map<string, Family>();
  families.set(registry, byPrefix);
  const existing = byPrefix.get(prefix);
  if (existing !== undefined && existing.metrics.every((metric, i) => registry.getSingleMetric(existing.names[i] as string) === metric)) {
    if (existing.buckets.length !== buckets.length || existing.buckets.some((b, i) => b !== buckets[i])) {
      throw invalid(`latencyBucketsSeconds must equal those already registered with prefix "${prefix}"`, 'latencyBucketsSeconds');
    }
    return existing;
  }
  // Absent, or removed from the registry behind our back (registry.clear()): start afresh.
  byPrefix.delete(prefix);
  const names = Object.freeze(SUFFIXES.map((suffix) => `${prefix}${suffix}`));
  const taken = names.find((name) => registry.getSingleMetric(name) !== undefined);
  if (taken !== undefined) throw invalid(`metric ${taken} is already registered`, 'registry');
  const family = createFamily(registry, prefix, buckets, names);
  byPrefix.set(prefix, family);
  return family;
}

function createFamily(registry: Registry, prefix: string, buckets: number[], names: readonly string[]): Family {
  const n = (suffix: (typeof SUFFIXES)[number]): string => `${prefix}${suffix}`;
  const bindings = new Map<string, Binding>();
  const registers = [registry];
  const metrics: Array<Counter<string> | Gauge<string> | Histogram<string>> = [];

  const total = (name: string, help: string, read: (b: Binding) => number): void => {
    metrics.push(
      new Counter({
        name,
        help,
        labelNames: ['cache'],
        registers,
        collect(this: Counter<'cache'>) {
          this.reset();
          for (const b of bindings.values()) this.inc({ cache: b.cache }, read(b));
        },
      }),
    );
  };
  const gauge = (name: string, help: string, read: (b: Binding) => number | undefined): void => {
    metrics.push(
      new Gauge({
        name,
        help,
        labelNames: ['cache'],
        registers,
        collect(this: Gauge<'cache'>) {
          this.reset();
          for (const b of bindings.values()) {
            const value = read(b);
            if (value !== undefined) this.set({ cache: b.cache }, value);
          }
        },
      }),
    );
  };

  total(n('hits_total'), 'Cache get hits.', (b) => b.monitor.cacheHits);
  total(n('misses_total'), 'Cache get misses.', (b) => b.monitor.cacheMisses);
  total(n('sets_total'), 'Cache operations recorded as set.', (b) => b.counts().set ?? 0);
  total(n('deletes_total'), 'Cache operations recorded as delete.', (b) => b.counts().delete ?? 0);
  total(n('evictions_total'), 'Cache operations recorded as evict.', (b) => b.counts().evict ?? 0);
  metrics.push(
    new Counter({
      name: n('operations_total'),
      help: 'Cache operations by operation name.',
      labelNames: ['cache', 'operation'],
      registers,
      collect(this: Counter<'cache' | 'operation'>) {
        this.reset();
        for (const b of bindings.values()) {
          for (const [operation, count] of Object.entries(b.counts())) this.inc({ cache: b.cache, operation: b.operationLabel(operation) }, count);
        }
      },
    }),
  );
  total(n('invalidations_total'), 'Invalidation events.', (b) => b.monitor.totalInvalidations);
  total(n('keys_invalidated_total'), 'Keys removed by invalidations.', (b) => b.monitor.totalKeysInvalidated);
  total(n('records_dropped_total'), 'Recorder calls ignored for bad input (non-finite or negative numbers, wrong types).', (b) => b.monitor.droppedRecords);
  gauge(n('hit_rate'), 'Get hit rate as a ratio 0..1 (hits / (hits + misses)); 0 before any get.', (b) => b.stats().hitRate);
  gauge(n('memory_bytes'), 'Bytes the cache holds: its own getStats(), else the latest memory measurement.', (b) => sizeOf(b)?.memoryBytes);
  gauge(n('entries'), 'Entries the cache holds: its own getStats(), else the latest memory measurement.', (b) => sizeOf(b)?.entries);
  metrics.push(
    new Gauge({
      name: n('operation_avg_duration_seconds'),
      help: 'Mean cache operation duration over the retained window, seconds.',
      labelNames: ['cache', 'operation'],
      registers,
      collect(this: Gauge<'cache' | 'operation'>) {
        this.reset();
        for (const b of bindings.values()) {
          const sums = new Map<string, { count: number; seconds: number }>();
          for (const [operation, s] of Object.entries(b.stats().cacheOperations?.byOperationType ?? {})) {
            const label = b.operationLabel(operation);
            const entry = sums.get(label) ?? { count: 0, seconds: 0 };
            entry.count += s.count;
            entry.seconds += (s.avgDurationMs * s.count) / 1000;
            sums.set(label, entry);
          }
          for (const [operation, e] of sums) this.set({ cache: b.cache, operation }, e.seconds / e.count);
        }
      },
    }),
  );
  const histogram = new Histogram({
    name: n('operation_duration_seconds'),
    help: 'Cache operation latency by operation and tier, seconds.',
    labelNames: ['cache', 'operation', 'tier'],
    buckets,
    registers,
    collect(this: Histogram<'cache' | 'operation' | 'tier'>) {
      for (const b of bindings.values()) {
        const batch = b.monitor.readCacheOperationsAfter(b.cursor);
        b.cursor = batch.nextSequence;
        if (!b.first) b.missed += batch.missed;
        b.first = false;
        for (const m of batch.items) {
          const tier = m.additionalData.tier;
          const labels = { cache: b.cache, operation: b.operationLabel(m.operationType), tier: b.tierLabel(typeof tier === 'string' ? tier : 'none') };
          const key = `${labels.operation}\u0000${labels.tier}`;
          if (!b.observed.has(key)) b.observed.set(key, labels);
          this.observe(labels, m.durationMs / 1000);
        }
      }
    },
  });
  metrics.push(histogram);
  total(n('operation_samples_missed_total'), 'Operations that left the monitor window before a scrape observed them.', (b) => b.missed);
  // LLM savings carry their own cache label (a monitor may serve several caches): read once per monitor.
  const savings = (name: string, help: string, extra: readonly string[], add: (counter: Counter<string>, s: LlmSavingsTotal, labels: Record<string, string>) => void): void => {
    metrics.push(
      new Counter({
        name,
        help,
        labelNames: ['cache', 'model', 'operation', ...extra],
        registers,
        collect(this: Counter<string>) {
          this.reset();
          for (const monitor of new Set([...bindings.values()].map((b) => b.monitor))) {
            for (const s of monitor.getLlmSavings()) add(this, s, { cache: s.cache, model: s.model, operation: s.operation });
          }
        },
      }),
    );
  };
  savings(n('llm_hits_total'), 'LLM cache hits that served a stored model response.', [], (c, s, l) => c.inc(l, s.hits));
  savings(n('llm_saved_tokens_total'), 'Model tokens LLM cache hits avoided, by kind: input (not read from the provider prompt cache), cached_input, output.', ['kind'], (c, s, l) => {
    c.inc({ ...l, kind: 'input' }, s.inputTokens - s.cachedInputTokens);
    c.inc({ ...l, kind: 'cached_input' }, s.cachedInputTokens);
    c.inc({ ...l, kind: 'output' }, s.outputTokens);
  });
  savings(n('llm_saved_cost_usd_total'), 'What the model calls LLM cache hits avoided would have cost, USD (models without a price count 0).', [], (c, s, l) => c.inc(l, s.costUsd));
  savings(n('llm_saved_model_seconds_total'), 'Model time LLM cache hits avoided, seconds.', [], (c, s, l) => c.inc(l, s.modelTimeMs / 1000));

  return { buckets: Object.freeze([...buckets]), names, metrics, histogram, bindings };
}

// The cache's own size when a source is given (undefined when it fails or reports nonsense), else the monitor's
// latest memory measurement (0 before one).
function sizeOf(b: Binding): CacheSizeStats | undefined {
  if (b.source === undefined) {
    const memory = b.stats().memoryUsage;
    if (memory === undefined || !('current' in memory)) return { entries: 0, memoryBytes: 0 };
    return { entries: memory.current.cacheEntryCount, memoryBytes: memory.current.totalCacheSizeMb * 1048576 };
  }
  try {
    const { entries, memoryBytes } = b.source.getStats();
    return isSize(entries) && isSize(memoryBytes) ? { entries, memoryBytes } : undefined;
  } catch {
    return undefined;
  }
}

function isSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
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
