import { describe, expect, it } from 'vitest';
import { CACHE_PRESETS, CachePresetManager, PRESET_NAMES, cachePresetManager, type CachePreset } from '../src/index.js';
import { recordingLogger, thrown } from './support.js';

const KEYS = [...PRESET_NAMES];

describe('getPreset / listPresets (P5, P8)', () => {
  it('lists the seven keys in table order, stable across calls', () => {
    expect(cachePresetManager.listPresets()).toEqual(KEYS);
    expect(cachePresetManager.listPresets()).toEqual(cachePresetManager.listPresets());
  });

  it.each(KEYS)('returns the built-in %s preset', (key) => {
    expect(cachePresetManager.getPreset(key)).toBe(CACHE_PRESETS[key]);
  });

  it.each(['', 'Development', 'PRODUCTION', 'staging', 'ai-dev', ' simple', 'auto'])('unknown name %o → ConfigurationError UNKNOWN_PRESET listing every key', (name) => {
    const e = thrown(() => cachePresetManager.getPreset(name));
    expect(e.name).toBe('ConfigurationError');
    expect(e.code).toBe('UNKNOWN_PRESET');
    expect(e.message).toContain(JSON.stringify(name));
    expect(e.message).toContain('Available presets:');
    for (const k of KEYS) expect(e.message).toContain(k);
    expect(e.context).toEqual({ requested_preset: name, available: KEYS });
  });
});

describe('getPresetDetails / getAllPresetsSummary (P9)', () => {
  it('describes a non-AI preset with aiOptimizations null', () => {
    expect(cachePresetManager.getPresetDetails('production')).toEqual({
      name: 'Production',
      description: CACHE_PRESETS.production.description,
      configuration: {
        strategy: 'robust', defaultTtl: 7200, maxConnections: 20, connectionTimeout: 10, memoryCacheSize: 500,
        compressionThreshold: 500, compressionLevel: 9, enableAiCache: false, enableMonitoring: true, logLevel: 'INFO',
      },
      environmentContexts: ['production', 'staging'],
      aiOptimizations: null,
    });
  });

  it('describes an AI preset with its aiOptimizations object (a copy)', () => {
    const d = cachePresetManager.getPresetDetails('ai-development');
    expect(d.aiOptimizations).toEqual(CACHE_PRESETS['ai-development'].aiOptimizations);
    expect(d.aiOptimizations).not.toBe(CACHE_PRESETS['ai-development'].aiOptimizations);
    expect(d.configuration.enableAiCache).toBe(true);
  });

  it('unknown name → UNKNOWN_PRESET', () => {
    expect(thrown(() => cachePresetManager.getPresetDetails('nope')).code).toBe('UNKNOWN_PRESET');
  });

  it('the summary covers every key with its details', () => {
    const summary = cachePresetManager.getAllPresetsSummary();
    expect(Object.keys(summary)).toEqual(KEYS);
    for (const k of KEYS) expect(summary[k]).toEqual(cachePresetManager.getPresetDetails(k));
  });
});

describe('validatePreset and extra presets (P10)', () => {
  const custom: CachePreset = {
    ...CACHE_PRESETS.simple,
    key: 'edge',
    name: 'Edge',
    description: 'A custom preset for edge nodes with tiny memory',
    defaultTtl: 60,
    maxConnections: 1,
    connectionTimeout: 1,
    memoryCacheSize: 1,
    compressionThreshold: 1,
    compressionLevel: 1,
  };

  it('accepts a preset at the minimum bounds', () => {
    expect(new CachePresetManager().validatePreset(custom)).toBe(true);
  });

  it('returns false and logs each error (error level) and warning (warn level)', () => {
    const logger = recordingLogger();
    const bad = { ...custom, maxConnections: 0, environmentContexts: ['mars'] };
    expect(new CachePresetManager({ logger }).validatePreset(bad)).toBe(false);
    expect(logger.lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      expect.stringContaining('maxConnections must be an integer between 1 and 100, got 0'),
    ]);
    expect(logger.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([expect.stringContaining('Unknown environment context')]);
  });

  it('extra presets are listed after the built-ins and retrievable', () => {
    const m = new CachePresetManager({ extraPresets: [custom] });
    expect(m.listPresets()).toEqual([...KEYS, 'edge']);
    expect(m.getPreset('edge')).toMatchObject({ name: 'Edge', memoryCacheSize: 1 });
    expect(Object.isFrozen(m.getPreset('edge'))).toBe(true);
    expect(cachePresetManager.listPresets()).toEqual(KEYS);
  });

  it('an invalid extra preset throws ValidationError naming the problem', () => {
    const e = thrown(() => new CachePresetManager({ extraPresets: [{ ...custom, defaultTtl: 59 }] }));
    expect(e.name).toBe('ValidationError');
    expect(e.code).toBe('INVALID_PRESET');
    expect(e.message).toContain('defaultTtl must be an integer between 60 and 86400, got 59');
  });

  it.each(['simple', 'ai-production'])('an extra preset whose key collides with built-in %s throws ConfigurationError', (key) => {
    const e = thrown(() => new CachePresetManager({ extraPresets: [{ ...custom, key }] }));
    expect(e.name).toBe('ConfigurationError');
    expect(e.message).toContain('collides');
  });

  it('two extra presets with the same key throw ConfigurationError', () => {
    expect(thrown(() => new CachePresetManager({ extraPresets: [custom, custom] })).name).toBe('ConfigurationError');
  });
});
