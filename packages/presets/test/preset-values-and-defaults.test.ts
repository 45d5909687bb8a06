import { silentLogger } from '@cache/core';
import { describe, expect, it } from 'vitest';
import {
  AI_DEFAULTS,
  CACHE_PRESETS,
  CacheStrategy,
  DEFAULT_PRESETS,
  EnvironmentPresets,
  PRESET_NAMES,
  createCacheConfig,
  presetToCacheConfig,
  validateCacheConfig,
  cacheValidator,
  resolveCacheConfig,
  toFactoryOptions,
  type CacheConfig,
} from '../src/index.js';

const P3 = {
  textHashThreshold: 1000,
  hashAlgorithm: 'sha256',
  textSizeTiers: { small: 1000, medium: 5000, large: 20000 },
  operationTtls: { summarize: 7200, sentiment: 3600, key_points: 5400, questions: 4800, qa: 3600 },
  enableSmartPromotion: true,
  maxTextLength: 100000,
};

describe('CacheStrategy (P1)', () => {
  it('has exactly four members with the string values a config serializes', () => {
    expect(CacheStrategy).toEqual({ FAST: 'fast', BALANCED: 'balanced', ROBUST: 'robust', AI_OPTIMIZED: 'ai_optimized' });
    expect(JSON.parse(JSON.stringify(createCacheConfig({ strategy: CacheStrategy.AI_OPTIMIZED }))).strategy).toBe('ai_optimized');
  });
});

describe('createCacheConfig defaults (P2) and AI defaults (P3)', () => {
  it('fills every P2 default', () => {
    expect(createCacheConfig()).toEqual({
      strategy: 'balanced', presetName: null, environment: 'development', redisUrl: null, redisPassword: null, useTls: false,
      tlsCertPath: null, tlsKeyPath: null, maxConnections: 10, connectionTimeout: 5, defaultTtl: 3600, memoryCacheSize: 100,
      compressionThreshold: 1000, compressionLevel: 6, enableAiCache: false, ai: null, enableMonitoring: true, logLevel: 'INFO',
    });
  });

  it.each(['fast', 'robust', 'ai_optimized'] as const)('choosing strategy %s changes no other field', (strategy) => {
    expect(createCacheConfig({ strategy })).toEqual({ ...createCacheConfig(), strategy });
  });

  it('is deeply frozen and does not freeze or retain the caller input', () => {
    const tiers = { small: 1, medium: 2, large: 3 };
    const c = createCacheConfig({ enableAiCache: true, ai: { textSizeTiers: tiers } });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.ai)).toBe(true);
    expect(Object.isFrozen(c.ai?.textSizeTiers)).toBe(true);
    expect(Object.isFrozen(tiers)).toBe(false);
    tiers.small = 99;
    expect(c.ai?.textSizeTiers['small']).toBe(1);
  });

  it('turning AI on without an ai section fills exactly the P3 defaults', () => {
    expect(createCacheConfig({ enableAiCache: true }).ai).toEqual(P3);
    expect(AI_DEFAULTS).toEqual(P3);
  });

  it('a partial ai section is overlaid on P3 defaults and implies enableAiCache', () => {
    const c = createCacheConfig({ ai: { textHashThreshold: 42 } });
    expect(c.enableAiCache).toBe(true);
    expect(c.ai).toEqual({ ...P3, textHashThreshold: 42 });
  });

  it('enableAiCache false wins over a given ai section (ai === null)', () => {
    expect(createCacheConfig({ enableAiCache: false, ai: { textHashThreshold: 42 } }).ai).toBeNull();
  });
});

describe('DEFAULT_PRESETS (P4)', () => {
  it.each([
    ['fast', 600, 3, 2, 50, 2000, 3, false, 'DEBUG'],
    ['balanced', 3600, 10, 5, 100, 1000, 6, false, 'INFO'],
    ['robust', 7200, 20, 10, 500, 500, 9, false, 'INFO'],
    ['ai_optimized', 14400, 25, 15, 1000, 300, 9, true, 'INFO'],
  ] as const)('%s: ttl %i, conn %i, timeout %i, mem %i, thr %i, lvl %i, AI %s, log %s', (strategy, ttl, conn, timeout, mem, thr, lvl, ai, log) => {
    const c = DEFAULT_PRESETS[strategy];
    expect(c).toMatchObject({
      strategy, defaultTtl: ttl, maxConnections: conn, connectionTimeout: timeout, memoryCacheSize: mem,
      compressionThreshold: thr, compressionLevel: lvl, enableAiCache: ai, enableMonitoring: true, logLevel: log,
    });
    expect(c.ai).toEqual(ai ? P3 : null);
    expect(Object.isFrozen(c)).toBe(true);
    expect(validateCacheConfig(c).errors).toEqual([]);
  });

  it('holds four distinct objects', () => {
    expect(new Set(Object.values(DEFAULT_PRESETS)).size).toBe(4);
    expect(Object.keys(DEFAULT_PRESETS)).toEqual(['fast', 'balanced', 'robust', 'ai_optimized']);
  });
});

describe('CACHE_PRESETS (§3.2)', () => {
  it('has the seven presets in table order', () => {
    expect(Object.keys(CACHE_PRESETS)).toEqual(['disabled', 'minimal', 'simple', 'development', 'production', 'ai-development', 'ai-production']);
    expect([...PRESET_NAMES]).toEqual(Object.keys(CACHE_PRESETS));
  });

  it.each([
    ['disabled', 'Disabled', 'fast', 300, 1, 1, 10, 10000, 1, false, false, 'WARNING', ['testing', 'minimal']],
    ['minimal', 'Minimal', 'fast', 900, 2, 3, 25, 5000, 1, false, false, 'ERROR', ['minimal', 'embedded', 'iot', 'container', 'serverless']],
    ['simple', 'Simple', 'balanced', 3600, 5, 5, 100, 1000, 6, false, true, 'INFO', ['development', 'testing', 'staging', 'production']],
    ['development', 'Development', 'fast', 600, 3, 2, 50, 2000, 3, false, true, 'DEBUG', ['development', 'local']],
    ['production', 'Production', 'robust', 7200, 20, 10, 500, 500, 9, false, true, 'INFO', ['production', 'staging']],
    ['ai-development', 'AI Development', 'ai_optimized', 1800, 5, 5, 100, 1000, 6, true, true, 'DEBUG', ['development', 'ai-development']],
    ['ai-production', 'AI Production', 'ai_optimized', 14400, 25, 15, 1000, 300, 9, true, true, 'INFO', ['production', 'ai-production']],
  ] as const)(
    '%s = %s, %s, ttl %i, conn %i, timeout %i, mem %i, thr %i, lvl %i, AI %s, monitor %s, %s',
    (key, name, strategy, ttl, conn, timeout, mem, thr, lvl, ai, monitor, log, contexts) => {
      const p = CACHE_PRESETS[key];
      expect(p).toEqual({
        key, name, strategy, defaultTtl: ttl, maxConnections: conn, connectionTimeout: timeout, memoryCacheSize: mem,
        compressionThreshold: thr, compressionLevel: lvl, enableAiCache: ai, enableMonitoring: monitor, logLevel: log,
        environmentContexts: contexts, description: p.description, aiOptimizations: p.aiOptimizations,
      });
      expect(p.description.length).toBeGreaterThan(20);
      if (!ai) expect(p.aiOptimizations).toEqual({});
      expect(Object.isFrozen(p)).toBe(true);
      expect(Object.isFrozen(p.environmentContexts)).toBe(true);
    },
  );

  it('the production description mentions production', () => {
    expect(CACHE_PRESETS.production.description).toContain('production');
  });

  it.each([
    ['ai-development', 500, { small: 500, medium: 2000, large: 10000 }, { summarize: 1800, sentiment: 900, key_points: 1200, questions: 1500, qa: 900 }, 50000],
    ['ai-production', 1000, { small: 1000, medium: 5000, large: 25000 }, { summarize: 14400, sentiment: 7200, key_points: 10800, questions: 9600, qa: 7200 }, 200000],
  ] as const)('%s aiOptimizations', (key, threshold, tiers, ttls, maxText) => {
    expect(CACHE_PRESETS[key].aiOptimizations).toEqual({
      textHashThreshold: threshold, hashAlgorithm: 'sha256', textSizeTiers: tiers, operationTtls: ttls,
      enableSmartPromotion: true, maxTextLength: maxText,
    });
  });
});

describe('presetToCacheConfig (P6)', () => {
  it.each([
    ['disabled', 'testing'],
    ['minimal', 'minimal'],
    ['simple', 'development'],
    ['development', 'development'],
    ['production', 'production'],
    ['ai-development', 'development'],
    ['ai-production', 'production'],
  ] as const)('%s → environment %s, presetName = key, scalars copied, Redis/TLS unset', (key, environment) => {
    const p = CACHE_PRESETS[key];
    const c = presetToCacheConfig(p);
    expect(c).toMatchObject({
      presetName: key, environment, strategy: p.strategy, defaultTtl: p.defaultTtl, maxConnections: p.maxConnections,
      connectionTimeout: p.connectionTimeout, memoryCacheSize: p.memoryCacheSize, compressionThreshold: p.compressionThreshold,
      compressionLevel: p.compressionLevel, enableAiCache: p.enableAiCache, enableMonitoring: p.enableMonitoring, logLevel: p.logLevel,
      redisUrl: null, redisPassword: null, useTls: false, tlsCertPath: null, tlsKeyPath: null,
    });
    if (p.enableAiCache) expect(c.ai).toEqual({ ...P3, ...p.aiOptimizations });
    else expect(c.ai).toBeNull();
  });

  it('falls back to environment development when a preset has no contexts', () => {
    expect(presetToCacheConfig({ ...CACHE_PRESETS.simple, environmentContexts: [] }).environment).toBe('development');
  });

  it('fills P3 defaults for AI fields a preset leaves out', () => {
    const c = presetToCacheConfig({ ...CACHE_PRESETS['ai-production'], aiOptimizations: { textHashThreshold: 700 } });
    expect(c.ai).toEqual({ ...P3, textHashThreshold: 700 });
  });
});

describe('EnvironmentPresets (P7)', () => {
  const all: [string, () => CacheConfig, string][] = [
    ['disabled', EnvironmentPresets.disabled, 'disabled'],
    ['minimal', EnvironmentPresets.minimal, 'minimal'],
    ['simple', EnvironmentPresets.simple, 'simple'],
    ['development', EnvironmentPresets.development, 'development'],
    ['testing', EnvironmentPresets.testing, 'development'],
    ['production', EnvironmentPresets.production, 'production'],
    ['aiDevelopment', EnvironmentPresets.aiDevelopment, 'ai-development'],
    ['aiProduction', EnvironmentPresets.aiProduction, 'ai-production'],
  ];

  it.each(all)('%s() equals presetToCacheConfig(CACHE_PRESETS[%s]) and validates with zero errors and warnings', (_n, make, key) => {
    const c = make();
    expect(c).toEqual(presetToCacheConfig(CACHE_PRESETS[key as keyof typeof CACHE_PRESETS]));
    const result = validateCacheConfig(c);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('testing() is the development preset with environment development', () => {
    expect(EnvironmentPresets.testing()).toEqual(EnvironmentPresets.development());
    expect(EnvironmentPresets.testing().environment).toBe('development');
  });

  it('getPresetNames / getPresetDetails / recommendPreset delegate to the shared manager', () => {
    expect(EnvironmentPresets.getPresetNames()).toEqual([...PRESET_NAMES]);
    expect(EnvironmentPresets.getPresetDetails('minimal').name).toBe('Minimal');
    expect(EnvironmentPresets.recommendPreset('staging')).toBe('production');
  });

  it('every built-in preset passes validatePreset with no errors or warnings', () => {
    for (const p of Object.values(CACHE_PRESETS)) {
      const r = cacheValidator.validatePreset(p);
      expect(r.isValid).toBe(true);
      expect(r.warnings).toEqual([]);
    }
  });
});

describe('output is plain data (no cache objects)', () => {
  it.each(PRESET_NAMES.map((k) => [k]))('the %s config and its factory options survive a JSON round trip unchanged', (key) => {
    const c = resolveCacheConfig({ env: { CACHE_PRESET: key, ENABLE_AI_CACHE: 'true' }, logger: silentLogger });
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
    expect(Object.getPrototypeOf(c)).toBe(Object.prototype);
    expect(Object.values(c).some((v) => typeof v === 'function')).toBe(false);
    const options = toFactoryOptions(c);
    expect(JSON.parse(JSON.stringify(options))).toEqual(options);
  });
});
