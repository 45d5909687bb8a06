import { toDataRecord } from './json-data.js';

/** One key-generation or cache-operation timing. Frozen, JSON-serializable. */
export interface PerformanceMetric {
  /** Duration in milliseconds. */
  readonly durationMs: number;
  /** Length of the text involved (0 when unknown). */
  readonly textLength: number;
  /** Epoch milliseconds from the monitor's clock. */
  readonly timestamp: number;
  /** Free-form operation name (`''` when not given). */
  readonly operationType: string;
  /** Caller-supplied context, stored as frozen JSON data. */
  readonly additionalData: Readonly<Record<string, unknown>>;
}

/** One compression result. Frozen, JSON-serializable. */
export interface CompressionMetric {
  readonly originalSize: number;
  readonly compressedSize: number;
  /** compressed / original (see {@link createCompressionMetric}). */
  readonly compressionRatio: number;
  readonly compressionTimeMs: number;
  readonly timestamp: number;
  readonly operationType: string;
}

/** One memory snapshot of a cache. Frozen, JSON-serializable. */
export interface MemoryUsageMetric {
  readonly totalCacheSizeBytes: number;
  readonly cacheEntryCount: number;
  readonly avgEntrySizeBytes: number;
  readonly memoryCacheSizeBytes: number;
  readonly memoryCacheEntryCount: number;
  readonly processMemoryMb: number;
  readonly timestamp: number;
  readonly cacheUtilizationPercent: number;
  readonly warningThresholdReached: boolean;
  readonly additionalData: Readonly<Record<string, unknown>>;
}

/** One invalidation event. Frozen, JSON-serializable. */
export interface InvalidationMetric {
  readonly pattern: string;
  readonly keysInvalidated: number;
  readonly durationMs: number;
  readonly timestamp: number;
  readonly invalidationType: string;
  readonly operationContext: string;
  readonly additionalData: Readonly<Record<string, unknown>>;
}

/** Input of {@link createPerformanceMetric}; omitted (or `undefined`) fields take their defaults. */
export interface PerformanceMetricInput {
  durationMs: number;
  timestamp: number;
  textLength?: number | undefined;
  operationType?: string | undefined;
  additionalData?: Readonly<Record<string, unknown>> | undefined;
}

/** Input of {@link createCompressionMetric}; a ratio of 0 or `undefined` is derived from the sizes. */
export interface CompressionMetricInput {
  originalSize: number;
  compressedSize: number;
  compressionTimeMs: number;
  timestamp: number;
  compressionRatio?: number | undefined;
  operationType?: string | undefined;
}

/** Input of {@link createMemoryUsageMetric}. */
export interface MemoryUsageMetricInput {
  totalCacheSizeBytes: number;
  cacheEntryCount: number;
  avgEntrySizeBytes: number;
  memoryCacheSizeBytes: number;
  memoryCacheEntryCount: number;
  processMemoryMb: number;
  timestamp: number;
  cacheUtilizationPercent: number;
  warningThresholdReached?: boolean | undefined;
  additionalData?: Readonly<Record<string, unknown>> | undefined;
}

/** Input of {@link createInvalidationMetric}. */
export interface InvalidationMetricInput {
  pattern: string;
  keysInvalidated: number;
  durationMs: number;
  timestamp: number;
  invalidationType?: string | undefined;
  operationContext?: string | undefined;
  additionalData?: Readonly<Record<string, unknown>> | undefined;
}

/** Builds a frozen {@link PerformanceMetric}; values are kept as given, defaults: textLength 0, operationType '', additionalData {}. */
export function createPerformanceMetric(i: PerformanceMetricInput): PerformanceMetric {
  return Object.freeze({
    durationMs: i.durationMs,
    textLength: i.textLength ?? 0,
    timestamp: i.timestamp,
    operationType: i.operationType ?? '',
    additionalData: toDataRecord(i.additionalData),
  });
}

/**
 * Builds a frozen {@link CompressionMetric}. When the ratio is 0 or omitted and `originalSize > 0`, the ratio is
 * `compressedSize / originalSize`; a non-zero ratio is kept as given; original 0 with ratio 0 stays 0.
 */
export function createCompressionMetric(i: CompressionMetricInput): CompressionMetric {
  const given = i.compressionRatio ?? 0;
  const compressionRatio = given === 0 && i.originalSize > 0 ? i.compressedSize / i.originalSize : given;
  return Object.freeze({
    originalSize: i.originalSize,
    compressedSize: i.compressedSize,
    compressionRatio,
    compressionTimeMs: i.compressionTimeMs,
    timestamp: i.timestamp,
    operationType: i.operationType ?? '',
  });
}

/** Builds a frozen {@link MemoryUsageMetric}; defaults: warningThresholdReached false, additionalData {}. */
export function createMemoryUsageMetric(i: MemoryUsageMetricInput): MemoryUsageMetric {
  return Object.freeze({
    totalCacheSizeBytes: i.totalCacheSizeBytes,
    cacheEntryCount: i.cacheEntryCount,
    avgEntrySizeBytes: i.avgEntrySizeBytes,
    memoryCacheSizeBytes: i.memoryCacheSizeBytes,
    memoryCacheEntryCount: i.memoryCacheEntryCount,
    processMemoryMb: i.processMemoryMb,
    timestamp: i.timestamp,
    cacheUtilizationPercent: i.cacheUtilizationPercent,
    warningThresholdReached: i.warningThresholdReached ?? false,
    additionalData: toDataRecord(i.additionalData),
  });
}

/** Builds a frozen {@link InvalidationMetric}; defaults: invalidationType '', operationContext '', additionalData {}. */
export function createInvalidationMetric(i: InvalidationMetricInput): InvalidationMetric {
  return Object.freeze({
    pattern: i.pattern,
    keysInvalidated: i.keysInvalidated,
    durationMs: i.durationMs,
    timestamp: i.timestamp,
    invalidationType: i.invalidationType ?? '',
    operationContext: i.operationContext ?? '',
    additionalData: toDataRecord(i.additionalData),
  });
}
