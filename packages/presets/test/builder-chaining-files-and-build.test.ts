import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AI_DEFAULTS, CACHE_PRESETS, CacheConfigBuilder, createCacheConfig, presetToCacheConfig } from '../src/index.js';
import { recordingLogger, thrown } from './support.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cache-presets-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const builder = () => new CacheConfigBuilder({ logger: recordingLogger() });

describe('chaining and isolation (B1)', () => {
  it('a new builder holds the createCacheConfig() defaults', () => {
    expect(builder().toJSON()).toEqual(createCacheConfig());
  });

  it('every with*/for*/from* returns the same builder and keeps earlier settings', () => {
    const b = builder();
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ maxConnections: 7 }));
    expect(b.forEnvironment('production')).toBe(b);
    expect(b.withRedis('rediss://h:1', { password: 'pw' })).toBe(b);
    expect(b.withSecurity({ tlsCertPath: '/c.pem' })).toBe(b);
    expect(b.withCompression({ level: 8 })).toBe(b);
    expect(b.withMemoryCache(300)).toBe(b);
    expect(b.withAiFeatures({ textHashThreshold: 2000 })).toBe(b);
    expect(b.fromFile(file)).toBe(b);
    expect(b.toJSON()).toMatchObject({
      environment: 'production', defaultTtl: 7200, redisUrl: 'rediss://h:1', redisPassword: 'pw', useTls: true,
      tlsCertPath: '/c.pem', compressionThreshold: 1000, compressionLevel: 8, memoryCacheSize: 300, maxConnections: 7,
      enableAiCache: true, ai: { ...AI_DEFAULTS, textHashThreshold: 2000 },
    });
    expect(b.fromEnvironment({ env: { CACHE_PRESET: 'minimal' } })).toBe(b);
  });

  it('builders never share state', () => {
    const a = builder().withMemoryCache(5);
    const b = builder();
    expect(a.toJSON().memoryCacheSize).toBe(5);
    expect(b.toJSON().memoryCacheSize).toBe(100);
  });
});

describe('forEnvironment (B2)', () => {
  it.each([
    ['development', 1800, 50, 2000, 4],
    ['testing', 60, 25, 1000, 1],
    ['production', 7200, 200, 1000, 6],
  ] as const)('%s → ttl %i, mem %i, threshold %i, level %i and environment set', (env, ttl, mem, thr, lvl) => {
    expect(builder().forEnvironment(env).toJSON()).toMatchObject({
      environment: env, defaultTtl: ttl, memoryCacheSize: mem, compressionThreshold: thr, compressionLevel: lvl,
    });
  });

  it.each(['staging', '', 'PRODUCTION', 'Development'])('%o → ValidationError naming it and the valid ones; state untouched', (env) => {
    const b = builder().withMemoryCache(77);
    const before = b.toJSON();
    const e = thrown(() => b.forEnvironment(env as 'production'));
    expect(e.name).toBe('ValidationError');
    expect(e.message).toContain(JSON.stringify(env));
    expect(e.message).toContain('development, testing, production');
    expect(e.context).toEqual({ provided_environment: env, valid_environments: ['development', 'testing', 'production'] });
    expect(b.toJSON()).toEqual(before);
  });
});

describe('withRedis / withSecurity / withCompression / withAiFeatures (B3)', () => {
  it('withRedis stores exactly what it gets; password null and TLS false when omitted; no URL check until validate()', () => {
    const b = builder().withRedis('rediss://h:1', { password: 'pw', useTls: true }).withRedis('not-a-url');
    expect(b.toJSON()).toMatchObject({ redisUrl: 'not-a-url', redisPassword: null, useTls: false });
    expect(b.validate().errors).toEqual([expect.stringContaining('Invalid Redis URL format')]);
  });

  it.each([
    [{ tlsCertPath: '/c.pem' }, '/c.pem', null, true],
    [{ tlsKeyPath: '/k.pem' }, null, '/k.pem', true],
    [{ tlsCertPath: '/c.pem', tlsKeyPath: '/k.pem' }, '/c.pem', '/k.pem', true],
    [{}, null, null, false],
  ])('withSecurity(%o) sets both paths and TLS on when either is given', (o, cert, key, tls) => {
    expect(builder().withSecurity(o).toJSON()).toMatchObject({ tlsCertPath: cert, tlsKeyPath: key, useTls: tls });
  });

  it('withCompression defaults to threshold 1000, level 6', () => {
    expect(builder().withCompression({ threshold: 5, level: 2 }).withCompression().toJSON()).toMatchObject({ compressionThreshold: 1000, compressionLevel: 6 });
  });

  it('withAiFeatures enables AI with P3 defaults overlaid by the options (durations normalised)', () => {
    const c = builder().withAiFeatures({ hashAlgorithm: 'md5', operationTtls: { qa: '15m' } }).build();
    expect(c.enableAiCache).toBe(true);
    expect(c.ai).toEqual({ ...AI_DEFAULTS, hashAlgorithm: 'md5', operationTtls: { qa: 900 } });
  });

  it('withAiFeatures() alone gives exactly the P3 defaults', () => {
    expect(builder().withAiFeatures().toJSON().ai).toEqual(AI_DEFAULTS);
  });

  it('withAiFeatures rejects unknown option names with context, leaving state unchanged', () => {
    const b = builder();
    const e = thrown(() => b.withAiFeatures({ textHashTreshold: 5, ttl: 1 } as never));
    expect(e.name).toBe('ValidationError');
    expect(e.context['unknown_options']).toEqual(['textHashTreshold', 'ttl']);
    expect(e.context['valid_options']).toEqual(['textHashThreshold', 'hashAlgorithm', 'textSizeTiers', 'operationTtls', 'enableSmartPromotion', 'maxTextLength']);
    expect(b.toJSON().enableAiCache).toBe(false);
  });

  it.each([
    ['withRedis', (b: CacheConfigBuilder) => b.withRedis('rediss://h:1', { passwrd: 'pw' } as never), ['passwrd'], ['password', 'useTls']],
    ['withSecurity', (b: CacheConfigBuilder) => b.withSecurity({ tlsCert: '/c.pem' } as never), ['tlsCert'], ['tlsCertPath', 'tlsKeyPath']],
    ['withCompression', (b: CacheConfigBuilder) => b.withCompression({ threshhold: 5, level: 2 } as never), ['threshhold'], ['threshold', 'level']],
  ] as const)('%s rejects a misspelt option with ValidationError INVALID_OPTIONS naming it and the valid ones; state unchanged', (method, call, unknown, valid) => {
    const b = builder().withMemoryCache(9);
    const before = b.toJSON();
    const e = thrown(() => call(b));
    expect(e.name).toBe('ValidationError');
    expect(e.code).toBe('INVALID_OPTIONS');
    expect(e.message).toBe(`${method}: unknown option(s) ${unknown.join(', ')}; valid options: ${valid.join(', ')}`);
    expect(e.context).toEqual({ unknown_options: unknown, valid_options: valid });
    expect(b.toJSON()).toEqual(before);
  });

  it('an unparseable duration throws ValidationError INVALID_DURATION and changes nothing', () => {
    const b = builder();
    expect(thrown(() => b.withAiFeatures({ operationTtls: { qa: 'soon' } })).code).toBe('INVALID_DURATION');
    expect(b.toJSON()).toEqual(createCacheConfig());
  });
});

describe('fromFile / saveToFile (B4, B7)', () => {
  it('loads the toJSON shape', () => {
    const file = join(dir, 'camel.json');
    writeFileSync(file, JSON.stringify({ strategy: 'robust', environment: 'staging', maxConnections: 12, defaultTtl: '2h', ai: { textHashThreshold: 300 } }));
    const c = builder().fromFile(file).toJSON();
    expect(c).toMatchObject({ strategy: 'robust', environment: 'staging', maxConnections: 12, defaultTtl: 7200, enableAiCache: true });
    expect(c.ai).toEqual({ ...AI_DEFAULTS, textHashThreshold: 300 });
  });

  it('loads the original snake_case shape, merging ai_config field by field into the current AI section', () => {
    const file = join(dir, 'snake.json');
    writeFileSync(file, JSON.stringify({
      strategy: 'ai_optimized', redis_url: 'redis://h:1', max_connections: 9, memory_cache_size: 40, enable_ai_cache: true, log_level: 'DEBUG',
      ai_config: { text_hash_threshold: 700, operation_ttls: { qa: 100 } },
    }));
    const b = builder().withAiFeatures({ maxTextLength: 999 }).fromFile(file);
    const c = b.toJSON();
    expect(c).toMatchObject({ strategy: 'ai_optimized', redisUrl: 'redis://h:1', maxConnections: 9, memoryCacheSize: 40, logLevel: 'DEBUG' });
    expect(c.ai).toEqual({ ...AI_DEFAULTS, maxTextLength: 999, textHashThreshold: 700, operationTtls: { qa: 100 } });
  });

  it('ignores unknown keys with one warning', () => {
    const logger = recordingLogger();
    const file = join(dir, 'extra.json');
    writeFileSync(file, JSON.stringify({ maxConnections: 4, colour: 'blue', ai: null }));
    const c = new CacheConfigBuilder({ logger }).fromFile(file).toJSON();
    expect(c.maxConnections).toBe(4);
    expect(c.ai).toBeNull();
    expect(logger.lines).toEqual([expect.objectContaining({ level: 'warn', message: expect.stringContaining('colour') })]);
  });

  it('missing file → ConfigurationError "Configuration file not found" with file_path; state unchanged', () => {
    const b = builder().withMemoryCache(3);
    const file = join(dir, 'nope.json');
    const e = thrown(() => b.fromFile(file));
    expect(e.name).toBe('ConfigurationError');
    expect(e.message).toContain('Configuration file not found');
    expect(e.context['file_path']).toBe(file);
    expect(b.toJSON().memoryCacheSize).toBe(3);
  });

  it('malformed JSON → ConfigurationError "Invalid JSON" with file_path and json_error; state unchanged', () => {
    const b = builder().withMemoryCache(3);
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"maxConnections": 4,');
    const e = thrown(() => b.fromFile(file));
    expect(e.name).toBe('ConfigurationError');
    expect(e.message).toContain('Invalid JSON');
    expect(e.context).toMatchObject({ file_path: file, json_error: expect.any(String) });
    expect(b.toJSON().memoryCacheSize).toBe(3);
  });

  it('wrong value types → ConfigurationError listing them; state unchanged', () => {
    const b = builder();
    const file = join(dir, 'types.json');
    writeFileSync(file, JSON.stringify({ maxConnections: 'many', useTls: 'yes' }));
    const e = thrown(() => b.fromFile(file));
    expect(e.name).toBe('ConfigurationError');
    expect(e.message).toContain("'maxConnections' expects integer, got string");
    expect(e.message).toContain("'useTls' expects boolean, got string");
    expect(b.toJSON()).toEqual(createCacheConfig());
  });

  it('a JSON array file → ConfigurationError', () => {
    const file = join(dir, 'arr.json');
    writeFileSync(file, '[]');
    expect(thrown(() => builder().fromFile(file)).name).toBe('ConfigurationError');
  });

  it('save → load round-trips every field, 2-space indented, creating parent dirs', () => {
    const file = join(dir, 'nested', 'deeper', 'cache.json');
    const original = builder()
      .forEnvironment('production')
      .withRedis('rediss://cache:6380', { password: 'pw', useTls: true })
      .withAiFeatures({ operationTtls: { qa: 60 }, textSizeTiers: { small: 1, medium: 2, large: 3, huge: 4 } });
    original.saveToFile(file);
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(`${JSON.stringify(original.toJSON(), null, 2)}\n`);
    expect(builder().fromFile(file).toJSON()).toEqual(original.toJSON());
  });

  it('saveToFile with createDirs:false into a missing dir → ConfigurationError with file_path', () => {
    const file = join(dir, 'missing', 'cache.json');
    const e = thrown(() => builder().saveToFile(file, { createDirs: false }));
    expect(e.name).toBe('ConfigurationError');
    expect(e.context['file_path']).toBe(file);
  });

  it('saveToFile onto a directory → ConfigurationError', () => {
    mkdirSync(join(dir, 'adir'));
    expect(thrown(() => builder().saveToFile(join(dir, 'adir'))).name).toBe('ConfigurationError');
  });

  it('toJSON is a plain, mutable copy with no internal fields', () => {
    const b = builder();
    const json = b.toJSON();
    expect(Object.keys(json).sort()).toEqual(Object.keys(createCacheConfig()).sort());
    json.maxConnections = 99;
    expect(b.toJSON().maxConnections).toBe(10);
  });
});

describe('fromEnvironment (B5)', () => {
  it('loads resolveCacheConfig({ env }) into the builder', () => {
    const c = builder().fromEnvironment({ env: { CACHE_PRESET: 'ai-development', CACHE_REDIS_URL: 'redis://r:1' } }).toJSON();
    expect(c).toEqual({ ...presetToCacheConfig(CACHE_PRESETS['ai-development']), redisUrl: 'redis://r:1' });
  });

  it('propagates resolution errors and keeps the state', () => {
    const b = builder().withMemoryCache(8);
    expect(thrown(() => b.fromEnvironment({ env: { CACHE_PRESET: 'nope' } })).code).toBe('UNKNOWN_PRESET');
    expect(b.toJSON().memoryCacheSize).toBe(8);
  });
});

describe('build (B6)', () => {
  it('throws ValidationError "Configuration validation failed: e1; e2" with context { errors, warnings }', () => {
    const b = builder().withMemoryCache(0).withCompression({ level: 12 }).withRedis('redis://h:1', { password: 'pw' });
    const e = thrown(() => b.build());
    expect(e.name).toBe('ValidationError');
    expect(e.message).toBe(
      'Configuration validation failed: memoryCacheSize must be an integer between 1 and 10000, got 0; compressionLevel must be an integer between 1 and 9, got 12',
    );
    expect(e.context).toEqual({
      errors: ['memoryCacheSize must be an integer between 1 and 10000, got 0', 'compressionLevel must be an integer between 1 and 9, got 12'],
      warnings: ['redisPassword is set without TLS; the password travels in plain text'],
    });
  });

  it('logs warnings and returns a deep-frozen config detached from later builder calls', () => {
    const logger = recordingLogger();
    const b = new CacheConfigBuilder({ logger }).withRedis('redis://h:1', { password: 'pw' }).withAiFeatures();
    const c = b.build();
    expect(logger.lines).toEqual([expect.objectContaining({ level: 'warn', message: expect.stringContaining('plain text') })]);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.ai)).toBe(true);
    expect(Object.isFrozen(c.ai?.operationTtls)).toBe(true);
    b.withMemoryCache(5).withAiFeatures({ textHashThreshold: 5 });
    expect(c.memoryCacheSize).toBe(100);
    expect(c.ai?.textHashThreshold).toBe(1000);
  });

  it('TLS files that do not exist make build() fail in production', () => {
    const b = builder().forEnvironment('production').withRedis('rediss://h:1').withSecurity({ tlsCertPath: join(dir, 'absent.pem') });
    expect(thrown(() => b.build()).message).toContain('TLS certificate file not found');
  });

  it('existing TLS files pass', () => {
    const cert = join(dir, 'c.pem');
    const key = join(dir, 'k.pem');
    writeFileSync(cert, 'x');
    writeFileSync(key, 'y');
    const c = builder().forEnvironment('production').withRedis('rediss://h:1').withSecurity({ tlsCertPath: cert, tlsKeyPath: key }).build();
    expect(c).toMatchObject({ useTls: true, tlsCertPath: cert, tlsKeyPath: key });
  });
});
