import type { CompressionSeries, PerformanceSeries } from './metric-series.js';
import type { SlowCompressionItem, SlowOperations, SlowPerformanceItem } from './report-types.js';
import { fastBaseline } from './sample-statistics.js';

/**
 * Slow operations, per series: baseline = mean of the fastest ⌊0.8·n⌋ values (at least 1); slow = value ≥ baseline ×
 * multiplier, or with a baseline of 0, value > 0 (then `timesSlower` is `null`). Items keep series order.
 */
export function slowOperations(
  keyGeneration: PerformanceSeries,
  cacheOperations: PerformanceSeries,
  compression: CompressionSeries,
  multiplier: number,
): SlowOperations {
  return {
    keyGeneration: slowTimings(keyGeneration, multiplier),
    cacheOperations: slowTimings(cacheOperations, multiplier),
    compression: slowCompressions(compression, multiplier),
  };
}

function slowIndexes(values: readonly number[], multiplier: number): { indexes: number[]; baseline: number } {
  const baseline = fastBaseline(values);
  const limit = baseline * multiplier;
  const indexes: number[] = [];
  values.forEach((v, i) => {
    if (baseline === 0 ? v > 0 : v >= limit) indexes.push(i);
  });
  return { indexes, baseline };
}

function ratio(value: number, baseline: number): number | null {
  return baseline === 0 ? null : value / baseline;
}

function slowTimings(series: PerformanceSeries, multiplier: number): SlowPerformanceItem[] {
  const values = Array.from({ length: series.ring.length }, (_, i) => series.durationAt(i));
  const { indexes, baseline } = slowIndexes(values, multiplier);
  return indexes.map((i) => {
    const m = series.metricAt(i);
    return {
      durationMs: m.durationMs,
      textLength: m.textLength,
      operationType: m.operationType,
      timestamp: new Date(m.timestamp).toISOString(),
      timesSlower: ratio(m.durationMs, baseline),
    };
  });
}

function slowCompressions(series: CompressionSeries, multiplier: number): SlowCompressionItem[] {
  const metrics = series.toArray();
  const { indexes, baseline } = slowIndexes(
    metrics.map((m) => m.compressionTimeMs),
    multiplier,
  );
  return indexes.map((i) => {
    const m = metrics[i] as (typeof metrics)[number];
    return {
      compressionTimeMs: m.compressionTimeMs,
      originalSize: m.originalSize,
      compressionRatio: m.compressionRatio,
      operationType: m.operationType,
      timestamp: new Date(m.timestamp).toISOString(),
      timesSlower: ratio(m.compressionTimeMs, baseline),
    };
  });
}
