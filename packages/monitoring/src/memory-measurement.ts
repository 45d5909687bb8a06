import { createMemoryUsageMetric, type MemoryUsageMetric } from './metric-records.js';
import { isFiniteNumber } from './monitor-options.js';
import { errorType } from './record-guards.js';

/** Input of {@link CachePerformanceMonitor.recordMemoryUsage}. */
export interface MemoryUsageInput {
  /** The in-process cache to measure: a Map or a plain record (top-level entries are counted). */
  memoryCache: ReadonlyMap<unknown, unknown> | Readonly<Record<string, unknown>>;
  /** Redis-side figures; non-finite or unknown fields are ignored. */
  redisStats?: { memoryUsedBytes?: number; keys?: number };
  /** Capacity of `memoryCache` for the "almost full" alert; default the monitor's `memoryCacheMaxEntries`. */
  memoryCacheMaxEntries?: number;
  /** Stored as the metric's `additionalData`. */
  additionalData?: Record<string, unknown>;
}

/** What one measurement takes from the monitor. */
export interface MeasurementContext {
  readonly now: number;
  readonly sizeOf: (value: unknown) => number;
  readonly processMemoryBytes: () => number;
  readonly warningThresholdBytes: number;
  readonly defaultMaxEntries: number;
  readonly debug: (message: string, meta: Record<string, unknown>) => void;
}

/** The metric recorded when a measurement itself fails. */
export const EMPTY_MEMORY_METRIC: MemoryUsageMetric = createMemoryUsageMetric({
  totalCacheSizeBytes: 0,
  cacheEntryCount: 0,
  avgEntrySizeBytes: 0,
  memoryCacheSizeBytes: 0,
  memoryCacheEntryCount: 0,
  processMemoryMb: 0,
  timestamp: 0,
  cacheUtilizationPercent: 0,
});

/**
 * Measures `i.memoryCache` (size via `sizeOf`, top-level entry count) plus the optional Redis figures, and returns
 * the metric with the capacity its "almost full" alert uses. A failing or non-finite `sizeOf` counts as 0 bytes and a
 * failing `processMemoryBytes` as 0 MB (each logged at debug level).
 */
export function measureMemoryUsage(i: MemoryUsageInput, c: MeasurementContext): { metric: MemoryUsageMetric; capacity: number } {
  const cache: unknown = i?.memoryCache;
  const memoryBytes = safeNumber(() => c.sizeOf(cache), 'sizeOf', c);
  const memoryCount = entryCount(cache);
  const redis: unknown = i?.redisStats;
  const redisBytes = typeof redis === 'object' && redis !== null ? (redis as Record<string, unknown>).memoryUsedBytes : undefined;
  const redisKeys = typeof redis === 'object' && redis !== null ? (redis as Record<string, unknown>).keys : undefined;
  const total = memoryBytes + (isFiniteNumber(redisBytes) ? redisBytes : 0);
  const warning = c.warningThresholdBytes;
  const metric = createMemoryUsageMetric({
    totalCacheSizeBytes: total,
    cacheEntryCount: memoryCount + (isFiniteNumber(redisKeys) ? redisKeys : 0),
    avgEntrySizeBytes: memoryCount > 0 ? memoryBytes / memoryCount : 0,
    memoryCacheSizeBytes: memoryBytes,
    memoryCacheEntryCount: memoryCount,
    processMemoryMb: safeNumber(() => c.processMemoryBytes(), 'processMemoryBytes', c) / 1048576,
    timestamp: c.now,
    // A zero warning threshold is always reached; report 100 % rather than a non-JSON Infinity.
    cacheUtilizationPercent: warning > 0 ? (total / warning) * 100 : 100,
    warningThresholdReached: total >= warning,
    additionalData: i?.additionalData,
  });
  const perCall: unknown = i?.memoryCacheMaxEntries;
  const capacity = Number.isSafeInteger(perCall) && (perCall as number) >= 1 ? (perCall as number) : c.defaultMaxEntries;
  return { metric, capacity };
}

function safeNumber(read: () => number, source: string, c: MeasurementContext): number {
  try {
    const value = read();
    if (isFiniteNumber(value)) return value;
    c.debug(`${source} returned a non-finite value; using 0`, { source });
  } catch (error) {
    c.debug(`${source} failed; using 0`, { source, error_type: errorType(error) });
  }
  return 0;
}

function entryCount(cache: unknown): number {
  try {
    if (cache instanceof Map) return cache.size;
    if (typeof cache === 'object' && cache !== null) return Object.keys(cache).length;
  } catch {
    // an object whose keys cannot be listed counts as empty
  }
  return 0;
}
