import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createCompressionMetric,
  createInvalidationMetric,
  createMemoryUsageMetric,
  createPerformanceMetric,
} from '../src/index.js';

describe('metric creators', () => {
  it('fill the documented defaults, also for fields passed as undefined', () => {
    expect(createPerformanceMetric({ durationMs: 1, timestamp: 2 })).toEqual({
      durationMs: 1,
      textLength: 0,
      timestamp: 2,
      operationType: '',
      additionalData: {},
    });
    expect(createPerformanceMetric({ durationMs: 1, timestamp: 2, textLength: undefined }).textLength).toBe(0);
    const memory = createMemoryUsageMetric({
      totalCacheSizeBytes: 1,
      cacheEntryCount: 1,
      avgEntrySizeBytes: 1,
      memoryCacheSizeBytes: 1,
      memoryCacheEntryCount: 1,
      processMemoryMb: 1,
      timestamp: 1,
      cacheUtilizationPercent: 1,
    });
    expect(memory.warningThresholdReached).toBe(false);
    expect(memory.additionalData).toEqual({});
    const inv = createInvalidationMetric({ pattern: 'p', keysInvalidated: 1, durationMs: 1, timestamp: 1 });
    expect([inv.invalidationType, inv.operationContext, inv.additionalData]).toEqual(['', '', {}]);
    expect(createCompressionMetric({ originalSize: 1, compressedSize: 1, compressionTimeMs: 1, timestamp: 1 }).operationType).toBe('');
  });

  it('keep zero, negative and huge values as given', () => {
    for (const v of [0, -5, 1e300, Number.MAX_SAFE_INTEGER]) {
      const m = createPerformanceMetric({ durationMs: v, textLength: v, timestamp: v });
      expect([m.durationMs, m.textLength, m.timestamp]).toEqual([v, v, v]);
      const i = createInvalidationMetric({ pattern: '', keysInvalidated: v, durationMs: v, timestamp: v });
      expect([i.keysInvalidated, i.durationMs]).toEqual([v, v]);
    }
  });

  it('derive the compression ratio only when it is 0 or omitted and the original is positive', () => {
    const base = { compressionTimeMs: 1, timestamp: 1 };
    expect(createCompressionMetric({ ...base, originalSize: 4000, compressedSize: 1000 }).compressionRatio).toBe(0.25);
    expect(createCompressionMetric({ ...base, originalSize: 4000, compressedSize: 1000, compressionRatio: 0 }).compressionRatio).toBe(0.25);
    expect(createCompressionMetric({ ...base, originalSize: 4000, compressedSize: 1000, compressionRatio: 0.7 }).compressionRatio).toBe(0.7);
    expect(createCompressionMetric({ ...base, originalSize: 0, compressedSize: 0, compressionRatio: 0 }).compressionRatio).toBe(0);
    expect(createCompressionMetric({ ...base, originalSize: 0, compressedSize: 10 }).compressionRatio).toBe(0);
  });

  it('are frozen, including nested additional data', () => {
    const m = createPerformanceMetric({ durationMs: 1, timestamp: 1, additionalData: { a: { b: [1] } } });
    expect(Object.isFrozen(m)).toBe(true);
    expect(Object.isFrozen(m.additionalData)).toBe(true);
    expect(Object.isFrozen((m.additionalData.a as { b: unknown }).b)).toBe(true);
  });

  it('snapshot additional data so later caller mutations do not leak in', () => {
    const extra: Record<string, unknown> = { tier: 'l1', nested: { n: 1 } };
    const m = createPerformanceMetric({ durationMs: 1, timestamp: 1, additionalData: extra });
    extra.tier = 'redis';
    (extra.nested as { n: number }).n = 2;
    expect(m.additionalData).toEqual({ tier: 'l1', nested: { n: 1 } });
  });

  it('turn non-JSON additional data into JSON data (bigint, dates, cycles, undefined, functions)', () => {
    const cyclic: Record<string, unknown> = { name: 'c' };
    cyclic.self = cyclic;
    const m = createPerformanceMetric({
      durationMs: 1,
      timestamp: 1,
      additionalData: {
        big: 10n,
        when: new Date(0),
        nan: Number.NaN,
        gone: undefined,
        fn: () => 1,
        list: [undefined, 1, null],
        cyclic,
      },
    });
    expect(m.additionalData).toEqual({
      big: '10',
      when: '1970-01-01T00:00:00.000Z',
      nan: null,
      list: [null, 1, null],
      cyclic: { name: 'c', self: '[Circular]' },
    });
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });

  it('can be rebuilt from their own JSON (property)', () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    const num = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(num, fc.integer({ min: 0, max: 2 ** 45 }), fc.string(), fc.dictionary(fc.string(), json), (d, t, op, data) => {
        const m = createPerformanceMetric({ durationMs: d, textLength: 3, timestamp: t, operationType: op, additionalData: data });
        const rebuilt = createPerformanceMetric(JSON.parse(JSON.stringify(m)));
        expect(rebuilt).toEqual(JSON.parse(JSON.stringify(m)));
        const c = createCompressionMetric({ originalSize: Math.abs(d) + 1, compressedSize: 1, compressionTimeMs: 1, timestamp: t });
        expect(createCompressionMetric(JSON.parse(JSON.stringify(c)))).toEqual(c);
        const i = createInvalidationMetric({ pattern: op, keysInvalidated: 2, durationMs: 1, timestamp: t, additionalData: data });
        expect(createInvalidationMetric(JSON.parse(JSON.stringify(i)))).toEqual(JSON.parse(JSON.stringify(i)));
      }),
    );
  });
});
