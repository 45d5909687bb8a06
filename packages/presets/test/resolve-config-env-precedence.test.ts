import { describe, expect, it } from 'vitest';
import { AI_DEFAULTS, CACHE_PRESETS, presetToCacheConfig, resolveCacheConfig, type CacheConfig } from '../src/index.js';
import { recordingLogger, thrown } from './support.js';

type Env = Record<string, string>;
const resolve = (env: Env, o: { preset?: string; customConfig?: string | object } = {}) => {
  const logger = recordingLogger();
  return { config: resolveCacheConfig({ env, logger, ...o }), logger };
};

describe('preset selection (§3.7.1)', () => {
  it.each([
    ['o.preset beats CACHE_PRESET', { CACHE_PRESET: 'minimal' }, 'production', 'production'],
    ['CACHE_PRESET beats auto-detection', { CACHE_PRESET: 'minimal', NODE_ENV: 'production' }, undefined, 'minimal'],
    ['CACHE_PRESET is trimmed', { CACHE_PRESET: '  simple ' }, undefined, 'simple'],
    ['testing is an alias of development', { CACHE_PRESET: 'testing' }, undefined, 'development'],
    ['no preset → auto (NODE_ENV=production)', { NODE_ENV: 'production' }, undefined, 'production'],
    ['explicit auto ignores nothing: CACHE_PRESET still wins inside detection', { CACHE_PRESET: 'minimal' }, 'auto', 'minimal'],
    ['empty env → auto → simple', {}, undefined, 'simple'],
  ] as const)('%s', (_name, env, preset, expected) => {
    const { config } = resolve(env, preset === undefined ? {} : { preset });
    expect(config).toEqual(presetToCacheConfig(CACHE_PRESETS[expected]));
  });

  it('auto logs the choice and confidence at info level', () => {
    const { logger } = resolve({ NODE_ENV: 'production' });
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: 'info', message: 'Auto-selected cache preset production (confidence 0.85)' }),
    );
  });

  it.each(['Production', 'staging', '', 'nope'])('unknown preset %o → ConfigurationError UNKNOWN_PRESET listing every key', (name) => {
    const e = thrown(() => resolveCacheConfig({ env: { CACHE_PRESET: name }, logger: recordingLogger() }));
    expect(e.name).toBe('ConfigurationError');
    expect(e.code).toBe('UNKNOWN_PRESET');
    expect(e.message).toContain('Available presets: disabled, minimal, simple, development, production, ai-development, ai-production');
  });

  it('returns a deep-frozen config', () => {
    const { config } = resolve({ CACHE_PRESET: 'ai-development' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.ai?.operationTtls)).toBe(true);
  });
});

describe('precedence table: preset < CACHE_REDIS_URL / ENABLE_AI_CACHE < custom JSON; options beat env (§3.7, acceptance 13)', () => {
  const field = (c: CacheConfig, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | null)?.[k], c);
  it.each([
    ['preset alone', { CACHE_PRESET: 'simple' }, {}, 'redisUrl', null],
    ['CACHE_REDIS_URL beats the preset', { CACHE_PRESET: 'simple', CACHE_REDIS_URL: 'redis://a:6379' }, {}, 'redisUrl', 'redis://a:6379'],
    ['empty CACHE_REDIS_URL is ignored', { CACHE_PRESET: 'simple', CACHE_REDIS_URL: '' }, {}, 'redisUrl', null],
    ['rediss:// URL turns TLS on', { CACHE_PRESET: 'simple', CACHE_REDIS_URL: 'rediss://a:6380' }, {}, 'useTls', true],
    ['redis:// URL leaves TLS off', { CACHE_PRESET: 'simple', CACHE_REDIS_URL: 'redis://a:6379' }, {}, 'useTls', false],
    ['custom JSON beats CACHE_REDIS_URL', { CACHE_PRESET: 'simple', CACHE_REDIS_URL: 'redis://a:6379', CACHE_CUSTOM_CONFIG: '{"redisUrl":"redis://b:6379"}' }, {}, 'redisUrl', 'redis://b:6379'],
    ['custom JSON beats the preset', { CACHE_PRESET: 'simple', CACHE_CUSTOM_CONFIG: '{"defaultTtl":120}' }, {}, 'defaultTtl', 120],
    ['custom JSON beats ENABLE_AI_CACHE', { CACHE_PRESET: 'simple', ENABLE_AI_CACHE: 'true', CACHE_CUSTOM_CONFIG: '{"enableAiCache":false}' }, {}, 'enableAiCache', false],
    ['ENABLE_AI_CACHE beats the preset', { CACHE_PRESET: 'ai-production', ENABLE_AI_CACHE: 'false' }, {}, 'enableAiCache', false],
    ['o.customConfig beats CACHE_CUSTOM_CONFIG', { CACHE_PRESET: 'simple', CACHE_CUSTOM_CONFIG: '{"defaultTtl":120}' }, { customConfig: { defaultTtl: 240 } }, 'defaultTtl', 240],
    ['o.customConfig as JSON text', { CACHE_PRESET: 'simple' }, { customConfig: '{"memoryCacheSize":7}' }, 'memoryCacheSize', 7],
    ['o.preset beats CACHE_PRESET', { CACHE_PRESET: 'simple' }, { preset: 'minimal' }, 'memoryCacheSize', 25],
  ] as const)('%s', (_name, env, o, path, expected) => {
    expect(field(resolve(env, o).config, path)).toEqual(expected);
  });
});

describe('ENABLE_AI_CACHE tri-state (§3.7.3, acceptance 14)', () => {
  it.each(['true', '1', 'yes', 'ON', ' Yes '])('%o turns AI on and fills the P3 defaults', (v) => {
    const { config } = resolve({ CACHE_PRESET: 'simple', ENABLE_AI_CACHE: v });
    expect(config.enableAiCache).toBe(true);
    expect(config.ai).toEqual(AI_DEFAULTS);
  });

  it('enabling on an AI preset keeps its AI section', () => {
    expect(resolve({ CACHE_PRESET: 'ai-development', ENABLE_AI_CACHE: 'true' }).config.ai?.textHashThreshold).toBe(500);
  });

  it.each(['false', '0', 'no', 'off'])('%o turns AI off (ai = null)', (v) => {
    const { config } = resolve({ CACHE_PRESET: 'ai-production', ENABLE_AI_CACHE: v });
    expect(config.enableAiCache).toBe(false);
    expect(config.ai).toBeNull();
  });

  it('unset leaves the preset unchanged', () => {
    expect(resolve({ CACHE_PRESET: 'ai-production' }).config).toEqual(presetToCacheConfig(CACHE_PRESETS['ai-production']));
  });

  it('any other value leaves it unchanged plus a warning', () => {
    const { config, logger } = resolve({ CACHE_PRESET: 'ai-production', ENABLE_AI_CACHE: 'maybe' });
    expect(config).toEqual(presetToCacheConfig(CACHE_PRESETS['ai-production']));
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('ENABLE_AI_CACHE') }));
  });
});

describe('custom JSON (§3.7.4, acceptance 15)', () => {
  it('operationTtls and textSizeTiers merge key by key; other keys replace', () => {
    const { config } = resolve({
      CACHE_PRESET: 'ai-production',
      CACHE_CUSTOM_CONFIG: JSON.stringify({ operationTtls: { qa: 60, translate: 300 }, textSizeTiers: { large: 30000 }, maxTextLength: 5000 }),
    });
    expect(config.ai?.operationTtls).toEqual({ summarize: 14400, sentiment: 7200, key_points: 10800, questions: 9600, qa: 60, translate: 300 });
    expect(config.ai?.textSizeTiers).toEqual({ small: 1000, medium: 5000, large: 30000 });
    expect(config.ai?.maxTextLength).toBe(5000);
  });

  it('merges into the P3 maps when the JSON itself turns AI on', () => {
    const { config } = resolve({ CACHE_PRESET: 'production', CACHE_CUSTOM_CONFIG: '{"enable_ai_cache":true,"operation_ttls":{"qa":"2h"}}' });
    expect(config.ai?.operationTtls).toEqual({ ...AI_DEFAULTS.operationTtls, qa: 7200 });
  });

  it('accepts snake_case aliases of the override keys', () => {
    const { config } = resolve({
      CACHE_PRESET: 'simple',
      CACHE_CUSTOM_CONFIG: JSON.stringify({ max_connections: 7, default_ttl: '10m', memory_cache_size: 9, enable_monitoring: false, log_level: 'ERROR', redis_url: 'redis://x:1' }),
    });
    expect(config).toMatchObject({ maxConnections: 7, defaultTtl: 600, memoryCacheSize: 9, enableMonitoring: false, logLevel: 'ERROR', redisUrl: 'redis://x:1' });
  });

  it('unknown keys are ignored with a logged warning', () => {
    const { config, logger } = resolve({ CACHE_PRESET: 'simple', CACHE_CUSTOM_CONFIG: '{"bogus":1,"defaultTtl":120}' });
    expect(config).toEqual({ ...presetToCacheConfig(CACHE_PRESETS.simple), defaultTtl: 120 });
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining("Unknown override key 'bogus' - will be ignored") }));
  });

  it('AI fields while AI is off are ignored with a warning', () => {
    const { config, logger } = resolve({ CACHE_PRESET: 'simple', CACHE_CUSTOM_CONFIG: '{"textHashThreshold":50}' });
    expect(config.ai).toBeNull();
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('textHashThreshold') }));
  });

  it('enableAiCache in the JSON is applied before the AI fields', () => {
    const { config } = resolve({ CACHE_PRESET: 'simple', CACHE_CUSTOM_CONFIG: '{"textHashThreshold":500,"enableAiCache":true}' });
    expect(config.ai?.textHashThreshold).toBe(500);
  });

  it.each([
    ['{bad json', 'INVALID_JSON', /Invalid JSON in CACHE_CUSTOM_CONFIG/],
    ['', 'INVALID_JSON', /Invalid JSON in CACHE_CUSTOM_CONFIG/],
    ['[1,2]', 'INVALID_CUSTOM_CONFIG', /must be a JSON object, got array/],
    ['42', 'INVALID_CUSTOM_CONFIG', /must be a JSON object, got integer/],
    ['null', 'INVALID_CUSTOM_CONFIG', /must be a JSON object, got null/],
  ])('CACHE_CUSTOM_CONFIG=%o → ConfigurationError %s', (raw, code, message) => {
    const e = thrown(() => resolveCacheConfig({ env: { CACHE_PRESET: 'simple', CACHE_CUSTOM_CONFIG: raw }, logger: recordingLogger() }));
    expect(e.name).toBe('ConfigurationError');
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it('invalid JSON error does not echo the input text (it may hold a password)', () => {
    const e = thrown(() => resolveCacheConfig({ env: { CACHE_PRESET: 'simple', CACHE_CUSTOM_CONFIG: '{"redisPassword": s3cret-value}' }, logger: recordingLogger() }));
    expect(e.message).not.toContain('s3cret');
    expect(JSON.stringify(e.context)).not.toContain('s3cret');
  });

  it('override type errors → ValidationError with context { errors, warnings }', () => {
    const e = thrown(() => resolveCacheConfig({ env: { CACHE_PRESET: 'simple', CACHE_CUSTOM_CONFIG: '{"useTls":1,"bogus":2}' }, logger: recordingLogger() }));
    expect(e.name).toBe('ValidationError');
    expect(e.message).toContain("Override 'useTls' expects boolean, got integer");
    expect(e.context['errors']).toEqual(["Override 'useTls' expects boolean, got integer"]);
    expect(e.context['warnings']).toEqual(["Unknown override key 'bogus' - will be ignored"]);
  });
});

describe('merged config validation (§3.7.5)', () => {
  it.each([
    ['{"maxConnections":0}', 'maxConnections must be an integer between 1 and 100, got 0'],
    ['{"defaultTtl":"2d"}', 'defaultTtl must be an integer between 60 and 86400'],
    ['{"compressionLevel":10}', 'compressionLevel must be an integer between 1 and 9, got 10'],
    ['{"logLevel":"TRACE"}', 'logLevel must be one of DEBUG, INFO, WARNING, ERROR, got "TRACE"'],
    ['{"redisUrl":"http://h:1"}', 'Invalid Redis URL format'],
  ])('%s → ValidationError naming field, range and value', (custom, message) => {
    const e = thrown(() => resolveCacheConfig({ env: { CACHE_PRESET: 'simple', CACHE_CUSTOM_CONFIG: custom }, logger: recordingLogger() }));
    expect(e.name).toBe('ValidationError');
    expect(e.message).toContain(message);
    expect(e.context['errors']).toEqual([expect.stringContaining(message)]);
    expect(e.context['warnings']).toEqual([]);
  });

  it('an insecure redis:// URL with a production preset → ValidationError naming field, value (masked) and allowed scheme', () => {
    const e = thrown(() => resolveCacheConfig({ env: { CACHE_PRESET: 'production', CACHE_REDIS_URL: 'redis://app:hunter2@cache:6379' }, logger: recordingLogger() }));
    expect(e.name).toBe('ValidationError');
    expect(e.message).toContain('redisUrl must use TLS (rediss://) in production');
    expect(e.message).toContain('redis://app:***@cache:6379');
    expect(e.message).not.toContain('hunter2');
  });

  it('a rediss:// URL with the production preset resolves', () => {
    expect(resolve({ CACHE_PRESET: 'production', CACHE_REDIS_URL: 'rediss://cache:6380' }).config.useTls).toBe(true);
  });

  it('validation warnings are logged', () => {
    const { logger } = resolve({ CACHE_PRESET: 'simple', CACHE_CUSTOM_CONFIG: '{"redisUrl":"redis://h:1","redisPassword":"pw"}' });
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('plain text') }));
    expect(JSON.stringify(logger.lines)).not.toContain('"pw"');
  });
});

describe('legacy CACHE_* variables (§3.7.6, acceptance 16)', () => {
  it('produce one warning listing them, pointing at CACHE_CUSTOM_CONFIG, and change nothing', () => {
    const base = resolve({ CACHE_PRESET: 'simple' }).config;
    const { config, logger } = resolve({
      CACHE_PRESET: 'simple', CACHE_DEFAULT_TTL: '5', CACHE_MEMORY_SIZE: '9999', CACHE_SECURITY_LEVEL: 'high', CACHE_DISABLE_ENCRYPTION: 'true',
    });
    expect(config).toEqual(base);
    const warnings = logger.lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain('CACHE_DEFAULT_TTL, CACHE_DISABLE_ENCRYPTION, CACHE_MEMORY_SIZE, CACHE_SECURITY_LEVEL');
    expect(warnings[0]?.message).toContain('CACHE_CUSTOM_CONFIG');
  });

  it('no warning when only the supported variables are set', () => {
    const { logger } = resolve({ CACHE_PRESET: 'simple', CACHE_REDIS_URL: 'redis://a:1', CACHE_CUSTOM_CONFIG: '{}', ENABLE_AI_CACHE: 'false' });
    expect(logger.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });
});
