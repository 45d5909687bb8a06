import { describe, expect, it } from 'vitest';
import { MAX_TTL_SECONDS, assertStorableValue, assertValidKey, parseDuration, resolveTtlSeconds } from '../src/index.js';
import { CONTRACT_VALID_KEYS } from '../src/testing.js';

function thrown(fn: () => unknown): { name?: string; code?: string; context?: unknown } {
  try {
    fn();
  } catch (e) {
    return e as { name: string; code: string; context: unknown };
  }
  throw new Error('expected a throw');
}

describe('assertValidKey', () => {
  it.each(CONTRACT_VALID_KEYS)('accepts %s', (key) => {
    expect(() => assertValidKey(key)).not.toThrow();
  });

  it.each([
    ['', 'empty string'],
    [123, 'number'],
    [undefined, 'undefined'],
    [null, 'null'],
  ])('rejects %o with INVALID_KEY and names the key type', (key, keyType) => {
    const e = thrown(() => assertValidKey(key));
    expect(e).toMatchObject({ name: 'ValidationError', code: 'INVALID_KEY', context: { key_type: keyType } });
  });

  it.each([
    ['a lone high surrogate', 'a\uD800'],
    ['a lone low surrogate', 'a\uDFFF'],
    ['a reversed pair', '\uDC00\uD800'],
    ['a lone surrogate at the start', '\uD83Dx'],
  ])('rejects a key with %s (UTF-8 cannot carry it, distinct keys would collapse)', (_label, key) => {
    const e = thrown(() => assertValidKey(key));
    expect(e).toMatchObject({ name: 'ValidationError', code: 'INVALID_KEY', context: { key_type: 'ill-formed string' } });
    expect(String((e as { message?: string }).message)).toMatch(/lone surrogate/);
  });

  it('accepts well-formed surrogate pairs (emoji, astral characters)', () => {
    expect(() => assertValidKey('rocket:🚀:𝔘')).not.toThrow();
  });
});

describe('parseDuration', () => {
  it.each([
    ['250ms', 's', 0.25],
    ['250ms', 'ms', 250],
    ['90s', 's', 90],
    ['90s', 'ms', 90_000],
    ['10m', 's', 600],
    ['1h30m', 's', 5400],
    ['1h 30m 15s', 's', 5415],
    ['2d', 's', 172_800],
    ['1w', 's', 604_800],
    ['1m500ms', 'ms', 60_500],
    ['45', 's', 45],
    [' 45 ', 'ms', 45],
    [1.5, 's', 1.5],
    [200, 'ms', 200],
  ] as const)('%j in %s → %d', (input, unit, expected) => {
    expect(parseDuration(input, unit)).toBe(expected);
  });

  it('defaults to seconds', () => {
    expect(parseDuration('2m')).toBe(120);
  });

  it.each(['', 'soon', '1.5h', '10 minutes', 'h1', '-5', '1H', '5 ms x', null, true, {}, undefined])('%j is not a duration', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });
});

describe('resolveTtlSeconds', () => {
  it('uses the default for undefined and null, and whole seconds within range as given', () => {
    expect(resolveTtlSeconds(undefined, 3600)).toBe(3600);
    expect(resolveTtlSeconds(null, 120)).toBe(120);
    expect(resolveTtlSeconds(30, 3600)).toBe(30);
    expect(resolveTtlSeconds(1, 3600)).toBe(1);
    expect(resolveTtlSeconds(31_536_000, 3600)).toBe(MAX_TTL_SECONDS);
  });

  it('accepts duration strings that are whole seconds in range', () => {
    expect(resolveTtlSeconds('90s', 3600)).toBe(90);
    expect(resolveTtlSeconds('10m', 3600)).toBe(600);
    expect(resolveTtlSeconds('1h30m', 3600)).toBe(5400);
    expect(resolveTtlSeconds('2000ms', 3600)).toBe(2);
    expect(resolveTtlSeconds('1w', 3600)).toBe(604_800);
    expect(resolveTtlSeconds('365d', 3600)).toBe(MAX_TTL_SECONDS);
    expect(resolveTtlSeconds('10', 3600)).toBe(10);
  });

  it('accepts SetOptions: { ttl } read once, an absent or null ttl meaning the default', () => {
    expect(resolveTtlSeconds({ ttl: 30 }, 3600)).toBe(30);
    expect(resolveTtlSeconds({ ttl: '5m' }, 3600)).toBe(300);
    expect(resolveTtlSeconds({}, 3600)).toBe(3600);
    expect(resolveTtlSeconds({ ttl: null }, 3600)).toBe(3600);
    let reads = 0;
    const options = {
      get ttl() {
        reads++;
        return reads === 1 ? 60 : 0;
      },
    };
    expect(resolveTtlSeconds(options, 3600)).toBe(60);
    expect(reads).toBe(1);
  });

  it.each(['500ms', '1500ms', '0s', '366d', '1.5m', 'soon', '', { ttl: 0 }, { ttl: '1.5s' }, { ttl: {} }, [], new Date(0)])(
    'rejects %j with INVALID_TTL (not whole seconds in range)',
    (ttl) => {
      expect(thrown(() => resolveTtlSeconds(ttl, 3600))).toMatchObject({ name: 'ValidationError', code: 'INVALID_TTL' });
    },
  );

  it.each([0, -1, 0.5, 31_536_001, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '-10', true, () => 1])(
    'rejects %o with INVALID_TTL',
    (ttl) => {
      const e = thrown(() => resolveTtlSeconds(ttl, 3600));
      expect(e).toMatchObject({ name: 'ValidationError', code: 'INVALID_TTL' });
      expect(e.context).toHaveProperty('ttl');
    },
  );
});

describe('assertStorableValue', () => {
  it.each([null, undefined])('rejects %o with INVALID_VALUE', (v) => {
    expect(thrown(() => assertStorableValue(v))).toMatchObject({ code: 'INVALID_VALUE' });
  });

  it.each([0, '', false, [], {}, { a: null }])('accepts %o', (v) => {
    expect(() => assertStorableValue(v)).not.toThrow();
  });
});
