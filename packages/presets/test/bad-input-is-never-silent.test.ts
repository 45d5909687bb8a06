import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CACHE_PRESETS,
  CacheConfigBuilder,
  CachePresetManager,
  EnvironmentPresets,
  PRESET_NAMES,
  cacheValidator,
  createCacheConfig,
  resolveCacheConfig,
  toFactoryOptions,
  validateCacheConfig,
} from '../src/index.js';
import { recordingLogger, thrown } from './support.js';

const KEYS = [...PRESET_NAMES];
const resolveWith = (env: Record<string, string>, o: { preset?: string; customConfig?: string | object } = {}) =>
  resolveCacheConfig({ env, logger: recordingLogger(), ...o });

describe('unknown preset name → ConfigurationError naming the source, the name and every allowed key', () => {
  it.each([
    ['CACHE_PRESET', { CACHE_PRESET: 'prodution' }, {}, 'prodution'],
    ['CACHE_PRESET (wrong case)', { CACHE_PRESET: 'Production' }, {}, 'Production'],
    ['CACHE_PRESET (blank)', { CACHE_PRESET: '   ' }, {}, ''],
    ['the preset option', { CACHE_PRESET: 'simple' }, { preset: 'ai-dev' }, 'ai-dev'],
  ] as const)('from %s', (source, env, o, name) => {
    const e = thrown(() => resolveWith(env, o));
    expect(e.name).toBe('ConfigurationError');
    expect(e.code).toBe('UNKNOWN_PRESET');
    expect(e.message).toContain(`Unknown preset ${JSON.stringify(name)} (from ${source.replace(/ \(.*\)$/, '')})`);
    expect(e.message).toContain(`Available presets: ${KEYS.join(', ')}`);
    expect(e.context).toEqual({ requested_preset: name, available: KEYS });
  });

  it('an unknown CACHE_PRESET overridden by preset "auto" is not silently dropped: one warning names it and the keys', () => {
    const logger = recordingLogger();
    const config = resolveCacheConfig({ env: { CACHE_PRESET: 'prodution', NODE_ENV: 'production' }, preset: 'auto', logger });
    expect(config.presetName).toBe('production');
    const warnings = logger.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings).toEqual([expect.stringContaining('CACHE_PRESET="prodution" names no preset and is ignored by auto-detection')]);
    expect(warnings[0]).toContain(KEYS.join(', '));
  });

  it('a known CACHE_PRESET or CACHE_PRESET=auto gives no such warning', () => {
    for (const value of ['minimal', 'auto']) {
      const logger = recordingLogger();
      resolveCacheConfig({ env: { CACHE_PRESET: value }, preset: 'auto', logger });
      expect(logger.lines.filter((l) => l.level === 'warn')).toEqual([]);
    }
  });
});

describe('invalid custom JSON → ConfigurationError naming the source, the parse problem and the expected shape', () => {
  it.each([
    ['CACHE_CUSTOM_CONFIG', { CACHE_PRESET: 'simple', CACHE_CUSTOM_CONFIG: '{"defaultTtl": 600,}' }, {}],
    ['customConfig', { CACHE_PRESET: 'simple' }, { customConfig: "{'defaultTtl': 600}" }],
  ] as const)('%s', (source, env, o) => {
    const e = thrown(() => resolveWith(env, o));
    expect(e.name).toBe('ConfigurationError');
    expect(e.code).toBe('INVALID_JSON');
    expect(e.message).toMatch(new RegExp(`^Invalid JSON in ${source}: .*position \\d+.*; expected a JSON object`));
    expect(e.context['json_error']).toMatch(/position \d+/);
  });
});

describe('out-of-range numbers in CACHE_CUSTOM_CONFIG → ValidationError naming the field, the allowed range and the value', () => {
  const rows: [field: string, value: number | string, message: string][] = [
    ['maxConnections', 0, 'maxConnections must be an integer between 1 and 100, got 0'],
    ['maxConnections', 101, 'maxConnections must be an integer between 1 and 100, got 101'],
    ['connectionTimeout', 0, 'connectionTimeout must be an integer between 1 and 60 (seconds, or a duration such as \'10m\'), got 0'],
    ['connectionTimeout', '2m', 'connectionTimeout must be an integer between 1 and 60 (seconds, or a duration such as \'10m\'), got 120'],
    ['defaultTtl', 59, 'defaultTtl must be an integer between 60 and 86400 (seconds, or a duration such as \'10m\'), got 59'],
    ['defaultTtl', '1d1s', 'defaultTtl must be an integer between 60 and 86400 (seconds, or a duration such as \'10m\'), got 86401'],
    ['memoryCacheSize', 0, 'memoryCacheSize must be an integer between 1 and 10000, got 0'],
    ['memoryCacheSize', 10001, 'memoryCacheSize must be an integer between 1 and 10000, got 10001'],
    ['compressionThreshold', -1, 'compressionThreshold must be an integer between 0 and 1048576, got -1'],
    ['compressionThreshold', 1048577, 'compressionThreshold must be an integer between 0 and 1048576, got 1048577'],
    ['compressionLevel', 0, 'compressionLevel must be an integer between 1 and 9, got 0'],
    ['compressionLevel', 10, 'compressionLevel must be an integer between 1 and 9, got 10'],
    ['textHashThreshold', 0, 'ai.textHashThreshold must be an integer between 1 and 100000, got 0'],
    ['textHashThreshold', 100001, 'ai.textHashThreshold must be an integer between 1 and 100000, got 100001'],
    ['maxTextLength', 0, 'ai.maxTextLength must be a positive integer, got 0'],
  ];

  it.each(rows)('%s = %o', (field, value, message) => {
    const e = thrown(() => resolveWith({ CACHE_PRESET: 'ai-development', CACHE_CUSTOM_CONFIG: JSON.stringify({ [field]: value }) }));
    expect(e.name).toBe('ValidationError');
    expect(e.message).toBe(`Invalid cache configuration: ${message}`);
    expect(e.context['errors']).toEqual([message]);
  });

  it.each([
    ['operationTtls', { qa: 0 }, 'ai.operationTtls.qa must be an integer between 1 and 31536000'],
    ['operationTtls', { qa: '400d' }, 'ai.operationTtls.qa must be an integer between 1 and 31536000'],
    ['textSizeTiers', { small: -1 }, 'ai.textSizeTiers.small must be a positive integer, got -1'],
  ] as const)('%s = %o (merged map entries are range-checked too)', (field, value, message) => {
    const e = thrown(() => resolveWith({ CACHE_PRESET: 'ai-production', CACHE_CUSTOM_CONFIG: JSON.stringify({ [field]: value }) }));
    expect(e.name).toBe('ValidationError');
    expect(e.message).toContain(message);
  });

  it('the config is never returned: the same input through the builder fails build() too', () => {
    const b = new CacheConfigBuilder({ logger: recordingLogger() }).withMemoryCache(10001);
    expect(thrown(() => b.build()).message).toContain('memoryCacheSize must be an integer between 1 and 10000, got 10001');
  });
});

describe('insecure Redis URL for production → ValidationError naming the field, the masked value and the allowed scheme', () => {
  const message = (shown: string) => `redisUrl must use TLS (rediss://) in production, got ${JSON.stringify(shown)}; allowed: rediss://host:port`;

  it.each([
    ['CACHE_REDIS_URL with the production preset', { CACHE_PRESET: 'production', CACHE_REDIS_URL: 'redis://cache:6379' }, 'redis://cache:6379'],
    ['CACHE_REDIS_URL with the ai-production preset', { CACHE_PRESET: 'ai-production', CACHE_REDIS_URL: 'redis://cache:6379' }, 'redis://cache:6379'],
    ['CACHE_REDIS_URL with auto-detected production', { NODE_ENV: 'production', CACHE_REDIS_URL: 'redis://u:pw@cache:6379' }, 'redis://u:***@cache:6379'],
    ['custom JSON with the production preset', { CACHE_PRESET: 'production', CACHE_CUSTOM_CONFIG: '{"redis_url":"redis://cache:6379"}' }, 'redis://cache:6379'],
  ] as const)('%s', (_name, env, shown) => {
    const e = thrown(() => resolveWith(env));
    expect(e.name).toBe('ValidationError');
    expect(e.context['errors']).toEqual([message(shown)]);
    expect(e.message).not.toContain(':pw@');
  });

  it('builder: forEnvironment("production") with a redis:// URL fails build()', () => {
    const b = new CacheConfigBuilder({ logger: recordingLogger() }).forEnvironment('production').withRedis('redis://cache:6379');
    const e = thrown(() => b.build());
    expect(e.name).toBe('ValidationError');
    expect(e.context['errors']).toEqual([message('redis://cache:6379')]);
  });

  it('the same redis:// URL is accepted outside production', () => {
    expect(resolveWith({ CACHE_PRESET: 'development', CACHE_REDIS_URL: 'redis://cache:6379' }).redisUrl).toBe('redis://cache:6379');
  });

  it('a URL without a redis scheme → "Invalid Redis URL format" naming the allowed schemes', () => {
    const e = thrown(() => resolveWith({ CACHE_PRESET: 'simple', CACHE_REDIS_URL: 'localhost:6379' }));
    expect(e.name).toBe('ValidationError');
    expect(e.context['errors']).toEqual(['redisUrl has an Invalid Redis URL format: must start with redis:// or rediss://, got "localhost:6379"']);
  });
});

describe('passwords in malformed URLs never reach a message', () => {
  it.each([
    ['an @ inside the password', 'http://user:p@ss@host:1', 'http://user:***@host:1'],
    ['a / inside the password', 'http://user:pa/ss@host:1', 'http://user:***@host:1'],
    ['no scheme', 'user:pass@host:6379', 'user:***@host:6379'],
    ['a password query parameter', 'http://host:1/0?password=pass&db=2', 'http://host:1/0?password=***&db=2'],
  ])('%s', (_name, url, shown) => {
    const [error] = cacheValidator.validateConfiguration({ strategy: 'fast', redisUrl: url }).errors;
    expect(error).toBe(`redisUrl has an Invalid Redis URL format: must start with redis:// or rediss://, got ${JSON.stringify(shown)}`);
    expect(error).not.toMatch(/pass[^w]|p@ss|pa\/ss/);
  });

  it('the production-scheme error masks a password query parameter', () => {
    const c = createCacheConfig({ environment: 'production', redisUrl: 'redis://host:1?password=hunter2' });
    expect(validateCacheConfig(c).errors.join()).not.toContain('hunter2');
  });
});

describe('typos and duplicate spellings are reported, not dropped', () => {
  it('createCacheConfig: an unknown field → ValidationError UNKNOWN_CONFIG_FIELDS naming it and the valid ones', () => {
    const e = thrown(() => createCacheConfig({ maxConnection: 5 } as never));
    expect(e.name).toBe('ValidationError');
    expect(e.code).toBe('UNKNOWN_CONFIG_FIELDS');
    expect(e.message).toContain('Unknown config field(s) maxConnection; valid fields: strategy,');
    expect(e.context['unknown_fields']).toEqual(['maxConnection']);
    expect(e.context['valid_fields']).toContain('maxConnections');
  });

  it('createCacheConfig: an unknown AI field → ValidationError naming ai.<field>', () => {
    const e = thrown(() => createCacheConfig({ ai: { textHashTreshold: 5 } as never }));
    expect(e.code).toBe('UNKNOWN_CONFIG_FIELDS');
    expect(e.context['unknown_fields']).toEqual(['ai.textHashTreshold']);
  });

  it('validateConfiguration: an unknown key → warning with the valid keys; known aliases and factory options are quiet', () => {
    const r = cacheValidator.validateConfiguration({ strategy: 'fast', maxConnection: 5 });
    expect(r.isValid).toBe(true);
    expect(r.warnings).toEqual(["Unknown configuration key 'maxConnection' - will be ignored"]);
    expect(r.messages[0]?.context['valid_keys']).toContain('maxConnections');
    expect(cacheValidator.validateConfiguration({ cacheStrategy: 'fast', l1CacheSize: 5 }).messages).toEqual([]);
    for (const c of [EnvironmentPresets.aiProduction(), createCacheConfig({ redisUrl: 'rediss://h:1', redisPassword: 'pw' })]) {
      expect(cacheValidator.validateConfiguration(toFactoryOptions(c)).messages).toEqual([]);
    }
  });

  it('validatePreset: an unknown key → warning', () => {
    const r = cacheValidator.validatePreset({ ...CACHE_PRESETS.simple, defaultTTL: 5 });
    expect(r.isValid).toBe(true);
    expect(r.warnings).toEqual(["Unknown preset key 'defaultTTL' - will be ignored"]);
  });

  it('custom overrides: a snake_case alias next to its camelCase key → warning; the camelCase value wins', () => {
    const r = cacheValidator.validateCustomOverrides({ max_connections: 500, maxConnections: 7 });
    expect(r.warnings).toEqual(["Override key 'max_connections' is an alias of 'maxConnections', which is also given - 'max_connections' will be ignored"]);
    const logger = recordingLogger();
    const c = resolveCacheConfig({ env: { CACHE_PRESET: 'simple', CACHE_CUSTOM_CONFIG: '{"max_connections":500,"maxConnections":7}' }, logger });
    expect(c.maxConnections).toBe(7);
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining("'max_connections' is an alias") }));
  });

  describe('config files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cache-presets-dup-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('a snake_case alias next to its camelCase key → one warning; the camelCase value wins regardless of order', () => {
      const file = join(dir, 'dup.json');
      writeFileSync(file, '{"maxConnections": 7, "max_connections": 500, "ai": {"text_hash_threshold": 9, "textHashThreshold": 700}}');
      const logger = recordingLogger();
      const c = new CacheConfigBuilder({ logger }).fromFile(file).toJSON();
      expect(c.maxConnections).toBe(7);
      expect(c.ai?.textHashThreshold).toBe(700);
      expect(logger.lines).toEqual([
        expect.objectContaining({ level: 'warn', message: expect.stringContaining('ignoring max_connections, ai.text_hash_threshold') }),
      ]);
    });
  });

  it('a non-object ai section names the field, the allowed shape and the value', () => {
    expect(cacheValidator.validateConfiguration({ strategy: 'fast', enableAiCache: true, ai: 'on' }).errors).toEqual([
      'ai must be an object (the AI settings) or null, got "on"',
    ]);
  });
});

describe('misspelt option names are errors, not silently ignored settings', () => {
  it.each([
    ['resolveCacheConfig', () => resolveCacheConfig({ env: {}, present: 'production' } as never), 'present', 'env, preset, customConfig, logger'],
    ['CachePresetManager', () => new CachePresetManager({ extraPreset: [] } as never), 'extraPreset', 'extraPresets, env, environmentResolver, logger'],
    ['CacheConfigBuilder', () => new CacheConfigBuilder({ log: recordingLogger() } as never), 'log', 'logger'],
  ] as const)('%s options → ConfigurationError INVALID_CONFIGURATION naming the option and the valid ones', (where, call, unknown, valid) => {
    const e = thrown(call);
    expect(e.name).toBe('ConfigurationError');
    expect(e.code).toBe('INVALID_CONFIGURATION');
    expect(e.message).toBe(`${where}: unknown option(s) ${unknown}; valid options: ${valid}`);
    expect(e.context['unknown_options']).toEqual([unknown]);
  });

  it.each([
    ['fromEnvironment', () => new CacheConfigBuilder({ logger: recordingLogger() }).fromEnvironment({ environment: {} } as never), 'environment'],
    ['saveToFile', () => new CacheConfigBuilder({ logger: recordingLogger() }).saveToFile('/nonexistent/x.json', { mkdir: false } as never), 'mkdir'],
    ['validateCacheConfig', () => validateCacheConfig(createCacheConfig(), { exists: () => true } as never), 'exists'],
  ] as const)('%s call options → ValidationError INVALID_OPTIONS naming the option', (where, call, unknown) => {
    const e = thrown(call);
    expect(e.name).toBe('ValidationError');
    expect(e.code).toBe('INVALID_OPTIONS');
    expect(e.message).toContain(`${where}: unknown option(s) ${unknown}`);
  });
});
