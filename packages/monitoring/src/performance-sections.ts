import type { CompressionSeries, PerformanceSeries } from './metric-series.js';
import type { CacheOperationStats, CompressionStats, KeyGenerationStats, OperationTypeStats } from './report-types.js';
import { summarize } from './sample-statistics.js';

/** Key-generation section of the performance report (series must be non-empty). */
export function keyGenerationSection(series: PerformanceSeries, thresholdMs: number): KeyGenerationStats {
  const n = series.ring.length;
  const d = summarize(n, (i) => series.durationAt(i));
  const t = summarize(n, (i) => series.textLengthAt(i));
  return {
    totalOperations: n,
    avgDurationMs: d.mean,
    medianDurationMs: d.median,
    maxDurationMs: d.max,
    minDurationMs: d.min,
    avgTextLength: t.mean,
    maxTextLength: t.max,
    slowOperations: countAbove(series, thresholdMs),
  };
}

/** Cache-operation section of the performance report (series must be non-empty). */
export function cacheOperationSection(series: PerformanceSeries, thresholdMs: number): CacheOperationStats {
  const n = series.ring.length;
  const d = summarize(n, (i) => series.durationAt(i));
  const byOperation = new Map<string, { count: number; sum: number; max: number }>();
  for (let i = 0; i < n; i++) {
    const op = series.operationAt(i);
    const ms = series.durationAt(i);
    const entry = byOperation.get(op);
    if (entry === undefined) byOperation.set(op, { count: 1, sum: ms, max: ms });
    else {
      entry.count++;
      entry.sum += ms;
      if (ms > entry.max) entry.max = ms;
    }
  }
  const byOperationType: Record<string, OperationTypeStats> = Object.fromEntries(
    [...byOperation].map(([op, e]) => [op, { count: e.count, avgDurationMs: e.sum / e.count, maxDurationMs: e.max }]),
  );
  return {
    totalOperations: n,
    avgDurationMs: d.mean,
    medianDurationMs: d.median,
    maxDurationMs: d.max,
    minDurationMs: d.min,
    slowOperations: countAbove(series, thresholdMs),
    byOperationType,
  };
}

/** Compression section of the performance report (series must be non-empty). */
export function compressionSection(series: CompressionSeries): CompressionStats {
  const metrics = series.toArray();
  const n = metrics.length;
  const ratios = summarize(n, (i) => (metrics[i] as (typeof metrics)[number]).compressionRatio);
  const times = summarize(n, (i) => (metrics[i] as (typeof metrics)[number]).compressionTimeMs);
  let processed = 0;
  let compressed = 0;
  for (const m of metrics) {
    processed += m.originalSize;
    compressed += m.compressedSize;
  }
  const saved = processed - compressed;
  return {
    totalOperations: n,
    avgCompressionRatio: ratios.mean,
    medianCompressionRatio: ratios.median,
    bestCompressionRatio: ratios.min,
    worstCompressionRatio: ratios.max,
    avgCompressionTimeMs: times.mean,
    maxCompressionTimeMs: times.max,
    totalBytesProcessed: processed,
    totalBytesSaved: saved,
    overallSavingsPercent: processed > 0 ? (saved / processed) * 100 : 0,
  };
}

function countAbove(series: PerformanceSeries, thresholdMs: number): number {
  let slow = 0;
  for (let i = 0; i < series.ring.length; i++) if (series.durationAt(i) > thresholdMs) slow++;
  return slow;
}
