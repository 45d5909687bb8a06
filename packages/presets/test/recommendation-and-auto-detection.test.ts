import { detectEnvironment, Environment, FeatureContext, type EnvironmentInfo } from '@cache/core';
import { describe, expect, it } from 'vitest';
import { CACHE_PRESETS, CachePresetManager } from '../src/index.js';

const manager = new CachePresetManager({ env: {} });

describe('exact environment names (P11)', () => {
  it.each([
    ['development', 'development', 0.95],
    ['dev', 'development', 0.9],
    ['testing', 'development', 0.85],
    ['test', 'development', 0.85],
    ['staging', 'production', 0.9],
    ['stage', 'production', 0.85],
    ['production', 'production', 0.95],
    ['prod', 'production', 0.9],
    ['live', 'production', 0.85],
    ['ai-development', 'ai-development', 0.95],
    ['ai-production', 'ai-production', 0.95],
    ['ai-dev', 'ai-development', 0.9],
    ['ai-prod', 'ai-production', 0.9],
    ['  PRODUCTION ', 'production', 0.95],
  ])('%o → %s at %d', (input, preset, confidence) => {
    const rec = manager.recommendPresetWithDetails(input);
    expect(rec).toMatchObject({ presetName: preset, confidence, environmentDetected: input });
    expect(manager.recommendPreset(input)).toBe(preset);
  });

  it('exact-match reasoning names the environment', () => {
    const { reasoning } = manager.recommendPresetWithDetails('ai-production');
    expect(reasoning).toContain('ai');
    expect(reasoning).toContain('production');
  });
});

describe('pattern rules (P12)', () => {
  it.each([
    ['dev-staging', 'production', 0.7],
    ['uat-eu', 'production', 0.7],
    ['preprod', 'production', 0.7],
    ['integration-2', 'production', 0.7],
    ['prod-cluster-1', 'production', 0.75],
    ['release-42', 'production', 0.75],
    ['testing-prod', 'development', 0.75],
    ['prod-dev-hybrid', 'development', 0.75],
    ['local-box', 'development', 0.75],
    ['sandbox', 'development', 0.75],
    ['ai-ml-production', 'ai-production', 0.8],
    ['ai-live', 'ai-production', 0.8],
    ['team-ai', 'ai-development', 0.75],
    ['ai', 'ai-development', 0.75],
    ['main-cluster', 'production', 0.75],
    ['maintenance', 'production', 0.75],
    ['domain', 'production', 0.75],
  ])('%o → %s at %d with "pattern" in the reasoning', (input, preset, confidence) => {
    const rec = manager.recommendPresetWithDetails(input);
    expect(rec).toMatchObject({ presetName: preset, confidence, environmentDetected: input });
    expect(rec.reasoning).toContain('pattern');
  });

  it.each(['custom-deployment', 'unknown-env', 'mystery-env', '', 'constructor', '__proto__', 'toString'])('%o → simple 0.40 with an "unknown … default" reasoning', (input) => {
    const rec = manager.recommendPresetWithDetails(input);
    expect(rec).toMatchObject({ presetName: 'simple', confidence: 0.4 });
    expect(rec.reasoning).toContain('unknown');
    expect(rec.reasoning).toContain('default');
    expect(rec.reasoning.split(/\s+/).length).toBeGreaterThanOrEqual(5);
  });

  it('token rule: `maintenance` and `domain` are not AI environments', () => {
    expect(manager.recommendPreset('maintenance')).not.toMatch(/^ai-/);
    expect(manager.recommendPreset('domain')).not.toMatch(/^ai-/);
  });
});

describe('auto-detection from an explicit env (§3.5)', () => {
  const auto = (env: Record<string, string>) => new CachePresetManager({ env }).recommendPresetWithDetails();

  it('NODE_ENV=development → development ≥ 0.70', () => {
    const rec = auto({ NODE_ENV: 'development' });
    expect(rec.presetName).toBe('development');
    expect(rec.confidence).toBeGreaterThanOrEqual(0.7);
    expect(rec.environmentDetected).toBe('development (auto-detected)');
  });

  it('NODE_ENV=production + DEBUG=false → production ≥ 0.70, reasoning from the detector', () => {
    const rec = auto({ NODE_ENV: 'production', DEBUG: 'false' });
    expect(rec.presetName).toBe('production');
    expect(rec.confidence).toBeGreaterThanOrEqual(0.7);
    expect(rec.environmentDetected).toContain('auto-detected');
    expect(rec.reasoning.length).toBeGreaterThan(30);
  });

  it.each([
    [{ NODE_ENV: 'test' }, 'development', 0.85],
    [{ APP_ENV: 'staging' }, 'production', 0.85],
    [{ ENVIRONMENT: 'prod' }, 'production', 0.95],
  ])('%o → %s at %d', (env, preset, confidence) => {
    expect(auto(env)).toMatchObject({ presetName: preset, confidence });
  });

  it('ENABLE_AI_CACHE=true + NODE_ENV=production → ai-production (AI-enabled)', () => {
    const rec = auto({ ENABLE_AI_CACHE: 'true', NODE_ENV: 'production' });
    expect(rec).toMatchObject({ presetName: 'ai-production', confidence: 0.85, environmentDetected: 'production (auto-detected, AI-enabled)' });
  });

  it('ENABLE_AI_CACHE=yes + NODE_ENV=development → ai-development', () => {
    expect(auto({ ENABLE_AI_CACHE: 'yes', NODE_ENV: 'development' }).presetName).toBe('ai-development');
  });

  it('ENVIRONMENT=ai-prod → ai-production at 0.90', () => {
    expect(auto({ ENVIRONMENT: 'ai-prod' })).toMatchObject({ presetName: 'ai-production', confidence: 0.9 });
  });

  it('ENVIRONMENT with an ai token but no prod word → ai-development at 0.90, overriding NODE_ENV', () => {
    expect(auto({ ENVIRONMENT: 'ai-lab', NODE_ENV: 'production' })).toMatchObject({ presetName: 'ai-development', confidence: 0.9 });
  });

  it('ENVIRONMENT=maintenance is not an AI environment', () => {
    expect(auto({ ENVIRONMENT: 'maintenance' }).presetName).toBe('simple');
  });

  it('CACHE_PRESET naming a preset wins at 0.60, even over ENVIRONMENT=ai-prod', () => {
    expect(auto({ CACHE_PRESET: 'minimal', ENVIRONMENT: 'ai-prod' })).toMatchObject({
      presetName: 'minimal', confidence: 0.6, environmentDetected: 'minimal (CACHE_PRESET)',
    });
  });

  it('CACHE_PRESET naming no preset is ignored by detection', () => {
    expect(auto({ CACHE_PRESET: 'nope', NODE_ENV: 'production' }).presetName).toBe('production');
  });

  it('empty env → simple at ≤ 0.50, reasoning says no clear indicators', () => {
    const rec = auto({});
    expect(rec.presetName).toBe('simple');
    expect(rec.confidence).toBeLessThanOrEqual(0.5);
    expect(rec.reasoning).toMatch(/no clear .*indicators/i);
    expect(rec.environmentDetected).toBe('unknown (auto-detected)');
  });

  it('empty env with ENABLE_AI_CACHE=1 → ai-development', () => {
    expect(auto({ ENABLE_AI_CACHE: '1' })).toMatchObject({ presetName: 'ai-development', environmentDetected: 'unknown (auto-detected, AI-enabled)' });
  });

  it('an invalid ENABLE_AI_CACHE value counts as off for detection', () => {
    expect(auto({ ENABLE_AI_CACHE: 'maybe', NODE_ENV: 'production' }).presetName).toBe('production');
  });
});

describe('injected environment resolver (acceptance 12)', () => {
  const resolverFor = (environment: Environment, confidence: number) => {
    const calls: (FeatureContext | undefined)[] = [];
    const resolver = (context?: FeatureContext): EnvironmentInfo => {
      calls.push(context);
      return { environment, confidence, reasoning: `custom resolver says ${environment} from the platform`, featureContext: context ?? 'default', metadata: {} };
    };
    return { resolver, calls };
  };

  it('the resolver result is honoured over env variables and called with AI_ENABLED', () => {
    const { resolver, calls } = resolverFor('staging', 0.77);
    const m = new CachePresetManager({ env: { NODE_ENV: 'development' }, environmentResolver: resolver });
    expect(m.recommendPresetWithDetails()).toMatchObject({
      presetName: 'production', confidence: 0.77, reasoning: 'custom resolver says staging from the platform', environmentDetected: 'staging (auto-detected)',
    });
    expect(calls).toEqual([FeatureContext.AI_ENABLED]);
  });

  it('AI on with a base that has no ai- variant falls back to the base preset', () => {
    const { resolver } = resolverFor('unknown', 0.8);
    const rec = new CachePresetManager({ env: { ENABLE_AI_CACHE: 'true' }, environmentResolver: resolver }).recommendPresetWithDetails();
    expect(rec).toMatchObject({ presetName: 'simple', environmentDetected: 'unknown (auto-detected, fallback)' });
  });

  it('an extra `ai-simple` preset becomes the AI variant of simple', () => {
    const { resolver } = resolverFor('unknown', 0.8);
    const aiSimple = { ...CACHE_PRESETS['ai-development'], key: 'ai-simple' };
    const m = new CachePresetManager({ env: { ENABLE_AI_CACHE: 'true' }, environmentResolver: resolver, extraPresets: [aiSimple] });
    expect(m.recommendPreset()).toBe('ai-simple');
  });
});

describe("auto-detection goes through core's detectEnvironment (acceptance 12)", () => {
  it.each([
    { NODE_ENV: 'production' },
    { NODE_ENV: 'production', ENVIRONMENT: 'production' },
    { NODE_ENV: 'development', ENVIRONMENT: 'production' },
    { APP_ENV: 'staging' },
    { NODE_ENV: 'test' },
    { ENVIRONMENT: 'dev' },
  ])('%o: confidence, reasoning and environment are exactly the detector\'s', (env) => {
    const info = detectEnvironment(env, FeatureContext.AI_ENABLED);
    const rec = new CachePresetManager({ env }).recommendPresetWithDetails();
    expect(rec.confidence).toBe(info.confidence);
    expect(rec.reasoning).toBe(info.reasoning);
    expect(rec.environmentDetected).toBe(`${info.environment} (auto-detected)`);
  });
});
