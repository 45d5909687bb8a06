import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { isConfigurationError } from '@cache/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AIResponseCacheConfig, CacheParameterMapper, ParameterValidationResult } from '../src/config.js';
import { recordingLogger, recordingRecorder } from './helpers.js';

describe('ParameterValidationResult', () => {
  it('starts valid; errors invalidate, warnings and recommendations do not; conflicts add an error', () => {
    const r = new ParameterValidationResult();
    expect(r.isValid).toBe(true);
    r.addWarning('w');
    r.addRecommendation('r');
    expect(r.isValid).toBe(true);
    r.addConflict('memoryCacheSize', 'differs');
    expect(r.isValid).toBe(false);
    expect(r.errors).toEqual(["Parameter conflict for 'memoryCacheSize': differs"]);
    expect(r.parameterConflicts).toEqual({ memoryCacheSize: 'differs' });
  });
});

describe('CacheParameterMapper (checklist 22)', () => {
  it('classifies, maps memoryCacheSize, auto-enables L1, never mutates the input', () => {
    const logger = recordingLogger();
    const mapper = new CacheParameterMapper({ logger });
    const input = Object.freeze({ redisUrl: 'redis://h:1', defaultTtl: 60, textHashThreshold: 500, memoryCacheSize: 20, mystery: 1 });
    const [generic, ai] = mapper.mapAiToGenericParams(input);
    expect(generic).toEqual({ redisUrl: 'redis://h:1', defaultTtl: 60, l1CacheSize: 20, enableL1Cache: true });
    expect(ai).toEqual({ textHashThreshold: 500, mystery: 1 });
    expect(Object.keys(generic).filter((k) => k in ai)).toEqual([]);
    expect(logger.warnings).toEqual(['Unknown AI cache parameter(s) treated as AI-specific: mystery']);
    expect(mapper.mapAiToGenericParams({})).toEqual([{}, {}]);
  });

  it('keeps an explicit enableL1Cache and an explicit l1CacheSize', () => {
    const [generic] = new CacheParameterMapper().mapAiToGenericParams({ l1CacheSize: 5, memoryCacheSize: 9, enableL1Cache: false });
    expect(generic).toEqual({ l1CacheSize: 5, enableL1Cache: false });
  });

  it('validates types, ranges, URLs, tiers and operation TTLs with exact messages', () => {
    const r = new CacheParameterMapper().validateParameterCompatibility({
      defaultTtl: 'x', l1CacheSize: -1, compressionLevel: 10, textHashThreshold: 0, redisUrl: 'http://user:secret@h',
      textSizeTiers: { small: 10, medium: 5 }, operationTtls: { summarize: 0, custom: 5 }, hashAlgorithm: 'sha1', enableSmartPromotion: 'yes',
    });
    expect(r.isValid).toBe(false);
    expect(r.errors).toEqual(
      expect.arrayContaining([
        "Parameter 'defaultTtl' must be integer, got string",
        "Parameter 'l1CacheSize' must be >= 0, got -1",
        "Parameter 'compressionLevel' must be <= 9, got 10",
        "Parameter 'textHashThreshold' must be >= 1, got 0",
        "Parameter 'enableSmartPromotion' must be boolean, got string",
        "Parameter 'textSizeTiers' missing required tiers: large",
        "Parameter 'hashAlgorithm' must be one of sha256, md5, got \"sha1\"",
      ]),
    );
    expect(r.errors.find((e) => e.includes('redisUrl'))).toMatch(/valid Redis URL/);
    expect(r.errors.join()).not.toContain('secret');
    expect(r.errors.find((e) => e.includes('operationTtls'))).toMatch(/'summarize'/);
    expect(r.warnings.find((w) => w.includes('operationTtls'))).toMatch(/custom/);
  });

  it('accepts redis, rediss (port in range) and unix URLs', () => {
    const m = new CacheParameterMapper();
    for (const url of ['redis://h', 'rediss://h:6380', 'unix:///tmp/redis.sock']) expect(m.validateParameterCompatibility({ redisUrl: url }).isValid).toBe(true);
    for (const url of ['redis://h:0', 'redis://', 'unix://', 'nonsense']) expect(m.validateParameterCompatibility({ redisUrl: url }).isValid).toBe(false);
  });

  it('reports conflicts, warnings and recommendations', () => {
    const m = new CacheParameterMapper();
    const conflict = m.validateParameterCompatibility({ memoryCacheSize: 10, l1CacheSize: 20 });
    expect(conflict.parameterConflicts).toHaveProperty('memoryCacheSize');
    expect(conflict.isValid).toBe(false);
    const w = m.validateParameterCompatibility({ enableL1Cache: false, l1CacheSize: 50, compressionThreshold: 0, compressionLevel: 8 });
    expect(w.isValid).toBe(true);
    expect(w.warnings).toHaveLength(2);
    expect(w.recommendations.join('\n')).toMatch(/Enable the L1 cache[\s\S]*compressionLevel 8[\s\S]*textHashThreshold \(1000\) differs from compressionThreshold \(0\)/);
    expect(m.validateParameterCompatibility({ compressionThreshold: 20_000 }).recommendations.some((r) => r.includes('20000'))).toBe(true);
  });

  it('getParameterInfo is stable, sorted and data only', () => {
    const m = new CacheParameterMapper();
    const a = m.getParameterInfo();
    const b = m.getParameterInfo();
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
    expect(a.genericParameters).toEqual([...a.genericParameters].sort());
    expect(a.aiSpecificParameters).toEqual(['alwaysHashText', 'enableSmartPromotion', 'hashAlgorithm', 'maxTextLength', 'operationTtls', 'textHashThreshold', 'textSizeTiers']);
    expect(a.parameterMappings).toEqual({ memoryCacheSize: 'l1CacheSize' });
    expect(a.totalParameters).toBe(a.genericParameters.length + a.aiSpecificParameters.length);
    expect(JSON.parse(JSON.stringify(a.validationRules))).toEqual(a.validationRules);
    a.genericParameters.push('mutated');
    expect(m.getParameterInfo().genericParameters).not.toContain('mutated');
  });
});

describe('AIResponseCacheConfig (checklist 23)', () => {
  it('defaults are as documented and valid', () => {
    const c = new AIResponseCacheConfig();
    expect(c.toJSON()).toEqual({
      redisUrl: 'rediss://redis:6380', defaultTtl: 3600, enableL1Cache: true, memoryCacheSize: 100, compressionThreshold: 1000, compressionLevel: 6,
      textHashThreshold: 1000, hashAlgorithm: 'sha256', textSizeTiers: { small: 500, medium: 5000, large: 50_000 },
      operationTtls: { summarize: 7200, sentiment: 86_400, key_points: 7200, questions: 3600, qa: 1800 }, enableSmartPromotion: false, performanceMonitor: false,
    });
    expect(c.validate().isValid).toBe(true);
    expect(Object.isFrozen(c) && Object.isFrozen(c.operationTtls)).toBe(true);
  });

  it('enableL1Cache false without a size means size 0', () => {
    expect(new AIResponseCacheConfig({ enableL1Cache: false }).memoryCacheSize).toBe(0);
  });

  it.each([
    [{ redisUrl: 'http://h' }, 'redisUrl'],
    [{ defaultTtl: 0 }, 'defaultTtl must be positive, got 0'],
    [{ defaultTtl: 31_536_001 }, 'defaultTtl too large (max 1 year'],
    [{ memoryCacheSize: -1 }, 'memoryCacheSize must be non-negative, got -1'],
    [{ memoryCacheSize: 10_001 }, 'memoryCacheSize too large (max 10000), got 10001'],
    [{ compressionThreshold: -1 }, 'compressionThreshold must be non-negative'],
    [{ compressionThreshold: 2_000_000 }, 'compressionThreshold too large (max 1MB'],
    [{ compressionLevel: 0 }, 'compressionLevel must be 1-9, got 0'],
    [{ textHashThreshold: 0 }, 'textHashThreshold must be positive, got 0'],
    [{ textHashThreshold: 100_001 }, 'textHashThreshold too large (max 100000)'],
    [{ textSizeTiers: { small: 1, medium: 1, large: 2 } }, 'textSizeTiers tiers must satisfy small < medium < large'],
    [{ textSizeTiers: { small: 1 } }, 'textSizeTiers missing required tiers: medium, large'],
    [{ operationTtls: { qa: 0 } }, "operationTtls TTL for 'qa'"],
    [{ hashAlgorithm: 'sha1' as never }, 'hashAlgorithm'],
    [{ performanceMonitor: { recordOperation: () => undefined } }, 'performanceMonitor must implement recordCacheOperationTime()'],
    [{ enableL1Cache: false, memoryCacheSize: 5 }, 'enableL1Cache=false but memoryCacheSize > 0'],
  ])('validate() reports %j', (input, message) => {
    const r = new AIResponseCacheConfig(input).validate();
    expect(r.isValid).toBe(false);
    expect(r.errors.join('\n')).toContain(message);
  });

  it('validate() never throws and gives the recommendations', () => {
    const r = new AIResponseCacheConfig({ compressionThreshold: 20_000, compressionLevel: 9, memoryCacheSize: 600, defaultTtl: 90_000 }).validate();
    expect(r.isValid).toBe(true);
    expect(r.recommendations).toHaveLength(6);
    expect(new AIResponseCacheConfig({ memoryCacheSize: 5, operationTtls: {} }).validate().recommendations).toEqual([
      expect.stringContaining('small L1'),
    ]);
  });

  it('factories carry their values and validate cleanly', () => {
    const p = AIResponseCacheConfig.createProduction('rediss://cache:6380');
    expect([p.defaultTtl, p.memoryCacheSize, p.compressionThreshold, p.compressionLevel, p.textHashThreshold]).toEqual([7200, 200, 500, 7, 500]);
    const d = AIResponseCacheConfig.createDevelopment();
    expect([d.redisUrl, d.defaultTtl, d.memoryCacheSize, d.compressionThreshold, d.compressionLevel, d.textHashThreshold]).toEqual(['redis://localhost:6379', 1800, 50, 2000, 3, 2000]);
    const t = AIResponseCacheConfig.createTesting();
    expect([t.defaultTtl, t.memoryCacheSize, t.compressionThreshold, t.compressionLevel, t.textHashThreshold]).toEqual([300, 10, 5000, 1, 5000]);
    expect(t.operationTtls).toEqual({ summarize: 300, sentiment: 300, key_points: 300, questions: 300, qa: 300 });
    for (const c of [AIResponseCacheConfig.createDefault(), p, d, t]) expect(c.validate().errors).toEqual([]);
  });

  it('never prints the URL password (toString, toJSON, util.inspect)', () => {
    const c = new AIResponseCacheConfig({ redisUrl: 'rediss://user:hunter2secret@cache:6380' });
    expect(c.redisUrl).toContain('hunter2secret');
    for (const text of [String(c), JSON.stringify(c), inspect(c)]) expect(text).not.toContain('hunter2secret');
    expect(String(c)).toBe('AIResponseCacheConfig(redisUrl=rediss://user:***@cache:6380, defaultTtl=3600, memoryCacheSize=100, textHashThreshold=1000)');
  });

  it('fromDict accepts camelCase and snake_case, warns once about unknown keys, rejects wrong types by name', () => {
    const logger = recordingLogger();
    const c = AIResponseCacheConfig.fromDict({ redis_url: 'redis://a:1', defaultTtl: 10, enable_l1_cache: false, unknown_a: 1, unknownB: 2 }, { logger });
    expect([c.redisUrl, c.defaultTtl, c.enableL1Cache, c.memoryCacheSize]).toEqual(['redis://a:1', 10, false, 0]);
    expect(logger.warnings).toEqual(['AIResponseCacheConfig ignores unknown key(s): unknown_a, unknownB']);
    let error: unknown;
    try {
      AIResponseCacheConfig.fromDict({ default_ttl: '10', operationTtls: [1] });
    } catch (e) {
      error = e;
    }
    expect(isConfigurationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^Failed to create AIResponseCacheConfig from dictionary: defaultTtl must be an integer.*operationTtls must be an object/);
  });

  it('fromEnv parses integers, booleans and JSON; bad integers and JSON are warned and ignored', () => {
    const logger = recordingLogger();
    const c = AIResponseCacheConfig.fromEnv(
      {
        AI_CACHE_REDIS_URL: 'redis://env:1', AI_CACHE_DEFAULT_TTL: '120', AI_CACHE_MEMORY_CACHE_SIZE: 'lots', AI_CACHE_ENABLE_L1_CACHE: 'Yes',
        AI_CACHE_HASH_ALGORITHM: 'md5', AI_CACHE_TEXT_SIZE_TIERS: '{"small":1,"medium":2,"large":3}', AI_CACHE_OPERATION_TTLS: '{bad',
      },
      'AI_CACHE_',
      { logger },
    );
    expect([c.redisUrl, c.defaultTtl, c.memoryCacheSize, c.enableL1Cache, c.hashAlgorithm]).toEqual(['redis://env:1', 120, 100, true, 'md5']);
    expect(c.textSizeTiers).toEqual({ small: 1, medium: 2, large: 3 });
    expect(c.operationTtls).toEqual(new AIResponseCacheConfig().operationTtls);
    expect(logger.warnings).toEqual(['Ignoring AI_CACHE_MEMORY_CACHE_SIZE: not an integer', 'Ignoring AI_CACHE_OPERATION_TTLS: not valid JSON']);
    expect(AIResponseCacheConfig.fromEnv({}).toJSON()).toEqual(new AIResponseCacheConfig().toJSON());
    expect(() => AIResponseCacheConfig.fromEnv({ X_ENABLE_L1_CACHE: 'maybe' }, 'X_')).toThrow(/X_ENABLE_L1_CACHE/);
  });

  describe('files', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ai-config-'));
      await writeFile(join(dir, 'ok.json'), JSON.stringify({ default_ttl: 42, operationTtls: { qa: 5 } }));
      await writeFile(join(dir, 'bad.json'), '{"redis_url": "rediss://u:topsecret@h:1",');
      await writeFile(join(dir, 'list.json'), '[1,2]');
      await writeFile(join(dir, 'ok.yaml'), 'default_ttl: 7\n');
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('fromJson reads a file', async () => {
      const c = await AIResponseCacheConfig.fromJson(join(dir, 'ok.json'));
      expect([c.defaultTtl, c.operationTtls]).toEqual([42, { qa: 5 }]);
    });

    it('fromJson: missing file, invalid JSON (content not echoed), non-object → ConfigurationError', async () => {
      await expect(AIResponseCacheConfig.fromJson(join(dir, 'nope.json'))).rejects.toThrow(/not found: .*nope\.json/);
      const invalid = await AIResponseCacheConfig.fromJson(join(dir, 'bad.json')).catch((e: unknown) => e);
      expect(isConfigurationError(invalid)).toBe(true);
      expect((invalid as Error).message).toMatch(/Invalid JSON/);
      expect(JSON.stringify(invalid) + String((invalid as Error).cause)).not.toContain('topsecret');
      await expect(AIResponseCacheConfig.fromJson(join(dir, 'list.json'))).rejects.toThrow(/JSON object/);
    });

    it('fromYaml needs an injected parser, and uses it', async () => {
      await expect(AIResponseCacheConfig.fromYaml(join(dir, 'ok.yaml'))).rejects.toThrow(/YAML needs a parser/);
      const parseYaml = (text: string): unknown => Object.fromEntries(text.trim().split('\n').map((l) => l.split(': ')).map(([k, v]) => [k, Number(v)]));
      expect((await AIResponseCacheConfig.fromYaml(join(dir, 'ok.yaml'), { parseYaml })).defaultTtl).toBe(7);
      await expect(AIResponseCacheConfig.fromYaml(join(dir, 'ok.yaml'), { parseYaml: () => { throw new Error('bad'); } })).rejects.toThrow(/Invalid YAML/);
    });
  });
});

describe('merge semantics and conversions (checklist 24)', () => {
  it('merge: fields other set explicitly win, even defaults and {}', () => {
    const base = new AIResponseCacheConfig({ defaultTtl: 100, operationTtls: { qa: 5 }, compressionLevel: 9 });
    const other = new AIResponseCacheConfig({ defaultTtl: 3600, operationTtls: {} });
    const merged = base.merge(other);
    expect([merged.defaultTtl, merged.operationTtls, merged.compressionLevel]).toEqual([3600, {}, 9]);
    expect(base.defaultTtl).toBe(100);
  });

  it('mergeWith replaces maps whole and skips undefined', () => {
    const base = new AIResponseCacheConfig({ textSizeTiers: { small: 1, medium: 2, large: 3 }, operationTtls: { qa: 5, summarize: 6 } });
    const merged = base.mergeWith({ operationTtls: { qa: 9 }, defaultTtl: undefined, compressionLevel: 2 });
    expect(merged.operationTtls).toEqual({ qa: 9 });
    expect(merged.textSizeTiers).toEqual({ small: 1, medium: 2, large: 3 });
    expect([merged.defaultTtl, merged.compressionLevel]).toEqual([3600, 2]);
    expect(base.operationTtls).toEqual({ qa: 5, summarize: 6 });
  });

  it('generic options hold no AI key and agree with the AI options', () => {
    const monitor = recordingRecorder();
    const c = new AIResponseCacheConfig({ memoryCacheSize: 42, performanceMonitor: monitor });
    const generic = c.toGenericCacheOptions();
    const ai = c.toAiCacheOptions();
    expect(Object.keys(generic).sort()).toEqual(['compressionLevel', 'compressionThreshold', 'defaultTtl', 'enableL1Cache', 'l1CacheSize', 'performanceMonitor', 'redisUrl']);
    expect(ai).toMatchObject(generic);
    expect(ai).toMatchObject({ l1CacheSize: 42, textHashThreshold: 1000, hashAlgorithm: 'sha256', enableSmartPromotion: false });
  });
});
