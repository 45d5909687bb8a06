import type { MemoryUsageMetric } from './metric-records.js';
import type { RecordSeries } from './metric-series.js';
import type { MemoryAlert, MemoryUsageStats } from './report-types.js';
import { toMb } from './sample-statistics.js';
import { bySeverity } from './severity-order.js';

const RECENT = 10;
const HOUR_MS = 3_600_000;

/** Memory thresholds in force when a report is built. */
export interface MemoryThresholds {
  warningBytes: number;
  criticalBytes: number;
}

/** Memory statistics: the latest measurement, thresholds and trends over the last 10 measurements. */
export function memoryUsageStats(series: RecordSeries<MemoryUsageMetric>, t: MemoryThresholds): MemoryUsageStats {
  const warningThresholdMb = toMb(t.warningBytes);
  const criticalThresholdMb = toMb(t.criticalBytes);
  const recent = series.last(RECENT);
  const latest = recent[recent.length - 1];
  if (latest === undefined) return { noMeasurements: true, warningThresholdMb, criticalThresholdMb };
  const totals = recent.map((m) => toMb(m.totalCacheSizeBytes));
  const counts = recent.map((m) => m.cacheEntryCount);
  const trends: Extract<MemoryUsageStats, { trends: unknown }>['trends'] = {
    totalMeasurements: series.ring.length,
    avgTotalCacheSizeMb: mean(totals),
    maxTotalCacheSizeMb: Math.max(...totals),
    avgMemoryCacheSizeMb: mean(recent.map((m) => toMb(m.memoryCacheSizeBytes))),
    avgEntryCount: mean(counts),
    maxEntryCount: Math.max(...counts),
  };
  const first = recent[0] as MemoryUsageMetric;
  const spanMs = latest.timestamp - first.timestamp;
  if (recent.length >= 2 && spanMs > 0) {
    trends.growthRateMbPerHour = (toMb(latest.totalCacheSizeBytes - first.totalCacheSizeBytes) / spanMs) * HOUR_MS;
  }
  return {
    current: {
      totalCacheSizeMb: toMb(latest.totalCacheSizeBytes),
      memoryCacheSizeMb: toMb(latest.memoryCacheSizeBytes),
      cacheEntryCount: latest.cacheEntryCount,
      memoryCacheEntryCount: latest.memoryCacheEntryCount,
      avgEntrySizeBytes: latest.avgEntrySizeBytes,
      processMemoryMb: latest.processMemoryMb,
      cacheUtilizationPercent: latest.cacheUtilizationPercent,
      warningThresholdReached: latest.warningThresholdReached,
    },
    thresholds: {
      warningThresholdMb,
      criticalThresholdMb,
      warningThresholdReached: latest.warningThresholdReached,
      criticalThresholdReached: latest.totalCacheSizeBytes >= t.criticalBytes,
    },
    trends,
  };
}

/**
 * Alerts for the latest memory measurement. Critical (total ≥ critical) and warning are exclusive; the info alert
 * fires when the memory cache is more than 90 % of `capacity` entries. Sorted critical → warning → info.
 */
export function memoryAlerts(latest: MemoryUsageMetric | undefined, capacity: number, t: MemoryThresholds): MemoryAlert[] {
  if (latest === undefined) return [];
  const alerts: MemoryAlert[] = [];
  const currentMb = toMb(latest.totalCacheSizeBytes).toFixed(1);
  if (latest.totalCacheSizeBytes >= t.criticalBytes) {
    alerts.push({
      severity: 'critical',
      message: `Cache memory usage is critical: ${currentMb} MB (critical threshold ${toMb(t.criticalBytes).toFixed(1)} MB)`,
      recommendations: [
        'Shorten TTLs so entries expire sooner',
        'Evict more aggressively (lower the memory cache size or tighten the eviction policy)',
        'Trim or compress large cached values',
        'Add memory or scale the cache out',
      ],
    });
  } else if (latest.warningThresholdReached) {
    alerts.push({
      severity: 'warning',
      message: `Cache memory usage is high: ${currentMb} MB (warning threshold ${toMb(t.warningBytes).toFixed(1)} MB)`,
      recommendations: [
        'Watch the memory growth trend',
        'Review key patterns for entries that should not be cached',
        'Lower the memory cache entry limit',
      ],
    });
  }
  const usedPercent = (latest.memoryCacheEntryCount / capacity) * 100;
  if (usedPercent > 90) {
    alerts.push({
      severity: 'info',
      message: `Memory cache is ${usedPercent.toFixed(1)}% full (${latest.memoryCacheEntryCount}/${capacity} entries)`,
      recommendations: ['Raise the memory cache size if the hit rate matters', 'Expect evictions of least-recently-used entries'],
    });
  }
  return bySeverity(alerts);
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
