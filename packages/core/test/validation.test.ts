import { describe, expect, it } from 'vitest';
import { MAX_TTL_SECONDS, assertStorableValue, assertValidKey, resolveTtlSeconds } from '../src/index.js';
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
});

describe('resolveTtlSeconds', () => {
  it('uses the default for undefined and null, and whole seconds within range as given', () => {
    expect(resolveTtlSeconds(undefined, 3600)).toBe(3600);
    expect(resolveTtlSeconds(null, 120)).toBe(120);
    expect(resolveTtlSeconds(30, 3600)).toBe(30);
    expect(resolveTtlSeconds(1, 3600)).toBe(1);
    expect(resolveTtlSeconds(31_536_000, 3600)).toBe(MAX_TTL_SECONDS);
  });

  it.each([0, -1, 0.5, 31_536_001, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '10', true, {}])(
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
