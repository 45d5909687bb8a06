import { dict, type AiMetrics, type AiOperationRecord } from './ai-metrics.js';
import type { KeyGenerationStats } from './key-generator.js';
import type { TextSizeTiers } from './text.js';

/** One optimisation suggestion; sorted high → medium → low. */
export interface AiRecommendation {
  type: 'hit_rate' | 'text_tier' | 'memory' | 'ttl' | 'compression';
  priority: 'high' | 'medium' | 'low';
  title: string;
  description: string;
  action: string;
  estimatedImpact: string;
  metrics: Record<string, number | string>;
}

/** `AIResponseCache.getAiPerformanceSummary()`; hit rates are fractions 0..1 (4 decimals). */
export interface AiPerformanceSummary {
  totalOperations: number;
  overallHitRate: number;
  hitRateByOperation: Record<string, number>;
  textTierDistribution: Record<string, number>;
  keyGenerationStats?: KeyGenerationStats;
  optimizationRecommendations: AiRecommendation[];
  inheritedStats?: unknown;
  error?: string;
}

/** Performance of the records of one tier. */
export interface TierPerformance {
  /** Hits / gets of this tier, 0..1 (4 decimals). */
  hitRate: number;
  avgDurationMs: number;
  minDurationMs: number;
  maxDurationMs: number;
  sampleCount: number;
  optimizationOpportunities: string[];
}

/** `AIResponseCache.getTextTierStatistics()`. */
export interface TextTierStatistics {
  tierConfiguration: { small: number; medium: number; large: number };
  tierDistribution: Record<string, number>;
  tierPerformanceAnalysis: { byTier: Record<string, TierPerformance>; rankings: Array<{ tier: string; score: number }> };
  dataCompleteness: { expectedTiers: string[]; recordedTiers: string[]; missingTiers: string[]; completenessPercentage: number };
}

/** Durations of one operation, ms (2 decimals). */
export interface OperationPerformanceEntry {
  avgDurationMs: number;
  minDurationMs: number;
  maxDurationMs: number;
  p50DurationMs: number;
  p95DurationMs: number;
  p99DurationMs: number;
  totalOperations: number;
  configuredTtl: number;
  sampleCount: number;
}

/** `AIResponseCache.getOperationPerformance()`. */
export interface OperationPerformance {
  operations: Record<string, OperationPerformanceEntry>;
  summary: {
    totalOperationsMeasured: number;
    totalOperationTypes: number;
    overallAvgDurationMs: number;
    fastestOperation: string | null;
    slowestOperation: string | null;
  };
}

/** What the analytics read from the cache. */
export interface AnalyticsInput {
  metrics: AiMetrics;
  tiers: TextSizeTiers;
  l1: { enabled: boolean; size: number; maxSize: number };
  ttlFor: (operation: string) => number;
  monitorStats: unknown;
}

const EXPECTED_TIERS = ['small', 'medium', 'large', 'xlarge'];
const PRIORITY = { high: 0, medium: 1, low: 2 } as const;

/** `x` rounded to `digits` decimals. */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : round(part / whole, 4);
}

function durations(records: readonly AiOperationRecord[]): { avg: number; min: number; max: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const r of records) {
    sum += r.durationMs;
    if (r.durationMs < min) min = r.durationMs;
    if (r.durationMs > max) max = r.durationMs;
  }
  return { avg: round(sum / records.length, 2), min: round(min, 2), max: round(max, 2) };
}

function group<K extends string>(records: readonly AiOperationRecord[], by: (r: AiOperationRecord) => K): Map<K, AiOperationRecord[]> {
  const groups = new Map<K, AiOperationRecord[]>();
  for (const r of records) {
    const k = by(r);
    const list = groups.get(k);
    if (list) list.push(r);
    else groups.set(k, [r]);
  }
  return groups;
}

/** Suggestions from hit rates, tier mix, L1 use, fast short-lived operations and compression (sorted by priority). */
export function recommendations(input: AnalyticsInput): AiRecommendation[] {
  const { metrics } = input;
  const out: AiRecommendation[] = [];
  const operations = new Set([...Object.keys(metrics.hits), ...Object.keys(metrics.misses)]);
  for (const op of operations) {
    const hits = metrics.hits[op] ?? 0;
    const gets = hits + (metrics.misses[op] ?? 0);
    if (gets < 10) continue;
    const hitRate = ratio(hits, gets);
    if (hitRate < 0.3) {
      out.push({
        type: 'hit_rate', priority: 'high', title: `Low hit rate for '${op}'`,
        description: `Only ${round(hitRate * 100, 2)}% of '${op}' lookups hit the cache.`,
        action: `Review the '${op}' options that enter the key and consider a longer TTL.`, estimatedImpact: 'fewer model calls', metrics: { operation: op, hitRate, gets },
      });
    } else if (hitRate > 0.9) {
      out.push({
        type: 'hit_rate', priority: 'low', title: `Very high hit rate for '${op}'`,
        description: `${round(hitRate * 100, 2)}% of '${op}' lookups hit the cache.`,
        action: `Consider a longer TTL or L1 promotion for '${op}'.`, estimatedImpact: 'lower latency', metrics: { operation: op, hitRate, gets },
      });
    }
  }
  const tierTotal = Object.values(metrics.tiers).reduce((a, b) => a + b, 0);
  if (tierTotal > 0) {
    const xlarge = (metrics.tiers['xlarge'] ?? 0) / tierTotal;
    const small = (metrics.tiers['small'] ?? 0) / tierTotal;
    if (xlarge > 0.2) {
      out.push({
        type: 'text_tier', priority: 'medium', title: 'Many extra-large texts',
        description: `${round(xlarge * 100, 2)}% of lookups are for xlarge texts.`, action: 'Keep compression on and consider alwaysHashText.',
        estimatedImpact: 'less memory per entry', metrics: { xlargeShare: round(xlarge, 4) },
      });
    }
    if (small < 0.1) {
      out.push({
        type: 'text_tier', priority: 'low', title: 'Few small texts',
        description: `${round(small * 100, 2)}% of lookups are for small texts.`, action: 'Review textSizeTiers for this workload.',
        estimatedImpact: 'better tiering', metrics: { smallShare: round(small, 4) },
      });
    }
  }
  const { l1 } = input;
  if (l1.enabled && l1.maxSize > 0) {
    const use = l1.size / l1.maxSize;
    if (use > 0.9) {
      out.push({
        type: 'memory', priority: 'high', title: 'L1 cache nearly full', description: `L1 holds ${l1.size} of ${l1.maxSize} entries.`,
        action: `Raise l1CacheSize to ${l1.maxSize * 2}.`, estimatedImpact: 'more L1 hits', metrics: { utilization: round(use, 4), suggestedSize: l1.maxSize * 2 },
      });
    } else if (use < 0.3) {
      const suggested = Math.max(50, Math.floor(l1.maxSize * 0.7));
      out.push({
        type: 'memory', priority: 'low', title: 'L1 cache mostly empty', description: `L1 holds ${l1.size} of ${l1.maxSize} entries.`,
        action: `Consider l1CacheSize ${suggested}.`, estimatedImpact: 'less memory', metrics: { utilization: round(use, 4), suggestedSize: suggested },
      });
    }
  }
  const recent = metrics.records().slice(-100);
  for (const [op, records] of group(recent, (r) => r.operation)) {
    if (records.length < 5) continue;
    const avg = records.reduce((a, r) => a + r.durationMs, 0) / records.length;
    const ttl = input.ttlFor(op);
    if (avg < 100 && ttl < 7200) {
      out.push({
        type: 'ttl', priority: 'medium', title: `Short TTL for fast '${op}' operations`,
        description: `'${op}' averages ${round(avg, 2)} ms with a ${ttl} s TTL.`, action: `Consider operationTtls.${op} = ${ttl * 2}.`,
        estimatedImpact: 'more hits', metrics: { operation: op, avgDurationMs: round(avg, 2), ttl, suggestedTtl: ttl * 2 },
      });
    }
  }
  const compression = (input.monitorStats as { compression?: { totalOperations?: unknown; avgCompressionRatio?: unknown } } | undefined)?.compression;
  if (compression && typeof compression.totalOperations === 'number' && typeof compression.avgCompressionRatio === 'number') {
    if (compression.totalOperations > 10 && compression.avgCompressionRatio > 0.8) {
      out.push({
        type: 'compression', priority: 'medium', title: 'Compression saves little',
        description: `Compressed values keep ${round(compression.avgCompressionRatio * 100, 2)}% of their size on average.`,
        action: 'Raise compressionThreshold or lower compressionLevel.', estimatedImpact: 'less CPU per write',
        metrics: { compressions: compression.totalOperations, avgCompressionRatio: round(compression.avgCompressionRatio, 4) },
      });
    }
  }
  return out.sort((a, b) => PRIORITY[a.priority] - PRIORITY[b.priority]);
}

/** Hit rates by operation and overall, tier mix, key statistics and recommendations. */
export function aiPerformanceSummary(input: AnalyticsInput, keyGenerationStats: KeyGenerationStats): AiPerformanceSummary {
  const { metrics } = input;
  const operations = new Set([...Object.keys(metrics.hits), ...Object.keys(metrics.misses)]);
  let hits = 0;
  let total = 0;
  const hitRateByOperation = dict<number>();
  for (const op of operations) {
    const h = metrics.hits[op] ?? 0;
    const n = h + (metrics.misses[op] ?? 0);
    hits += h;
    total += n;
    hitRateByOperation[op] = ratio(h, n);
  }
  if (total === 0) {
    return { totalOperations: 0, overallHitRate: 0, hitRateByOperation: {}, textTierDistribution: {}, keyGenerationStats, optimizationRecommendations: [], inheritedStats: input.monitorStats };
  }
  return {
    totalOperations: total,
    overallHitRate: ratio(hits, total),
    hitRateByOperation,
    textTierDistribution: { ...metrics.tiers },
    keyGenerationStats,
    optimizationRecommendations: recommendations(input),
    inheritedStats: input.monitorStats,
  };
}

/** Tier configuration, zero-filled distribution, per-tier performance and rankings, completeness (≤ 100). */
export function textTierStatistics(input: AnalyticsInput): TextTierStatistics {
  const tierDistribution: Record<string, number> = { small: 0, medium: 0, large: 0, xlarge: 0, ...input.metrics.tiers };
  const byTier = dict<TierPerformance>();
  for (const [tier, records] of group(input.metrics.records(), (r) => r.textTier)) {
    if (tier === 'unknown') continue;
    const gets = records.filter((r) => r.cacheOperation === 'get');
    const hitRate = ratio(gets.filter((r) => r.success).length, gets.length);
    const d = durations(records);
    const opportunities: string[] = [];
    if (gets.length > 0 && hitRate < 0.3) opportunities.push('low hit rate: review keys and TTLs for this tier');
    if (gets.length > 0 && hitRate > 0.9) opportunities.push('high hit rate: candidate for longer TTLs or L1 promotion');
    if (d.avg > 100) opportunities.push('slow operations: consider compression or smaller values');
    if (d.avg < 10) opportunities.push('fast operations: L1 promotion pays off');
    if (tier === 'small' && gets.length > 0 && hitRate < 0.8) opportunities.push('small texts hit less than 80%: review options in keys');
    if (tier === 'xlarge' && gets.length > 0 && hitRate > 0.6) opportunities.push('xlarge texts hit often: keep them cached longer');
    byTier[tier] = { hitRate, avgDurationMs: d.avg, minDurationMs: d.min, maxDurationMs: d.max, sampleCount: records.length, optimizationOpportunities: opportunities };
  }
  const rankings = Object.entries(byTier)
    .map(([tier, p]) => ({ tier, score: round((p.hitRate * 1000) / Math.max(p.avgDurationMs, 1), 4) }))
    .sort((a, b) => b.score - a.score);
  const recordedTiers = Object.keys(input.metrics.tiers).filter((t) => (input.metrics.tiers[t] ?? 0) > 0);
  const recordedExpected = EXPECTED_TIERS.filter((t) => recordedTiers.includes(t));
  return {
    tierConfiguration: { small: input.tiers.small, medium: input.tiers.medium, large: input.tiers.large },
    tierDistribution,
    tierPerformanceAnalysis: { byTier, rankings },
    dataCompleteness: {
      expectedTiers: [...EXPECTED_TIERS],
      recordedTiers,
      missingTiers: EXPECTED_TIERS.filter((t) => !recordedTiers.includes(t)),
      completenessPercentage: round((recordedExpected.length / EXPECTED_TIERS.length) * 100, 1),
    },
  };
}

/** Per operation: durations with percentiles, counts and the configured TTL; summary with fastest/slowest. */
export function operationPerformance(input: AnalyticsInput): OperationPerformance {
  const operations = dict<OperationPerformanceEntry>();
  let measured = 0;
  let sum = 0;
  for (const [op, records] of group(input.metrics.records(), (r) => r.operation)) {
    const s = records.map((r) => r.durationMs).sort((a, b) => a - b);
    const n = s.length;
    const d = durations(records);
    operations[op] = {
      avgDurationMs: d.avg,
      minDurationMs: d.min,
      maxDurationMs: d.max,
      p50DurationMs: round(s[Math.floor(n * 0.5)] as number, 2),
      p95DurationMs: round((n > 1 ? s[Math.floor(n * 0.95)] : s[0]) as number, 2),
      p99DurationMs: round((n > 2 ? s[Math.floor(n * 0.99)] : s[n - 1]) as number, 2),
      totalOperations: n,
      configuredTtl: input.ttlFor(op),
      sampleCount: n,
    };
    measured += n;
    sum += s.reduce((a, b) => a + b, 0);
  }
  const byAvg = Object.entries(operations).sort((a, b) => a[1].avgDurationMs - b[1].avgDurationMs);
  return {
    operations,
    summary: {
      totalOperationsMeasured: measured,
      totalOperationTypes: byAvg.length,
      overallAvgDurationMs: measured === 0 ? 0 : round(sum / measured, 2),
      fastestOperation: byAvg[0]?.[0] ?? null,
      slowestOperation: byAvg[byAvg.length - 1]?.[0] ?? null,
    },
  };
}
