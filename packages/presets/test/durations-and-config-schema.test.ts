import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { AI_DEFAULTS, cacheConfigSchema, createCacheConfig, parseDuration, type CacheConfig, type CacheConfigInput } from '../src/index.js';
import { thrown } from './support.js';

describe('parseDuration (durations at the input edge)', () => {
  it.each([
    [600, 600],
    ['600', 600],
    [' 45 ', 45],
    ['90s', 90],
    ['10m', 600],
    ['1h', 3600],
    ['1h30m', 5400],
    ['1h 30m 15s', 5415],
    ['2d', 172800],
    ['1w', 604800],
    [0.5, 0.5],
    ['500ms', 0.5],
  ] as const)('%o → %d seconds', (input, seconds) => {
    expect(parseDuration(input)).toBe(seconds);
  });

  it.each(['', 'soon', '1.5h', '10 minutes', 'h1', '-5', '1H', null, true, {}])('%o is not a duration', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it('property: <n><unit> equals n × unit seconds, and parts add up', () => {
    const unit = fc.constantFrom(['s', 1], ['m', 60], ['h', 3600], ['d', 86400], ['w', 604800]);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(1000), unit), { minLength: 1, maxLength: 4 }), (parts) => {
        const text = parts.map(([n, [u]]) => `${n}${u}`).join(' ');
        return parseDuration(text) === parts.reduce((sum, [n, [, s]]) => sum + n * s, 0);
      }),
    );
  });
});

describe('durations in createCacheConfig', () => {
  it('normalises defaultTtl, connectionTimeout and AI operation TTLs once', () => {
    const c = createCacheConfig({ defaultTtl: '10m', connectionTimeout: '5s', ai: { operationTtls: { qa: '1h', summarize: 120 } } });
    expect(c.defaultTtl).toBe(600);
    expect(c.connectionTimeout).toBe(5);
    expect(c.ai?.operationTtls).toEqual({ qa: 3600, summarize: 120 });
  });

  it('an unparseable duration → ValidationError INVALID_DURATION naming the field and value', () => {
    const e = thrown(() => createCacheConfig({ defaultTtl: 'forever' }));
    expect(e.name).toBe('ValidationError');
    expect(e.code).toBe('INVALID_DURATION');
    expect(e.message).toBe(`defaultTtl must be whole seconds or a duration such as '10m', got "forever"`);
    expect(e.context).toEqual({ field: 'defaultTtl', value: '"forever"' });
  });

  it('does no range checks (out-of-range numbers are kept for the validator)', () => {
    expect(createCacheConfig({ maxConnections: 0, defaultTtl: 5 })).toMatchObject({ maxConnections: 0, defaultTtl: 5 });
  });
});

describe('cacheConfigSchema (zod) directly', () => {
  it('a sub-second duration is refused where whole seconds are required', () => {
    expect(cacheConfigSchema.safeParse({ strategy: 'fast', defaultTtl: '500ms' }).success).toBe(false);
    expect(cacheConfigSchema.safeParse({ strategy: 'fast', connectionTimeout: '1500ms' }).success).toBe(false);
    expect(cacheConfigSchema.safeParse({ strategy: 'fast', connectionTimeout: '2000ms' }).success).toBe(true);
  });

  it('parses a minimal input into a full frozen config with durations normalised', () => {
    const c = cacheConfigSchema.parse({ strategy: 'fast', defaultTtl: '15m', enableAiCache: true });
    expect(c).toEqual(createCacheConfig({ strategy: 'fast', defaultTtl: 900, enableAiCache: true }));
    expect(c.ai).toEqual(AI_DEFAULTS);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('accepts the aliases and enforces the AI invariant', () => {
    const c = cacheConfigSchema.parse({ cacheStrategy: 'robust', l1CacheSize: 42, enableAiCache: false, ai: { textHashThreshold: 5 } });
    expect(c).toMatchObject({ strategy: 'robust', memoryCacheSize: 42, enableAiCache: false, ai: null });
  });

  it('rejects out-of-range values with issues whose path names the field', () => {
    const r = cacheConfigSchema.safeParse({ strategy: 'fast', compressionLevel: 0 });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['compressionLevel', 'must be an integer between 1 and 9, got 0']]);
  });
});

describe('types derived from the zod schemas', () => {
  it('CacheConfig holds normalised numbers, readonly; CacheConfigInput accepts duration strings', () => {
    expectTypeOf<CacheConfig['defaultTtl']>().toEqualTypeOf<number>();
    expectTypeOf<CacheConfig['strategy']>().toEqualTypeOf<'fast' | 'balanced' | 'robust' | 'ai_optimized'>();
    expectTypeOf<CacheConfig['logLevel']>().toEqualTypeOf<'DEBUG' | 'INFO' | 'WARNING' | 'ERROR'>();
    expectTypeOf<CacheConfigInput['defaultTtl']>().toEqualTypeOf<string | number | undefined>();
    expectTypeOf<NonNullable<CacheConfig['ai']>['operationTtls']>().toEqualTypeOf<Readonly<Record<string, number>>>();
    const c = createCacheConfig();
    expect(() => {
      // @ts-expect-error configs are readonly (and frozen at runtime)
      c.maxConnections = 3;
    }).toThrow(TypeError);
  });
});
