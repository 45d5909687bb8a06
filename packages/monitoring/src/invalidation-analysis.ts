import type { InvalidationMetric } from './metric-records.js';
import type { RecordSeries } from './metric-series.js';
import type {
  InvalidationAlertLevel,
  InvalidationFrequencyStats,
  InvalidationFrequencyStatsReport,
  InvalidationRecommendation,
} from './report-types.js';
import { bySeverity } from './severity-order.js';

const RECENT = 50;
const TOP_PATTERNS = 10;
const HOUR_MS = 3_600_000;

/** Inputs of the invalidation analysis besides the series. */
export interface InvalidationContext {
  now: number;
  retentionHours: number;
  warningPerHour: number;
  criticalPerHour: number;
  totalInvalidations: number;
  totalKeysInvalidated: number;
}

/** Invalidation statistics: rates, alert level, top patterns and types over the last 50 events, efficiency. */
export function invalidationFrequencyStats(
  series: RecordSeries<InvalidationMetric>,
  c: InvalidationContext,
): InvalidationFrequencyStats {
  const retained = series.ring.length;
  if (retained === 0) {
    return {
      noInvalidations: true,
      totalInvalidations: 0,
      totalKeysInvalidated: 0,
      warningThresholdPerHour: c.warningPerHour,
      criticalThresholdPerHour: c.criticalPerHour,
    };
  }
  const recent = series.last(RECENT);
  const lastHour = series.ring.countAfter(c.now - HOUR_MS);
  const patternCounts = new Map<string, number>();
  const typeCounts = new Map<string, number>();
  let durationSum = 0;
  let maxDurationMs = -Infinity;
  for (const e of recent) {
    patternCounts.set(e.pattern, (patternCounts.get(e.pattern) ?? 0) + 1);
    typeCounts.set(e.invalidationType, (typeCounts.get(e.invalidationType) ?? 0) + 1);
    durationSum += e.durationMs;
    if (e.durationMs > maxDurationMs) maxDurationMs = e.durationMs;
  }
  // Array.prototype.sort is stable, so ties keep first-seen (Map insertion) order.
  const mostCommonPatterns = [...patternCounts]
    .map(([pattern, count]) => ({ pattern, count }))
    .sort((a, b) => b.count - a.count)
    .slice(0, TOP_PATTERNS);
  return {
    totalInvalidations: c.totalInvalidations,
    totalKeysInvalidated: c.totalKeysInvalidated,
    rates: {
      lastHour,
      last24Hours: series.ring.countAfter(c.now - 24 * HOUR_MS),
      averagePerHour: retained / c.retentionHours,
    },
    thresholds: {
      warningPerHour: c.warningPerHour,
      criticalPerHour: c.criticalPerHour,
      currentAlertLevel: alertLevel(lastHour, c),
    },
    patterns: { mostCommonPatterns, invalidationTypes: Object.fromEntries(typeCounts) },
    efficiency: {
      avgKeysPerInvalidation: c.totalInvalidations > 0 ? c.totalKeysInvalidated / c.totalInvalidations : 0,
      avgDurationMs: durationSum / recent.length,
      maxDurationMs,
    },
  };
}

// `critical` when lastHour ≥ the critical rate, `warning` when ≥ the warning rate, else `normal`.
function alertLevel(lastHour: number, c: Pick<InvalidationContext, 'warningPerHour' | 'criticalPerHour'>): InvalidationAlertLevel {
  if (lastHour >= c.criticalPerHour) return 'critical';
  if (lastHour >= c.warningPerHour) return 'warning';
  return 'normal';
}

/** Invalidation recommendations from the frequency report (empty without events), sorted critical → warning → info. */
export function invalidationRecommendations(
  stats: InvalidationFrequencyStats,
  retainedEvents: number,
): InvalidationRecommendation[] {
  if ('noInvalidations' in stats) return [];
  const out: InvalidationRecommendation[] = [];
  const { rates, thresholds, patterns, efficiency }: InvalidationFrequencyStatsReport = stats;
  if (rates.lastHour >= thresholds.warningPerHour) {
    out.push({
      severity: thresholds.currentAlertLevel === 'warning' ? 'warning' : 'critical',
      issue: 'High invalidation frequency',
      message: `${rates.lastHour} invalidations in the last hour (warning at ${thresholds.warningPerHour}, critical at ${thresholds.criticalPerHour})`,
      suggestions: [
        'Reduce how often invalidation is triggered (batch or debounce triggers)',
        'Use narrower invalidation patterns',
        'Check for TTLs that are too low',
        'Improve cache warming so fewer entries need invalidating',
      ],
    });
  }
  const top = patterns.mostCommonPatterns[0];
  if (top !== undefined && top.count > retainedEvents / 2) {
    out.push({
      severity: 'info',
      issue: 'Dominant invalidation pattern',
      message: `Pattern "${top.pattern}" accounts for ${top.count} of ${retainedEvents} invalidations`,
      suggestions: [
        'Check whether this pattern invalidates more than it needs to',
        'Consider a dedicated TTL or key namespace for the data behind it',
      ],
    });
  }
  if (efficiency.avgKeysPerInvalidation < 1) {
    out.push({
      severity: 'info',
      issue: 'Low invalidation efficiency',
      message: `Invalidations remove ${efficiency.avgKeysPerInvalidation.toFixed(2)} keys on average`,
      suggestions: ['Skip invalidations that match no keys', 'Check that patterns match the keys actually written'],
    });
  } else if (efficiency.avgKeysPerInvalidation > 100) {
    out.push({
      severity: 'warning',
      issue: 'High invalidation impact',
      message: `Invalidations remove ${efficiency.avgKeysPerInvalidation.toFixed(2)} keys on average`,
      suggestions: ['Use more specific patterns', 'Invalidate in smaller batches to avoid load spikes'],
    });
  }
  return bySeverity(out);
}
