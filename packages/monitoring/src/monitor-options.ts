import { ConfigurationError, defaultLogger, systemClock, type Clock, type Logger } from '@cache/core';
import { estimateSize } from './estimate-size.js';

/** Options of {@link CachePerformanceMonitor}; every field is optional. */
export interface CachePerformanceMonitorOptions {
  /** How long records are kept, in hours (fractions allowed). Default 1. */
  retentionHours?: number;
  /** Most records kept per series. Default 1000. */
  maxMeasurements?: number;
  /** Total cache size that raises a memory warning. Default 50 MiB. */
  memoryWarningThresholdBytes?: number;
  /** Total cache size that raises a critical memory alert. Default 100 MiB. */
  memoryCriticalThresholdBytes?: number;
  /** Key generation slower than this (strictly) logs a warning. Default 100 ms. */
  keyGenerationThresholdMs?: number;
  /** A cache operation slower than this (strictly) logs a warning. Default 50 ms. */
  cacheOperationThresholdMs?: number;
  /** Invalidations in the last hour that raise a warning. Default 50. */
  invalidationRateWarningPerHour?: number;
  /** Invalidations in the last hour that raise a critical alert. Default 100. */
  invalidationRateCriticalPerHour?: number;
  /** Memory-cache capacity used by the "almost full" info alert when a measurement gives none. Default 100. */
  memoryCacheMaxEntries?: number;
  /** Time source (epoch ms). Default the system clock. */
  clock?: Clock;
  /** Log sink. Default core's `defaultLogger` (warnings and errors). */
  logger?: Logger;
  /** Process memory in bytes. Default `process.memoryUsage().rss`. */
  processMemoryBytes?: () => number;
  /** Size estimator for memory measurements. Default {@link estimateSize}. */
  sizeOf?: (value: unknown) => number;
}

/** Options after defaults and validation. */
export type ResolvedMonitorOptions = Required<CachePerformanceMonitorOptions>;

const MIB = 1024 * 1024;

/** Applies defaults and validates; throws `ConfigurationError` (`INVALID_CONFIGURATION`) naming the bad option. */
export function resolveMonitorOptions(options: CachePerformanceMonitorOptions | undefined): ResolvedMonitorOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw invalid('options', 'must be an object when given', options);
  }
  const o = options ?? {};
  const resolved: ResolvedMonitorOptions = {
    retentionHours: or(o.retentionHours, 1),
    maxMeasurements: or(o.maxMeasurements, 1000),
    memoryWarningThresholdBytes: or(o.memoryWarningThresholdBytes, 50 * MIB),
    memoryCriticalThresholdBytes: or(o.memoryCriticalThresholdBytes, 100 * MIB),
    keyGenerationThresholdMs: or(o.keyGenerationThresholdMs, 100),
    cacheOperationThresholdMs: or(o.cacheOperationThresholdMs, 50),
    invalidationRateWarningPerHour: or(o.invalidationRateWarningPerHour, 50),
    invalidationRateCriticalPerHour: or(o.invalidationRateCriticalPerHour, 100),
    memoryCacheMaxEntries: or(o.memoryCacheMaxEntries, 100),
    clock: or(o.clock, systemClock),
    logger: or(o.logger, defaultLogger),
    processMemoryBytes: or(o.processMemoryBytes, () => process.memoryUsage().rss),
    sizeOf: or(o.sizeOf, estimateSize),
  };
  if (!isFiniteNumber(resolved.retentionHours) || resolved.retentionHours <= 0) {
    throw invalid('retentionHours', 'must be a finite number > 0', resolved.retentionHours);
  }
  requireInteger('maxMeasurements', resolved.maxMeasurements);
  requireInteger('memoryCacheMaxEntries', resolved.memoryCacheMaxEntries);
  for (const name of [
    'memoryWarningThresholdBytes',
    'memoryCriticalThresholdBytes',
    'keyGenerationThresholdMs',
    'cacheOperationThresholdMs',
    'invalidationRateWarningPerHour',
    'invalidationRateCriticalPerHour',
  ] as const) {
    const value = resolved[name];
    if (!isFiniteNumber(value) || value < 0) throw invalid(name, 'must be a finite number >= 0', value);
  }
  requireOrdered(resolved, 'memoryWarningThresholdBytes', 'memoryCriticalThresholdBytes');
  requireOrdered(resolved, 'invalidationRateWarningPerHour', 'invalidationRateCriticalPerHour');
  if (typeof resolved.clock?.now !== 'function') throw invalid('clock', 'must have a now() method', typeof resolved.clock);
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    if (typeof resolved.logger?.[level] !== 'function') {
      throw invalid('logger', `must have a ${level}() method`, typeof resolved.logger);
    }
  }
  if (typeof resolved.processMemoryBytes !== 'function') {
    throw invalid('processMemoryBytes', 'must be a function', typeof resolved.processMemoryBytes);
  }
  if (typeof resolved.sizeOf !== 'function') throw invalid('sizeOf', 'must be a function', typeof resolved.sizeOf);
  return resolved;
}

function or<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

/** True for a number that is neither NaN nor ±Infinity. */
export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function requireInteger(option: string, value: unknown): void {
  if (!Number.isSafeInteger(value) || (value as number) < 1) throw invalid(option, 'must be an integer >= 1', value);
}

function requireOrdered(
  o: ResolvedMonitorOptions,
  warning: 'memoryWarningThresholdBytes' | 'invalidationRateWarningPerHour',
  critical: 'memoryCriticalThresholdBytes' | 'invalidationRateCriticalPerHour',
): void {
  if (o[warning] > o[critical]) {
    throw new ConfigurationError(`Invalid monitor option ${warning}: must be <= ${critical} (got ${o[warning]} > ${o[critical]})`, {
      code: 'INVALID_CONFIGURATION',
      context: { option: warning, value: o[warning], [critical]: o[critical] },
    });
  }
}

function invalid(option: string, rule: string, value: unknown): ConfigurationError {
  const shown = typeof value === 'number' || typeof value === 'boolean' ? String(value) : typeof value;
  return new ConfigurationError(`Invalid monitor option ${option}: ${rule} (got ${shown})`, {
    code: 'INVALID_CONFIGURATION',
    context: { option, received: shown },
  });
}
