import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cacheValidator, createCacheConfig, validateCacheConfig } from '../src/index.js';

const base = { strategy: 'balanced' };
const errorsOf = (c: unknown) => cacheValidator.validateConfiguration(c).errors;
const warningsOf = (c: unknown) => cacheValidator.validateConfiguration(c).warnings;

describe('V2 numeric ranges at both bounds', () => {
  const fields = [
    ['maxConnections', 1, 100],
    ['connectionTimeout', 1, 60],
    ['defaultTtl', 60, 86400],
    ['compressionLevel', 1, 9],
    ['memoryCacheSize', 1, 10000],
    ['compressionThreshold', 0, 1048576],
  ] as const;

  it.each(fields)('%s accepts %i and %i', (field, min, max) => {
    expect(errorsOf({ ...base, [field]: min })).toEqual([]);
    expect(errorsOf({ ...base, [field]: max })).toEqual([]);
  });

  it.each(fields.flatMap(([f, min, max]) => [[f, min, max, min - 1], [f, min, max, max + 1], [f, min, max, min + 0.5]] as const))(
    '%s (range %i..%i) rejects %d with a message naming field, range and value',
    (field, min, max, value) => {
      const r = cacheValidator.validateConfiguration({ ...base, [field]: value });
      expect(r.isValid).toBe(false);
      expect(r.errors[0]).toContain(`${field} must be an integer between ${min} and ${max}`);
      expect(r.errors[0]).toContain(`got ${value}`);
      expect(r.messages[0]?.fieldPath).toBe(field);
    },
  );

  it.each([
    ['maxConnections', '5'],
    ['maxConnections', true],
    ['compressionLevel', null],
    ['memoryCacheSize', Number.NaN],
    ['compressionThreshold', Number.POSITIVE_INFINITY],
  ])('%s rejects the non-integer %o', (field, value) => {
    expect(errorsOf({ ...base, [field]: value })).toEqual([expect.stringContaining(`${field} must be an integer between`)]);
  });

  it('property: every integer in range is accepted and every integer outside is rejected (maxConnections)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), (n) => {
        const ok = n >= 1 && n <= 100;
        return (errorsOf({ ...base, maxConnections: n }).length === 0) === ok;
      }),
    );
  });

  it('l1CacheSize is an alias of memoryCacheSize; cacheStrategy of strategy', () => {
    expect(errorsOf({ cacheStrategy: 'fast', l1CacheSize: 5 })).toEqual([]);
    expect(errorsOf({ cacheStrategy: 'fast', l1CacheSize: 0 })).toEqual([expect.stringContaining('memoryCacheSize must be an integer between 1 and 10000, got 0')]);
  });

  it('durations accept human strings and are range-checked after normalising', () => {
    expect(errorsOf({ ...base, defaultTtl: '1h', connectionTimeout: '30s' })).toEqual([]);
    expect(errorsOf({ ...base, defaultTtl: '2d' })).toEqual([expect.stringContaining('defaultTtl must be an integer between 60 and 86400 (seconds, or a duration')]);
    expect(errorsOf({ ...base, defaultTtl: 'soon' })).toEqual([expect.stringContaining('got "soon"')]);
  });
});

describe('V2 enums, strategy, URL and AI fields', () => {
  it('strategy missing → error naming strategy', () => {
    expect(errorsOf({})).toEqual(['strategy is required (one of fast, balanced, robust, ai_optimized)']);
  });

  it('an unknown strategy or logLevel is rejected with the allowed values', () => {
    expect(errorsOf({ strategy: 'turbo', logLevel: 'TRACE' })).toEqual([
      'strategy must be one of fast, balanced, robust, ai_optimized, got "turbo"',
      'logLevel must be one of DEBUG, INFO, WARNING, ERROR, got "TRACE"',
    ]);
  });

  it('a non-object is rejected', () => {
    expect(errorsOf('fast')).toEqual([expect.stringContaining('configuration must be an object, got "fast"')]);
  });

  it.each(['redis://h:6379', 'rediss://h:6380/2', '', null])('redisUrl %o is accepted', (url) => {
    expect(errorsOf({ ...base, redisUrl: url })).toEqual([]);
  });

  it.each(['http://h:1', 'localhost:6379', 'REDIS://h'])('redisUrl %o → "Invalid Redis URL format"', (url) => {
    expect(errorsOf({ ...base, redisUrl: url })).toEqual([expect.stringContaining('Invalid Redis URL format')]);
  });

  it('a password in an invalid URL is masked in the message', () => {
    const [msg] = errorsOf({ ...base, redisUrl: 'http://user:topsecret@h:1' });
    expect(msg).toContain('http://user:***@h:1');
    expect(msg).not.toContain('topsecret');
  });

  it('AI fields are only checked when AI is on', () => {
    expect(errorsOf({ ...base, enableAiCache: false, ai: { textHashThreshold: -5 } })).toEqual([]);
  });

  it('AI on without an ai section takes the P3 defaults and is valid', () => {
    expect(errorsOf({ ...base, enableAiCache: true })).toEqual([]);
  });

  it.each([
    [{ textHashThreshold: 0 }, 'ai.textHashThreshold must be an integer between 1 and 100000, got 0'],
    [{ textHashThreshold: 100001 }, 'ai.textHashThreshold must be an integer between 1 and 100000, got 100001'],
    [{ maxTextLength: 0 }, 'ai.maxTextLength must be a positive integer, got 0'],
    [{ hashAlgorithm: 'sha1' }, 'ai.hashAlgorithm must be one of sha256, md5, got "sha1"'],
    [{ textSizeTiers: { small: 1, medium: 2 } }, 'ai.textSizeTiers must contain small < medium < large'],
    [{ textSizeTiers: { small: 3, medium: 2, large: 1 } }, 'ai.textSizeTiers must contain small < medium < large'],
    [{ textSizeTiers: { small: 0, medium: 2, large: 3 } }, 'ai.textSizeTiers.small must be a positive integer, got 0'],
    [{ operationTtls: { qa: 0 } }, 'ai.operationTtls.qa must be an integer between 1 and 31536000'],
    [{ operationTtls: { qa: 31536001 } }, 'got 31536001'],
    [{ enableSmartPromotion: 'yes' }, 'ai.enableSmartPromotion must be a boolean, got "yes"'],
  ])('AI on: %o → %s', (ai, message) => {
    expect(errorsOf({ ...base, enableAiCache: true, ai })).toEqual([expect.stringContaining(message)]);
  });

  it('AI bounds are accepted at the edges', () => {
    expect(errorsOf({ ...base, ai: { textHashThreshold: 1, maxTextLength: 1, operationTtls: { a: 1, b: 31536000 } } })).toEqual([]);
    expect(errorsOf({ ...base, ai: { textHashThreshold: 100000 } })).toEqual([]);
  });

  it('flat AI fields (factory-options shape) are validated too', () => {
    expect(errorsOf({ ...base, enableAiCache: true, textHashThreshold: 0 })).toEqual([expect.stringContaining('ai.textHashThreshold')]);
  });
});

describe('V3 warnings, each triggered and not triggered', () => {
  it.each([
    ['useTls with a redis:// URL', { useTls: true, redisUrl: 'redis://h:1' }, { useTls: true, redisUrl: 'rediss://h:1' }, 'does not use rediss://'],
    ['password without TLS', { redisUrl: 'redis://h:1', redisPassword: 'pw' }, { redisUrl: 'rediss://h:1', redisPassword: 'pw' }, 'plain text'],
    ['very low textHashThreshold', { ai: { textHashThreshold: 99 } }, { ai: { textHashThreshold: 100 } }, 'very low'],
    ['many connections with a short timeout', { maxConnections: 51, connectionTimeout: 9 }, { maxConnections: 51, connectionTimeout: 10 }, 'connectionTimeout'],
    ['tiers not ascending in key order', { ai: { textSizeTiers: { small: 1, medium: 2, large: 3, tiny: 2 } } }, { ai: { textSizeTiers: { small: 1, medium: 2, large: 3, huge: 4 } } }, 'not ascending'],
    ['operation TTL longer than a week', { ai: { operationTtls: { qa: 604801 } } }, { ai: { operationTtls: { qa: '1w' } } }, 'longer than a week'],
  ])('%s', (_name, triggering, quiet, text) => {
    expect(warningsOf({ ...base, ...triggering })).toEqual([expect.stringContaining(text)]);
    expect(warningsOf({ ...base, ...quiet })).toEqual([]);
    expect(cacheValidator.validateConfiguration({ ...base, ...triggering }).isValid).toBe(
      cacheValidator.validateConfiguration({ ...base, ...quiet }).isValid,
    );
  });

  it('password with useTls but a redis:// URL warns about the URL only', () => {
    expect(warningsOf({ ...base, useTls: true, redisUrl: 'redis://h:1', redisPassword: 'pw' })).toEqual([expect.stringContaining('rediss://')]);
  });
});

describe('validateCacheConfig: TLS files (V4) and production URL', () => {
  const tls = createCacheConfig({ useTls: true, redisUrl: 'rediss://h:1', tlsCertPath: '/etc/cert.pem', tlsKeyPath: '/etc/key.pem' });
  const none = () => false;

  it('missing files are errors in production', () => {
    const r = validateCacheConfig({ ...tls, environment: 'production' }, { fileExists: none });
    expect(r.errors).toEqual(['TLS certificate file not found: /etc/cert.pem', 'TLS key file not found: /etc/key.pem']);
    expect(r.messages[0]).toMatchObject({ fieldPath: 'tlsCertPath', context: { file_path: '/etc/cert.pem' } });
  });

  it.each(['development', 'staging', 'testing'])('missing files are warnings in %s', (environment) => {
    const r = validateCacheConfig({ ...tls, environment }, { fileExists: none });
    expect(r.isValid).toBe(true);
    expect(r.warnings).toEqual(['TLS certificate file not found: /etc/cert.pem', 'TLS key file not found: /etc/key.pem']);
  });

  it('existing files pass; the probe sees each path', () => {
    const seen: string[] = [];
    const r = validateCacheConfig({ ...tls, environment: 'production' }, { fileExists: (p) => (seen.push(p), true) });
    expect(r.messages).toEqual([]);
    expect(seen).toEqual(['/etc/cert.pem', '/etc/key.pem']);
  });

  it('without useTls the files are not checked', () => {
    const seen: string[] = [];
    validateCacheConfig({ ...tls, useTls: false, environment: 'production' }, { fileExists: (p) => (seen.push(p), false) });
    expect(seen).toEqual([]);
  });

  it('a plain redis:// URL is an error in production only, naming the allowed scheme', () => {
    const plain = createCacheConfig({ redisUrl: 'redis://h:1', environment: 'production' });
    expect(validateCacheConfig(plain).errors).toEqual(['redisUrl must use TLS (rediss://) in production, got "redis://h:1"; allowed: rediss://host:port']);
    expect(validateCacheConfig({ ...plain, environment: 'staging' }).errors).toEqual([]);
  });

  it('validationType is configuration', () => {
    expect(validateCacheConfig(createCacheConfig()).validationType).toBe('configuration');
  });
});
