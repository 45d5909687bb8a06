import { ValidationError, type CacheMetricsRecorder, type Clock, type Logger } from '@cache/core';
import { LlmSavingsTally, type LlmSavingsTotal } from './llm-savings.js';
import { invalidationFrequencyStats, invalidationRecommendations, type InvalidationContext } from './invalidation-analysis.js';
import { EMPTY_DATA, toDataRecord } from './json-data.js';
import { memoryAlerts, memoryUsageStats, type MemoryThresholds } from './memory-analysis.js';
import { EMPTY_MEMORY_METRIC, measureMemoryUsage, type MemoryUsageInput } from './memory-measurement.js';
import {
  createInvalidationMetric,
  type CompressionMetric,
  type InvalidationMetric,
  type MemoryUsageMetric,
  type PerformanceMetric,
} from './metric-records.js';
import { CompressionSeries, PerformanceSeries, RecordSeries } from './metric-series.js';
import { isFiniteNumber, resolveMonitorOptions, type CachePerformanceMonitorOptions } from './monitor-options.js';
import { cacheOperationSection, compressionSection, keyGenerationSection } from './performance-sections.js';
import type {
  CacheOperationBatch,
  InvalidationFrequencyStats,
  InvalidationRecommendation,
  MemoryAlert,
  MemoryUsageStats,
  MetricsExport,
  PerformanceStats,
  SlowOperations,
} from './report-types.js';
import { OperationCounts } from './operation-counts.js';
import { errorType, isCount, isMeasure, isName, isOptionalMeasure, isOptionalString } from './record-guards.js';
import { slowOperations } from './slow-operations.js';

const HOUR_MS = 3_600_000;
const INTEGRATION_EXTRA = Object.freeze({ source: 'integration' });

/**
 * In-process cache performance monitor implementing core's `CacheMetricsRecorder`. Records key-generation and
 * cache-operation timings, compression results, memory snapshots and invalidations into five bounded series
 * (at most `maxMeasurements` items, none older than `retentionHours`), and derives statistics, alerts and
 * recommendations from them. Recording is synchronous, O(1) amortised, allocation-free for numeric data and never
 * throws; a call with a non-finite or negative number or a wrongly typed argument is ignored with a debug log and
 * counted in {@link CachePerformanceMonitor.droppedRecords}. Durations are milliseconds,
 * timestamps epoch milliseconds from the injected clock.
 */
export class CachePerformanceMonitor implements CacheMetricsRecorder {
  /** Records older than this many hours are dropped. */
  readonly retentionHours: number;
  /** Most records kept per series. */
  readonly maxMeasurements: number;
  /** Total cache size that raises a memory warning (mutable). */
  memoryWarningThresholdBytes: number;
  /** Total cache size that raises a critical memory alert (mutable). */
  memoryCriticalThresholdBytes: number;
  /** Key generation slower than this logs a warning and counts as slow (mutable). */
  keyGenerationThresholdMs: number;
  /** A cache operation slower than this logs a warning and counts as slow (mutable). */
  cacheOperationThresholdMs: number;
  /** Invalidations in the last hour that raise a warning (mutable). */
  invalidationRateWarningPerHour: number;
  /** Invalidations in the last hour that raise a critical alert (mutable). */
  invalidationRateCriticalPerHour: number;

  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly memoryCacheMaxEntries: number;
  private readonly processMemoryBytes: () => number;
  private readonly sizeOf: (value: unknown) => number;
  private readonly retentionMs: number;
  private readonly keyGeneration: PerformanceSeries;
  private readonly cacheOperations: PerformanceSeries;
  private readonly compression: CompressionSeries;
  private readonly memory: RecordSeries<MemoryUsageMetric>;
  private readonly invalidations: RecordSeries<InvalidationMetric>;
  private readonly operationCounts = new OperationCounts();
  private readonly llmSavings = new LlmSavingsTally();
  private hits = 0;
  private misses = 0;
  private operations = 0;
  private invalidationCount = 0;
  private keysInvalidated = 0;
  private droppedCalls = 0;

  /** Throws `ConfigurationError` (`INVALID_CONFIGURATION`) naming the first invalid option. */
  constructor(options?: CachePerformanceMonitorOptions) {
    const o = resolveMonitorOptions(options);
    this.retentionHours = o.retentionHours;
    this.maxMeasurements = o.maxMeasurements;
    this.memoryWarningThresholdBytes = o.memoryWarningThresholdBytes;
    this.memoryCriticalThresholdBytes = o.memoryCriticalThresholdBytes;
    this.keyGenerationThresholdMs = o.keyGenerationThresholdMs;
    this.cacheOperationThresholdMs = o.cacheOperationThresholdMs;
    this.invalidationRateWarningPerHour = o.invalidationRateWarningPerHour;
    this.invalidationRateCriticalPerHour = o.invalidationRateCriticalPerHour;
    this.memoryCacheMaxEntries = o.memoryCacheMaxEntries;
    this.clock = o.clock;
    this.logger = o.logger;
    this.processMemoryBytes = o.processMemoryBytes;
    this.sizeOf = o.sizeOf;
    this.retentionMs = o.retentionHours * HOUR_MS;
    this.keyGeneration = new PerformanceSeries(o.maxMeasurements);
    this.cacheOperations = new PerformanceSeries(o.maxMeasurements);
    this.compression = new CompressionSeries(o.maxMeasurements);
    this.memory = new RecordSeries(o.maxMeasurements);
    this.invalidations = new RecordSeries(o.maxMeasurements);
  }

  /** Lifetime `get` hits. */
  get cacheHits(): number {
    return this.hits;
  }

  /** Lifetime `get` misses. */
  get cacheMisses(): number {
    return this.misses;
  }

  /** Lifetime cache operations of every kind. */
  get totalOperations(): number {
    return this.operations;
  }

  /** Lifetime invalidation events. */
  get totalInvalidations(): number {
    return this.invalidationCount;
  }

  /** Lifetime sum of keys invalidated. */
  get totalKeysInvalidated(): number {
    return this.keysInvalidated;
  }

  /**
   * Lifetime count of recorder calls that were ignored: a non-finite or negative duration, size or count, a wrongly
   * typed argument, or an internal failure (a throwing clock). Such calls change nothing else. Reset by
   * {@link resetStats}.
   */
  get droppedRecords(): number {
    return this.droppedCalls;
  }

  /** Retained key-generation timings, oldest first (frozen snapshot). */
  get keyGenerationTimes(): readonly PerformanceMetric[] {
    return this.keyGeneration.toArray();
  }

  /** Retained cache-operation timings, oldest first (frozen snapshot). */
  get cacheOperationTimes(): readonly PerformanceMetric[] {
    return this.cacheOperations.toArray();
  }

  /** Retained compression results, oldest first (frozen snapshot). */
  get compressionRatios(): readonly CompressionMetric[] {
    return this.compression.toArray();
  }

  /** Retained memory measurements, oldest first (frozen snapshot). */
  get memoryUsageMeasurements(): readonly MemoryUsageMetric[] {
    return this.memory.toArray();
  }

  /** Retained invalidation events, oldest first (frozen snapshot). */
  get invalidationEvents(): readonly InvalidationMetric[] {
    return this.invalidations.toArray();
  }

  /** Records a key-generation time; warns when `durationMs > keyGenerationThresholdMs`. Never throws. */
  recordKeyGenerationTime(durationMs: number, textLength: number, operationType?: string, extra?: Record<string, unknown>): void {
    try {
      if (!isMeasure(durationMs) || !isOptionalMeasure(textLength) || !isOptionalString(operationType)) {
        return this.dropped('key generation');
      }
      const now = this.clock.now();
      this.keyGeneration.add(now, now - this.retentionMs, durationMs, textLength ?? 0, operationType ?? '', dataOf(extra));
      if (durationMs > this.keyGenerationThresholdMs) {
        this.logger.warn('slow cache key generation', {
          durationMs,
          thresholdMs: this.keyGenerationThresholdMs,
          operationType: operationType ?? '',
        });
      }
    } catch (error) {
      this.failed('key generation', error);
    }
  }

  /**
   * Records a cache operation: every call counts in `totalOperations`; only `operation === 'get'` counts a hit
   * (`cacheHit === true`) or a miss. Warns when `durationMs > cacheOperationThresholdMs`. Never throws.
   */
  recordCacheOperationTime(
    operation: string,
    durationMs: number,
    cacheHit: boolean,
    textLength?: number,
    extra?: Record<string, unknown>,
  ): void {
    try {
      if (typeof operation !== 'string' || !isMeasure(durationMs) || !isOptionalMeasure(textLength)) {
        return this.dropped('cache operation');
      }
      const now = this.clock.now();
      const data = dataOf(extra);
      this.operations++;
      if (operation === 'get') {
        if (cacheHit === true) this.hits++;
        else this.misses++;
      }
      this.operationCounts.add(operation);
      this.cacheOperations.add(now, now - this.retentionMs, durationMs, textLength ?? 0, operation, data);
      if (durationMs > this.cacheOperationThresholdMs) {
        this.logger.warn('slow cache operation', { operation, durationMs, thresholdMs: this.cacheOperationThresholdMs });
      }
    } catch (error) {
      this.failed('cache operation', error);
    }
  }

  /** Records a compression result; ratio = compressed / original, or 1.0 when original is 0. Never throws. */
  recordCompressionRatio(originalSize: number, compressedSize: number, compressionTimeMs: number, operationType?: string): void {
    try {
      if (
        !isMeasure(originalSize) ||
        !isMeasure(compressedSize) ||
        !isMeasure(compressionTimeMs) ||
        !isOptionalString(operationType)
      ) {
        return this.dropped('compression');
      }
      const now = this.clock.now();
      this.compression.add(now, now - this.retentionMs, {
        originalSize,
        compressedSize,
        compressionRatio: originalSize > 0 ? compressedSize / originalSize : 1,
        compressionTimeMs,
        operationType: operationType ?? '',
      });
    } catch (error) {
      this.failed('compression', error);
    }
  }

  /**
   * Records an invalidation (default type `manual`), adds to the lifetime counters, then logs an error when the
   * events of the last hour reach the critical rate, else a warning when they reach the warning rate. Never throws.
   */
  recordInvalidationEvent(
    pattern: string,
    keysInvalidated: number,
    durationMs: number,
    invalidationType?: string,
    operationContext?: string,
    extra?: Record<string, unknown>,
  ): void {
    try {
      if (
        typeof pattern !== 'string' ||
        !isMeasure(keysInvalidated) ||
        !isMeasure(durationMs) ||
        !isOptionalString(invalidationType) ||
        !isOptionalString(operationContext)
      ) {
        return this.dropped('invalidation');
      }
      const now = this.clock.now();
      const event = createInvalidationMetric({
        pattern,
        keysInvalidated,
        durationMs,
        timestamp: now,
        invalidationType: invalidationType ?? 'manual',
        operationContext: operationContext ?? '',
        additionalData: dataOf(extra),
      });
      this.invalidationCount++;
      this.keysInvalidated += keysInvalidated;
      this.invalidations.add(event, now - this.retentionMs);
      const lastHour = this.invalidations.ring.countAfter(now - HOUR_MS);
      const meta = {
        lastHour,
        warningPerHour: this.invalidationRateWarningPerHour,
        criticalPerHour: this.invalidationRateCriticalPerHour,
      };
      if (lastHour >= this.invalidationRateCriticalPerHour) this.logger.error('cache invalidation rate is critical', meta);
      else if (lastHour >= this.invalidationRateWarningPerHour) this.logger.warn('cache invalidation rate is high', meta);
    } catch (error) {
      this.failed('invalidation', error);
    }
  }

  /**
   * Measures `memoryCache` (size via `sizeOf`, top-level entry count) plus optional Redis figures, stores and returns
   * the metric. Logs an error at or above the critical threshold, else a warning at or above the warning threshold.
   * Never throws: a failing `sizeOf` counts as 0 bytes, a failing `processMemoryBytes` as 0 MB.
   */
  recordMemoryUsage(i: MemoryUsageInput): MemoryUsageMetric {
    try {
      const now = this.clock.now();
      const { metric, capacity } = measureMemoryUsage(i, {
        now,
        sizeOf: this.sizeOf,
        processMemoryBytes: this.processMemoryBytes,
        warningThresholdBytes: this.memoryWarningThresholdBytes,
        defaultMaxEntries: this.memoryCacheMaxEntries,
        debug: (message, meta) => this.debug(message, meta),
      });
      const total = metric.totalCacheSizeBytes;
      this.memory.add(metric, now - this.retentionMs, capacity);
      const meta = { totalCacheSizeBytes: total, warningThresholdBytes: this.memoryWarningThresholdBytes, criticalThresholdBytes: this.memoryCriticalThresholdBytes };
      if (total >= this.memoryCriticalThresholdBytes) this.logger.error('cache memory usage is critical', meta);
      else if (metric.warningThresholdReached) this.logger.warn('cache memory usage is high', meta);
      return metric;
    } catch (error) {
      this.failed('memory usage', error);
      return EMPTY_MEMORY_METRIC;
    }
  }

  /**
   * Core's LLM savings hook: adds one hit's savings to the lifetime totals of its (cache, model, operation)
   * — see {@link getLlmSavings}. A call with an empty name, a non-integer or negative token count, more cached than
   * input tokens, or a non-finite or negative cost or time is ignored and counted in `droppedRecords`. Never throws.
   */
  recordLlmSavings(
    cache: string,
    model: string,
    operation: string,
    inputTokens: number,
    outputTokens: number,
    cachedInputTokens: number,
    costUsd: number,
    modelTimeMs: number,
  ): void {
    try {
      if (
        !isName(cache) ||
        !isName(model) ||
        !isName(operation) ||
        !isCount(inputTokens) ||
        !isCount(outputTokens) ||
        !isCount(cachedInputTokens) ||
        cachedInputTokens > inputTokens ||
        !isMeasure(costUsd) ||
        !isMeasure(modelTimeMs)
      ) {
        return this.dropped('llm savings');
      }
      this.llmSavings.add(cache, model, operation, inputTokens, outputTokens, cachedInputTokens, costUsd, modelTimeMs);
    } catch (error) {
      this.failed('llm savings', error);
    }
  }

  /**
   * Lifetime LLM savings per (cache, model, operation), in first-seen order: hits, tokens, cost (USD) and model time
   * (ms) that cache hits avoided. At most 256 series; later (model, operation) pairs of a cache are added to its
   * `(other)` series. Token and hit counts are exact; cost is summed in whole nano-dollars. Reset by {@link resetStats}.
   */
  getLlmSavings(): readonly LlmSavingsTotal[] {
    return this.llmSavings.totals();
  }

  /**
   * Generic hook from core's `CacheMetricsRecorder`: the same as
   * `recordCacheOperationTime(name, durationMs, success, 0, { source: 'integration' })`. Never throws.
   */
  recordOperation(name: string, durationMs: number, success: boolean): void {
    this.recordCacheOperationTime(name, durationMs, success, 0, INTEGRATION_EXTRA);
  }

  /** The `get` hit rate as a ratio 0..1: `cacheHits / (cacheHits + cacheMisses)`; 0 before any `get`. */
  getHitRate(): number {
    const lookups = this.hits + this.misses;
    return lookups === 0 ? 0 : this.hits / lookups;
  }

  /**
   * Lifetime counters plus one section per non-empty series (after dropping expired records). Slow counts use the
   * current thresholds.
   */
  getPerformanceStats(): PerformanceStats {
    const now = this.cleanAll();
    const stats: PerformanceStats = {
      timestamp: new Date(now).toISOString(),
      retentionHours: this.retentionHours,
      hitRate: this.getHitRate(),
      totalCacheOperations: this.operations,
      cacheHits: this.hits,
      cacheMisses: this.misses,
    };
    if (this.keyGeneration.ring.length > 0) {
      stats.keyGeneration = keyGenerationSection(this.keyGeneration, this.keyGenerationThresholdMs);
    }
    if (this.cacheOperations.ring.length > 0) {
      stats.cacheOperations = cacheOperationSection(this.cacheOperations, this.cacheOperationThresholdMs);
    }
    if (this.compression.ring.length > 0) stats.compression = compressionSection(this.compression);
    if (this.memory.ring.length > 0) stats.memoryUsage = this.getMemoryUsageStats();
    if (this.invalidations.ring.length > 0) stats.invalidation = this.getInvalidationFrequencyStats();
    return stats;
  }

  /** Latest memory measurement, thresholds in MB and trends over the last 10 measurements. */
  getMemoryUsageStats(): MemoryUsageStats {
    return memoryUsageStats(this.memory, this.memoryThresholds());
  }

  /** Alerts for the latest memory measurement, sorted critical → warning → info; empty without measurements. */
  getMemoryWarnings(): MemoryAlert[] {
    const n = this.memory.ring.length;
    if (n === 0) return [];
    return memoryAlerts(this.memory.at(n - 1), this.memory.attachedAt(n - 1), this.memoryThresholds());
  }

  /** Invalidation rates, alert level, top patterns/types over the last 50 events and efficiency. */
  getInvalidationFrequencyStats(): InvalidationFrequencyStats {
    return invalidationFrequencyStats(this.invalidations, this.invalidationContext());
  }

  /** Recommendations from the invalidation statistics, sorted critical → warning → info; empty without events. */
  getInvalidationRecommendations(): InvalidationRecommendation[] {
    return invalidationRecommendations(this.getInvalidationFrequencyStats(), this.invalidations.ring.length);
  }

  /**
   * Slow items of the key-generation, cache-operation and compression series (after dropping expired records):
   * value ≥ mean of the fastest 80 % × `thresholdMultiplier` (default 2). Throws `ValidationError` for a multiplier
   * that is not a finite number > 0.
   */
  getRecentSlowOperations(o?: { thresholdMultiplier?: number }): SlowOperations {
    const multiplier = o?.thresholdMultiplier ?? 2;
    if (!isFiniteNumber(multiplier) || multiplier <= 0) {
      throw new ValidationError('thresholdMultiplier must be a finite number > 0', {
        code: 'INVALID_ARGUMENT',
        context: { argument: 'thresholdMultiplier' },
      });
    }
    this.cleanAll();
    return slowOperations(this.keyGeneration, this.cacheOperations, this.compression, multiplier);
  }

  /**
   * Lifetime count of cache operations per operation name (up to 256 distinct names; later names are counted under
   * `(other)` so memory stays bounded). Reset by {@link resetStats}.
   */
  getOperationCounts(): Record<string, number> {
    return this.operationCounts.toRecord();
  }

  /**
   * Retained cache operations appended after `sequence` (0 = from the start), for exporters that read at scrape
   * time. Throws `ValidationError` unless `sequence` is a non-negative integer.
   */
  readCacheOperationsAfter(sequence: number): CacheOperationBatch {
    if (!Number.isSafeInteger(sequence) || sequence < 0) {
      throw new ValidationError('sequence must be a non-negative integer', {
        code: 'INVALID_ARGUMENT',
        context: { argument: 'sequence' },
      });
    }
    const ring = this.cacheOperations.ring;
    const items: PerformanceMetric[] = [];
    for (let i = ring.indexAfterSequence(sequence); i < ring.length; i++) items.push(this.cacheOperations.metricAt(i));
    const last = ring.upcomingSequence - 1;
    return { items, nextSequence: Math.max(last, sequence), missed: Math.max(0, last - sequence - items.length) };
  }

  /** Empties the five series, zeroes the counters and the LLM savings; options, thresholds and the clock are kept. */
  resetStats(): void {
    this.keyGeneration.ring.clear();
    this.cacheOperations.ring.clear();
    this.compression.ring.clear();
    this.memory.ring.clear();
    this.invalidations.ring.clear();
    this.operationCounts.clear();
    this.llmSavings.clear();
    this.hits = 0;
    this.misses = 0;
    this.operations = 0;
    this.invalidationCount = 0;
    this.keysInvalidated = 0;
    this.droppedCalls = 0;
  }

  /** A deep copy of every retained record and the lifetime counters; round-trips through JSON. */
  exportMetrics(): MetricsExport {
    return structuredClone({
      keyGenerationTimes: [...this.keyGeneration.toArray()],
      cacheOperationTimes: [...this.cacheOperations.toArray()],
      compressionRatios: [...this.compression.toArray()],
      memoryUsageMeasurements: [...this.memory.toArray()],
      invalidationEvents: [...this.invalidations.toArray()],
      cacheHits: this.hits,
      cacheMisses: this.misses,
      totalOperations: this.operations,
      totalInvalidations: this.invalidationCount,
      totalKeysInvalidated: this.keysInvalidated,
      llmSavings: [...this.llmSavings.totals()],
      exportTimestamp: new Date(this.clock.now()).toISOString(),
    });
  }

  private cleanAll(): number {
    const now = this.clock.now();
    const cutoff = now - this.retentionMs;
    this.keyGeneration.ring.prune(cutoff);
    this.cacheOperations.ring.prune(cutoff);
    this.compression.ring.prune(cutoff);
    this.memory.ring.prune(cutoff);
    this.invalidations.ring.prune(cutoff);
    return now;
  }

  private memoryThresholds(): MemoryThresholds {
    return { warningBytes: this.memoryWarningThresholdBytes, criticalBytes: this.memoryCriticalThresholdBytes };
  }

  private invalidationContext(): InvalidationContext {
    return {
      now: this.clock.now(),
      retentionHours: this.retentionHours,
      warningPerHour: this.invalidationRateWarningPerHour,
      criticalPerHour: this.invalidationRateCriticalPerHour,
      totalInvalidations: this.invalidationCount,
      totalKeysInvalidated: this.keysInvalidated,
    };
  }

  private dropped(series: string): void {
    this.droppedCalls++;
    this.debug('metric dropped: non-finite or negative number, or wrongly typed argument', { series });
  }

  private failed(series: string, error: unknown): void {
    this.droppedCalls++;
    this.debug('metric recording failed; ignored', { series, error_type: errorType(error) });
  }

  // A throwing logger must not make a recording hook throw.
  private debug(message: string, meta: Record<string, unknown>): void {
    try {
      this.logger.debug(message, meta);
    } catch {
      // nothing else can be done with a broken logger
    }
  }
}

function dataOf(extra: Record<string, unknown> | undefined): Readonly<Record<string, unknown>> {
  return extra === undefined ? EMPTY_DATA : toDataRecord(extra);
}
