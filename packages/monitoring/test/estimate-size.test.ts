import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateSize } from '../src/index.js';

describe('estimateSize', () => {
  it('follows the anchor values', () => {
    expect(estimateSize({})).toBe(64);
    expect(estimateSize('')).toBe(40);
    expect(estimateSize('abc')).toBe(43);
    expect(estimateSize('é')).toBe(42);
    expect(estimateSize(1.5)).toBe(16);
    expect(estimateSize(10n)).toBe(16);
    expect(estimateSize(true)).toBe(8);
    expect(estimateSize(null)).toBe(8);
    expect(estimateSize(undefined)).toBe(8);
    expect(estimateSize([])).toBe(40);
    expect(estimateSize([1, 'a'])).toBe(40 + 16 + 16 + 41);
    expect(estimateSize({ key1: 'value1' })).toBe(64 + 44 + 46);
    expect(estimateSize(new Map([[1, 'a']]))).toBe(64 + 41 + 41);
    expect(estimateSize(new Uint8Array(100))).toBe(140);
    expect(estimateSize(Buffer.alloc(10))).toBe(50);
    expect(estimateSize(new Date(0))).toBe(24);
    expect(estimateSize(() => 1)).toBe(16);
    expect(estimateSize(Symbol('s'))).toBe(16);
    expect(estimateSize(new (class Thing {})())).toBe(16);
    expect(estimateSize(Object.create(null))).toBe(64);
  });

  it('falls in the required ranges', () => {
    const inRange = (v: unknown, lo: number, hi: number) => {
      const s = estimateSize(v);
      expect(s).toBeGreaterThanOrEqual(lo);
      expect(s).toBeLessThanOrEqual(hi);
    };
    inRange({ key1: 'value1' }, 50, 750);
    inRange({ long: 'x'.repeat(1000), short: 'y' }, 1000, 3000);
    inRange(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'z'.repeat(700)])), 5000, 15000);
    inRange({ big: Array.from({ length: 100 }, () => 'w'.repeat(10000)) }, 500_000, 3_000_000);
  });

  it('counts a cyclic or shared object once and terminates', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = a;
    expect(estimateSize(a)).toBe(64 + (40 + 1) + 16 + (40 + 4));
    const shared = { v: 'abc' };
    expect(estimateSize([shared, shared])).toBe(40 + 16 + estimateSize(shared));
  });

  it('survives very deep nesting and throwing getters', () => {
    let deep: unknown[] = [];
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(estimateSize(deep)).toBe(200_001 * 40 + 200_000 * 8);
    const hostile = {
      get boom(): never {
        throw new Error('no');
      },
    };
    expect(() => estimateSize(hostile)).not.toThrow();
  });

  it('is deterministic and never throws for arbitrary values (property)', () => {
    fc.assert(
      fc.property(fc.anything({ withMap: true, withSet: true, withBigInt: true, withDate: true, withTypedArray: true }), (v) => {
        const first = estimateSize(v);
        expect(Number.isFinite(first)).toBe(true);
        expect(estimateSize(v)).toBe(first);
      }),
    );
  });
});
