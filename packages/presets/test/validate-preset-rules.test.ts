import { describe, expect, it } from 'vitest';
import { CACHE_PRESETS, cacheValidator } from '../src/index.js';

const simple = CACHE_PRESETS.simple;
const aiDev = CACHE_PRESETS['ai-development'];
const required = [
  'name', 'description', 'strategy', 'defaultTtl', 'maxConnections', 'connectionTimeout', 'memoryCacheSize',
  'compressionThreshold', 'compressionLevel', 'enableAiCache', 'enableMonitoring', 'logLevel', 'environmentContexts',
];
const without = (o: object, ...keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

describe('validatePreset (V5)', () => {
  it('validationType is preset', () => {
    expect(cacheValidator.validatePreset(simple).validationType).toBe('preset');
  });

  it.each(required)('missing %s → "Missing required field" and nothing else is checked', (field) => {
    const r = cacheValidator.validatePreset({ ...without(simple, field), maxConnections: field === 'maxConnections' ? undefined : 0, environmentContexts: field === 'environmentContexts' ? undefined : ['mars'] });
    expect(r.errors).toEqual([`Missing required field: ${field}`]);
    expect(r.warnings).toEqual([]);
  });

  it('reports every absent field', () => {
    expect(cacheValidator.validatePreset({}).errors).toEqual(required.map((f) => `Missing required field: ${f}`));
  });

  it('key and aiOptimizations are optional', () => {
    expect(cacheValidator.validatePreset(without(simple, 'key', 'aiOptimizations')).isValid).toBe(true);
  });

  it('a non-object is an error', () => {
    expect(cacheValidator.validatePreset(null).isValid).toBe(false);
  });

  it.each([
    ['defaultTtl', 59, 'defaultTtl must be an integer between 60 and 86400, got 59'],
    ['defaultTtl', 86401, 'defaultTtl must be an integer between 60 and 86400, got 86401'],
    ['maxConnections', 101, 'maxConnections must be an integer between 1 and 100, got 101'],
    ['connectionTimeout', 0, 'connectionTimeout must be an integer between 1 and 60, got 0'],
    ['memoryCacheSize', 10001, 'memoryCacheSize must be an integer between 1 and 10000, got 10001'],
    ['compressionThreshold', -1, 'compressionThreshold must be an integer between 0 and 1048576, got -1'],
    ['compressionLevel', 10, 'compressionLevel must be an integer between 1 and 9, got 10'],
    ['strategy', 'turbo', 'strategy must be one of fast, balanced, robust, ai_optimized, got "turbo"'],
    ['logLevel', 'info', 'logLevel must be one of DEBUG, INFO, WARNING, ERROR, got "info"'],
    ['enableMonitoring', 'yes', 'enableMonitoring must be a boolean, got "yes"'],
  ])('%s = %o → %s', (field, value, message) => {
    expect(cacheValidator.validatePreset({ ...simple, [field]: value }).errors).toEqual([message]);
  });

  it('AI on with empty aiOptimizations → one info, still valid', () => {
    const r = cacheValidator.validatePreset({ ...aiDev, aiOptimizations: {} });
    expect(r.isValid).toBe(true);
    expect(r.info).toHaveLength(1);
    expect(r.warnings).toEqual([]);
  });

  it.each([
    [99, false],
    [100, true],
    [10000, true],
    [10001, false],
  ])('AI textHashThreshold %i valid: %s', (threshold, ok) => {
    const r = cacheValidator.validatePreset({ ...aiDev, aiOptimizations: { ...aiDev.aiOptimizations, textHashThreshold: threshold } });
    expect(r.isValid).toBe(ok);
    if (!ok) expect(r.errors).toEqual([`aiOptimizations.textHashThreshold must be an integer between 100 and 10000, got ${threshold}`]);
  });

  it('each operation TTL must be an integer ≥ 60', () => {
    const r = cacheValidator.validatePreset({ ...aiDev, aiOptimizations: { operationTtls: { qa: 59, summarize: 60, sentiment: 90.5 } } });
    expect(r.errors).toEqual([
      'aiOptimizations.operationTtls.qa must be an integer of at least 60 seconds, got 59',
      expect.stringContaining('aiOptimizations.operationTtls.sentiment'),
    ]);
  });

  it('tiers not ascending → warning', () => {
    const r = cacheValidator.validatePreset({ ...aiDev, aiOptimizations: { textSizeTiers: { small: 5000, medium: 1000, large: 20000 } } });
    expect(r.isValid).toBe(true);
    expect(r.warnings).toEqual([expect.stringContaining('not ascending')]);
  });

  it('AI off with non-empty optimizations → warning', () => {
    const r = cacheValidator.validatePreset({ ...simple, aiOptimizations: { textHashThreshold: 500 } });
    expect(r.isValid).toBe(true);
    expect(r.warnings).toEqual([expect.stringContaining('enableAiCache is false')]);
  });

  it.each([
    [7201, 199, true],
    [7200, 199, false],
    [7201, 200, false],
  ])('defaultTtl %i with memoryCacheSize %i → eviction warning: %s', (ttl, mem, warns) => {
    const r = cacheValidator.validatePreset({ ...simple, defaultTtl: ttl, memoryCacheSize: mem });
    expect(r.warnings).toEqual(warns ? [expect.stringContaining('frequent evictions')] : []);
  });

  it('empty contexts → "No environment contexts specified"', () => {
    expect(cacheValidator.validatePreset({ ...simple, environmentContexts: [] }).warnings).toEqual(['No environment contexts specified']);
  });

  it('each unknown context → a warning; known ones are quiet', () => {
    const r = cacheValidator.validatePreset({ ...simple, environmentContexts: ['prod', 'mars', 'demo', 'venus'] });
    expect(r.warnings).toHaveLength(2);
    for (const w of r.warnings) {
      expect(w).toContain('Unknown environment context');
      expect(w).toContain('may not match auto-detection');
    }
    expect(r.warnings[0]).toContain('mars');
    expect(r.warnings[1]).toContain('venus');
  });

  it.each([
    'development', 'dev', 'testing', 'test', 'staging', 'stage', 'production', 'prod', 'ai-development', 'ai-production',
    'local', 'demo', 'sandbox', 'minimal', 'embedded', 'iot', 'container', 'serverless',
  ])('context %s is known', (c) => {
    expect(cacheValidator.validatePreset({ ...simple, environmentContexts: [c] }).warnings).toEqual([]);
  });
});
