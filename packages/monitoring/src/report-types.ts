import type { CompressionMetric, InvalidationMetric, MemoryUsageMetric, PerformanceMetric } from './metric-records.js';
import type { LlmSavingsTotal } from './llm-savings.js';

/** Alert and recommendation severity, most severe first. */
export type Severity = 'critical' | 'warning' | 'info';

/** A memory alert from {@link CachePerformanceMonitor.getMemoryWarnings}. */
export interface MemoryAlert {
  severity: Severity;
  message: string;
  recommendations: string[];
}

/** An invalidation recommendation from {@link CachePerformanceMonitor.getInvalidationRecommendations}. */
export interface InvalidationRecommendation {
  severity: Severity;
  issue: string;
  message: string;
  suggestions: string[];
}

/** Key-generation section of {@link PerformanceStats}. */
export interface KeyGenerationStats {
  totalOperations: number;
  avgDurationMs: number;
  medianDurationMs: number;
  maxDurationMs: number;
  minDurationMs: number;
  avgTextLength: number;
  maxTextLength: number;
  /** Items with duration strictly above the current `keyGenerationThresholdMs`. */
  slowOperations: number;
}

/** Per-operation figures inside {@link CacheOperationStats}. */
export interface OperationTypeStats {
  count: number;
  avgDurationMs: number;
  maxDurationMs: number;
}

/** Cache-operation section of {@link PerformanceStats}. */
export interface CacheOperationStats {
  totalOperations: number;
  avgDurationMs: number;
  medianDurationMs: number;
  maxDurationMs: number;
  minDurationMs: number;
  /** Items with duration strictly above the current `cacheOperationThresholdMs`. */
  slowOperations: number;
  byOperationType: Record<string, OperationTypeStats>;
}

/** Compression section of {@link PerformanceStats}. */
export interface CompressionStats {
  totalOperations: number;
  avgCompressionRatio: number;
  medianCompressionRatio: number;
  /** Smallest ratio. */
  bestCompressionRatio: number;
  /** Largest ratio. */
  worstCompressionRatio: number;
  avgCompressionTimeMs: number;
  maxCompressionTimeMs: number;
  /** Σ original sizes. */
  totalBytesProcessed: number;
  /** Σ original − Σ compressed. */
  totalBytesSaved: number;
  /** saved / processed × 100; 0 when nothing was processed. */
  overallSavingsPercent: number;
}

/** {@link CachePerformanceMonitor.getMemoryUsageStats} before any measurement. */
export interface MemoryUsageStatsEmpty {
  noMeasurements: true;
  warningThresholdMb: number;
  criticalThresholdMb: number;
}

/** {@link CachePerformanceMonitor.getMemoryUsageStats} from the latest and the last 10 measurements. */
export interface MemoryUsageStatsReport {
  current: {
    totalCacheSizeMb: number;
    memoryCacheSizeMb: number;
    cacheEntryCount: number;
    memoryCacheEntryCount: number;
    avgEntrySizeBytes: number;
    processMemoryMb: number;
    cacheUtilizationPercent: number;
    warningThresholdReached: boolean;
  };
  thresholds: {
    warningThresholdMb: number;
    criticalThresholdMb: number;
    warningThresholdReached: boolean;
    criticalThresholdReached: boolean;
  };
  trends: {
    totalMeasurements: number;
    avgTotalCacheSizeMb: number;
    maxTotalCacheSizeMb: number;
    avgMemoryCacheSizeMb: number;
    avgEntryCount: number;
    maxEntryCount: number;
    /** Present only with ≥ 2 recent measurements spanning more than 0 ms. */
    growthRateMbPerHour?: number;
  };
}

/** Memory statistics: the empty shape or the full report (test with `'noMeasurements' in stats`). */
export type MemoryUsageStats = MemoryUsageStatsEmpty | MemoryUsageStatsReport;

/** {@link CachePerformanceMonitor.getInvalidationFrequencyStats} before any event. */
export interface InvalidationFrequencyStatsEmpty {
  noInvalidations: true;
  totalInvalidations: 0;
  totalKeysInvalidated: 0;
  warningThresholdPerHour: number;
  criticalThresholdPerHour: number;
}

/** Alert level of the last hour's invalidation count. */
export type InvalidationAlertLevel = 'normal' | 'warning' | 'critical';

/** {@link CachePerformanceMonitor.getInvalidationFrequencyStats} with events. */
export interface InvalidationFrequencyStatsReport {
  /** Lifetime counter. */
  totalInvalidations: number;
  /** Lifetime counter. */
  totalKeysInvalidated: number;
  rates: { lastHour: number; last24Hours: number; averagePerHour: number };
  thresholds: { warningPerHour: number; criticalPerHour: number; currentAlertLevel: InvalidationAlertLevel };
  patterns: {
    /** Top 10 patterns of the last 50 events, by count; ties keep first-seen order. */
    mostCommonPatterns: Array<{ pattern: string; count: number }>;
    invalidationTypes: Record<string, number>;
  };
  efficiency: { avgKeysPerInvalidation: number; avgDurationMs: number; maxDurationMs: number };
}

/** Invalidation statistics: the empty shape or the full report (test with `'noInvalidations' in stats`). */
export type InvalidationFrequencyStats = InvalidationFrequencyStatsEmpty | InvalidationFrequencyStatsReport;

/** {@link CachePerformanceMonitor.getPerformanceStats}; a section is present only when its series is non-empty. */
export interface PerformanceStats {
  /** ISO-8601 time of the report (monitor clock). */
  timestamp: string;
  retentionHours: number;
  /** `get` hits / (hits + misses) as a ratio 0..1; 0 before any `get`. */
  hitRate: number;
  /** Every recorded cache operation, lifetime. */
  totalCacheOperations: number;
  cacheHits: number;
  cacheMisses: number;
  keyGeneration?: KeyGenerationStats;
  cacheOperations?: CacheOperationStats;
  compression?: CompressionStats;
  memoryUsage?: MemoryUsageStats;
  invalidation?: InvalidationFrequencyStats;
}

/** A slow key generation or cache operation. */
export interface SlowPerformanceItem {
  durationMs: number;
  textLength: number;
  operationType: string;
  /** ISO-8601. */
  timestamp: string;
  /** duration / baseline; `null` when the baseline is 0. */
  timesSlower: number | null;
}

/** A slow compression. */
export interface SlowCompressionItem {
  compressionTimeMs: number;
  originalSize: number;
  compressionRatio: number;
  operationType: string;
  /** ISO-8601. */
  timestamp: string;
  /** time / baseline; `null` when the baseline is 0. */
  timesSlower: number | null;
}

/** {@link CachePerformanceMonitor.getRecentSlowOperations}; all three lists are always present. */
export interface SlowOperations {
  keyGeneration: SlowPerformanceItem[];
  cacheOperations: SlowPerformanceItem[];
  compression: SlowCompressionItem[];
}

/** {@link CachePerformanceMonitor.exportMetrics}: a deep, JSON-round-trippable copy of everything retained. */
export interface MetricsExport {
  keyGenerationTimes: PerformanceMetric[];
  cacheOperationTimes: PerformanceMetric[];
  compressionRatios: CompressionMetric[];
  memoryUsageMeasurements: MemoryUsageMetric[];
  invalidationEvents: InvalidationMetric[];
  cacheHits: number;
  cacheMisses: number;
  totalOperations: number;
  totalInvalidations: number;
  totalKeysInvalidated: number;
  /** Lifetime LLM savings per (cache, model, operation). */
  llmSavings: LlmSavingsTotal[];
  /** ISO-8601. */
  exportTimestamp: string;
}

/** Cache operations appended after a sequence number, for scrape-time exporters. */
export interface CacheOperationBatch {
  /** Retained operations newer than the given sequence, oldest first. */
  items: PerformanceMetric[];
  /** Pass this to the next call to continue after the last item. */
  nextSequence: number;
  /** Operations appended after the given sequence that are no longer retained (evicted, expired or reset). */
  missed: number;
}
