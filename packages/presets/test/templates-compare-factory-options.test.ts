import { describe, expect, it } from 'vitest';
import {
  AI_DEFAULTS,
  CACHE_PRESETS,
  CacheValidator,
  cacheValidator,
  createCacheConfig,
  presetToCacheConfig,
  toFactoryOptions,
} from '../src/index.js';
import { thrown } from './support.js';

describe('templates (V7)', () => {
  it('are listed in order', () => {
    expect(cacheValidator.listTemplates()).toEqual(['fast_development', 'robust_production', 'ai_optimized']);
  });

  it.each([
    ['fast_development', 'fast', 600, 3, 2, 50, 2000, 3, false, 'DEBUG'],
    ['robust_production', 'robust', 7200, 20, 10, 500, 500, 9, false, 'INFO'],
    ['ai_optimized', 'ai_optimized', 14400, 25, 15, 1000, 300, 9, true, 'INFO'],
  ] as const)('%s has its values and validates with zero errors', (name, strategy, ttl, conn, timeout, mem, thr, lvl, ai, log) => {
    const t = cacheValidator.getTemplate(name);
    expect(t).toMatchObject({
      strategy, defaultTtl: ttl, maxConnections: conn, connectionTimeout: timeout, memoryCacheSize: mem,
      compressionThreshold: thr, compressionLevel: lvl, enableAiCache: ai, enableMonitoring: true, logLevel: log,
    });
    if (ai) expect(t['ai']).toEqual({ textHashThreshold: 1000 });
    expect(cacheValidator.validateConfiguration(t).errors).toEqual([]);
  });

  it('getTemplate returns a fresh copy each time', () => {
    const a = cacheValidator.getTemplate('ai_optimized');
    (a['ai'] as Record<string, unknown>)['textHashThreshold'] = 1;
    a['defaultTtl'] = 1;
    expect(cacheValidator.getTemplate('ai_optimized')).toMatchObject({ defaultTtl: 14400, ai: { textHashThreshold: 1000 } });
  });

  it.each(['nope', '', 'toString', 'Fast_Development'])('unknown template %o → ConfigurationError listing the available ones', (name) => {
    const e = thrown(() => cacheValidator.getTemplate(name));
    expect(e.name).toBe('ConfigurationError');
    expect(e.message).toContain('Unknown template');
    expect(e.message).toContain('Available: fast_development, robust_production, ai_optimized');
  });
});

describe('compareConfigurations (V8)', () => {
  it('buckets keys: added/removed sorted, changed and identical in sorted key order, deep equality', () => {
    const a = { z: 1, b: { x: [1, 2] }, a: 'same', gone: true, c: 3, m: null };
    const b = { a: 'same', new2: 1, b: { x: [1, 2] }, c: 4, z: 2, new1: 0, m: null };
    expect(cacheValidator.compareConfigurations(a, b)).toEqual({
      addedKeys: ['new1', 'new2'],
      removedKeys: ['gone'],
      changedValues: [
        { key: 'c', oldValue: 3, newValue: 4 },
        { key: 'z', oldValue: 1, newValue: 2 },
      ],
      identicalKeys: ['a', 'b', 'm'],
    });
  });

  it('nested differences count as changed', () => {
    const a = presetToCacheConfig(CACHE_PRESETS['ai-development']);
    const b = createCacheConfig({ ...a, ai: { ...a.ai, operationTtls: { ...a.ai?.operationTtls, qa: 1 } } });
    const diff = cacheValidator.compareConfigurations(a, b);
    expect(diff.changedValues.map((c) => c.key)).toEqual(['ai']);
    expect(diff.identicalKeys).toHaveLength(Object.keys(a).length - 1);
  });
});

describe('schemas (V9)', () => {
  it('preset schema is a JSON Schema object with required fields, name string and the strategy enum', () => {
    const s = cacheValidator.schemas.preset as Record<string, any>;
    expect(s['type']).toBe('object');
    expect(s['required']).toEqual(expect.arrayContaining(['name', 'description', 'strategy', 'environmentContexts']));
    expect(s['properties']['name']['type']).toBe('string');
    expect(s['properties']['strategy']['enum']).toEqual(['fast', 'balanced', 'robust', 'ai_optimized']);
    expect(s['properties']['maxConnections']).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
  });

  it('configuration schema has type and properties', () => {
    const s = new CacheValidator().schemas.configuration as Record<string, any>;
    expect(s['type']).toBe('object');
    expect(Object.keys(s['properties'])).toEqual(expect.arrayContaining(['strategy', 'redisUrl', 'defaultTtl', 'ai', 'logLevel']));
    expect(s['required']).toEqual(['strategy']);
  });
});

describe('toFactoryOptions (§3.10)', () => {
  it('maps a plain config: no redisUrl, no securityConfig, no AI fields, no nulls', () => {
    const out = toFactoryOptions(presetToCacheConfig(CACHE_PRESETS.production));
    expect(out).toEqual({
      defaultTtl: 7200, l1CacheSize: 500, enableL1Cache: true, compressionThreshold: 500, compressionLevel: 9,
      maxConnections: 20, connectionTimeout: 10, enableAiCache: false, enableMonitoring: true, logLevel: 'INFO',
      cacheStrategy: 'robust', presetName: 'production',
    });
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });

  it('createCacheConfig() defaults omit presetName and redisUrl', () => {
    const out = toFactoryOptions(createCacheConfig());
    expect('presetName' in out).toBe(false);
    expect('redisUrl' in out).toBe(false);
  });

  it.each([
    [{ redisPassword: 'pw' }, { redisAuth: 'pw', connectionTimeout: 5, maxRetries: 3 }],
    [{ useTls: true }, { useTls: true, connectionTimeout: 5, maxRetries: 3 }],
    [{ tlsCertPath: '/c.pem' }, { tlsCertPath: '/c.pem', connectionTimeout: 5, maxRetries: 3 }],
    [{ tlsKeyPath: '/k.pem', connectionTimeout: 7 }, { tlsKeyPath: '/k.pem', connectionTimeout: 7, maxRetries: 3 }],
    [
      { redisPassword: 'pw', useTls: true, tlsCertPath: '/c', tlsKeyPath: '/k' },
      { redisAuth: 'pw', useTls: true, tlsCertPath: '/c', tlsKeyPath: '/k', connectionTimeout: 5, maxRetries: 3 },
    ],
  ])('securityConfig for %o', (input, security) => {
    expect(toFactoryOptions(createCacheConfig({ redisUrl: 'rediss://h:1', ...input })).securityConfig).toEqual(security);
  });

  it('no securityConfig without password, TLS or paths (useTls false is not an explicit opt-out)', () => {
    expect(toFactoryOptions(createCacheConfig({ redisUrl: 'redis://h:1' }))).not.toHaveProperty('securityConfig');
  });

  it('AI fields appear flat only when AI is on', () => {
    const out = toFactoryOptions(presetToCacheConfig(CACHE_PRESETS['ai-production']));
    const ai = CACHE_PRESETS['ai-production'].aiOptimizations;
    expect(out).toMatchObject({
      enableAiCache: true, textHashThreshold: ai.textHashThreshold, operationTtls: ai.operationTtls, textSizeTiers: ai.textSizeTiers,
      hashAlgorithm: 'sha256', enableSmartPromotion: true, maxTextLength: 200000, cacheStrategy: 'ai_optimized', l1CacheSize: 1000,
    });
    expect(toFactoryOptions(createCacheConfig({ enableAiCache: true })).operationTtls).toEqual(AI_DEFAULTS.operationTtls);
    const off = toFactoryOptions(createCacheConfig());
    for (const k of ['textHashThreshold', 'operationTtls', 'textSizeTiers', 'hashAlgorithm', 'enableSmartPromotion', 'maxTextLength']) {
      expect(off).not.toHaveProperty(k);
    }
  });

  it('returns mutable copies of the maps', () => {
    const c = createCacheConfig({ enableAiCache: true });
    const out = toFactoryOptions(c);
    expect(out.operationTtls).not.toBe(c.ai?.operationTtls);
    expect(Object.isFrozen(out.operationTtls)).toBe(false);
  });
});
