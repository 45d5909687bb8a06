import { isConfigurationError, systemClock } from '@cache/core';
import { describe, expect, it } from 'vitest';
import { CachePerformanceMonitor } from '../src/index.js';
import { makeMonitor, MIB } from './helpers.js';

describe('construction', () => {
  it('applies the documented defaults and starts empty', () => {
    const m = new CachePerformanceMonitor();
    expect(m.retentionHours).toBe(1);
    expect(m.maxMeasurements).toBe(1000);
    expect(m.memoryWarningThresholdBytes).toBe(50 * MIB);
    expect(m.memoryCriticalThresholdBytes).toBe(100 * MIB);
    expect(m.keyGenerationThresholdMs).toBe(100);
    expect(m.cacheOperationThresholdMs).toBe(50);
    expect(m.invalidationRateWarningPerHour).toBe(50);
    expect(m.invalidationRateCriticalPerHour).toBe(100);
    expect([m.cacheHits, m.cacheMisses, m.totalOperations, m.totalInvalidations, m.totalKeysInvalidated]).toEqual([0, 0, 0, 0, 0]);
    expect(m.keyGenerationTimes).toEqual([]);
    expect(m.cacheOperationTimes).toEqual([]);
    expect(m.compressionRatios).toEqual([]);
    expect(m.memoryUsageMeasurements).toEqual([]);
    expect(m.invalidationEvents).toEqual([]);
  });

  it('keeps custom values exactly', () => {
    const m = new CachePerformanceMonitor({
      retentionHours: 24,
      maxMeasurements: 10000,
      memoryWarningThresholdBytes: 1024,
      memoryCriticalThresholdBytes: 2048,
      keyGenerationThresholdMs: 7,
      cacheOperationThresholdMs: 3,
      invalidationRateWarningPerHour: 10,
      invalidationRateCriticalPerHour: 15,
    });
    expect([m.retentionHours, m.maxMeasurements, m.memoryWarningThresholdBytes, m.memoryCriticalThresholdBytes]).toEqual([
      24, 10000, 1024, 2048,
    ]);
    expect([m.keyGenerationThresholdMs, m.cacheOperationThresholdMs]).toEqual([7, 3]);
    expect([m.invalidationRateWarningPerHour, m.invalidationRateCriticalPerHour]).toEqual([10, 15]);
  });

  it('accepts fractional retention and equal warning/critical thresholds', () => {
    expect(new CachePerformanceMonitor({ retentionHours: 0.001 }).retentionHours).toBe(0.001);
    const m = new CachePerformanceMonitor({ memoryWarningThresholdBytes: 5, memoryCriticalThresholdBytes: 5, keyGenerationThresholdMs: 0 });
    expect(m.memoryCriticalThresholdBytes).toBe(5);
    expect(m.keyGenerationThresholdMs).toBe(0);
  });

  it('treats options passed as undefined as omitted', () => {
    const m = new CachePerformanceMonitor({ retentionHours: undefined, clock: undefined, maxMeasurements: undefined });
    expect(m.retentionHours).toBe(1);
    expect(m.maxMeasurements).toBe(1000);
  });

  it('reads time from the system clock by default', () => {
    const m = new CachePerformanceMonitor({ logger: makeMonitor().log.logger });
    const before = systemClock.now();
    m.recordKeyGenerationTime(1, 1);
    const at = m.keyGenerationTimes[0]?.timestamp ?? 0;
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(systemClock.now());
  });
});

describe('option validation', () => {
  const bad: Array<[string, Record<string, unknown>]> = [
    ['retentionHours', { retentionHours: 0 }],
    ['retentionHours', { retentionHours: -1 }],
    ['retentionHours', { retentionHours: Number.NaN }],
    ['retentionHours', { retentionHours: Number.POSITIVE_INFINITY }],
    ['retentionHours', { retentionHours: '1' }],
    ['retentionHours', { retentionHours: null }],
    ['maxMeasurements', { maxMeasurements: 0 }],
    ['maxMeasurements', { maxMeasurements: 1.5 }],
    ['maxMeasurements', { maxMeasurements: -3 }],
    ['memoryCacheMaxEntries', { memoryCacheMaxEntries: 0 }],
    ['memoryWarningThresholdBytes', { memoryWarningThresholdBytes: -1 }],
    ['memoryCriticalThresholdBytes', { memoryCriticalThresholdBytes: Number.NaN }],
    ['keyGenerationThresholdMs', { keyGenerationThresholdMs: Number.POSITIVE_INFINITY }],
    ['cacheOperationThresholdMs', { cacheOperationThresholdMs: -0.5 }],
    ['invalidationRateWarningPerHour', { invalidationRateWarningPerHour: -1 }],
    ['invalidationRateCriticalPerHour', { invalidationRateCriticalPerHour: 'many' }],
    ['memoryWarningThresholdBytes', { memoryWarningThresholdBytes: 2048, memoryCriticalThresholdBytes: 1024 }],
    ['invalidationRateWarningPerHour', { invalidationRateWarningPerHour: 20, invalidationRateCriticalPerHour: 10 }],
    ['clock', { clock: {} }],
    ['logger', { logger: { warn: () => undefined } }],
    ['processMemoryBytes', { processMemoryBytes: 5 }],
    ['sizeOf', { sizeOf: 'estimate' }],
  ];

  it.each(bad)('rejects a bad %s with ConfigurationError INVALID_CONFIGURATION naming it', (option, options) => {
    let caught: unknown;
    try {
      new CachePerformanceMonitor(options as never);
    } catch (error) {
      caught = error;
    }
    expect(isConfigurationError(caught)).toBe(true);
    expect((caught as { code: string }).code).toBe('INVALID_CONFIGURATION');
    expect((caught as Error).message).toContain(option);
    expect((caught as { context: { option: string } }).context.option).toBe(option);
  });

  it('rejects options that are not an object', () => {
    expect(() => new CachePerformanceMonitor(42 as never)).toThrow(/options/);
  });
});
