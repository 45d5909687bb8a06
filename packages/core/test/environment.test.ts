import { describe, expect, it } from 'vitest';
import { Environment, FeatureContext, detectEnvironment } from '../src/index.js';

describe('detectEnvironment', () => {
  it.each([
    [{ ENVIRONMENT: 'prod' }, 'production', 0.95],
    [{ NODE_ENV: 'test' }, 'testing', 0.85],
    [{}, 'development', 0.5],
    [{ ENVIRONMENT: '  Production ' }, 'production', 0.95],
    [{ APP_ENV: 'stage' }, 'staging', 0.85],
    [{ RAILS_ENV: 'live' }, 'production', 0.85],
    [{ FLASK_ENV: 'dev' }, 'development', 0.85],
    [{ DJANGO_SETTINGS_MODULE: 'shop.settings.staging' }, 'staging', 0.85],
    [{ ENVIRONMENT: 'qa-cluster-7' }, 'development', 0.5],
  ])('%o → %s with confidence %d', (env, environment, confidence) => {
    const info = detectEnvironment(env);
    expect(info.environment).toBe(environment);
    expect(info.confidence).toBe(confidence);
    expect(info.featureContext).toBe(FeatureContext.DEFAULT);
    expect(info.reasoning.length).toBeGreaterThan(0);
  });

  it('explains the default when there is no signal', () => {
    expect(detectEnvironment({}).reasoning).toMatch(/default/i);
  });

  it('ENFORCE_AUTH adds a 0.98 production signal only in the security-enforcement context', () => {
    expect(detectEnvironment({ ENFORCE_AUTH: 'yes' }, FeatureContext.SECURITY_ENFORCEMENT)).toMatchObject({
      environment: Environment.PRODUCTION,
      confidence: 0.98,
      featureContext: 'security_enforcement',
    });
    expect(detectEnvironment({ ENFORCE_AUTH: 'yes' })).toMatchObject({ environment: 'development', confidence: 0.5 });
    expect(detectEnvironment({ ENFORCE_AUTH: 'on' }, FeatureContext.SECURITY_ENFORCEMENT).environment).toBe('development');
  });

  it('ENFORCE_AUTH production wins over a development variable, which then counts as a conflict', () => {
    const info = detectEnvironment({ NODE_ENV: 'development', ENFORCE_AUTH: 'true' }, FeatureContext.SECURITY_ENFORCEMENT);
    expect(info.environment).toBe('production');
    expect(info.confidence).toBe(0.833); // 0.98 × 0.85
  });

  it('ENABLE_AI_CACHE sets the ai prefix only in the AI context', () => {
    expect(detectEnvironment({ ENABLE_AI_CACHE: '1' }, FeatureContext.AI_ENABLED).metadata['ai_prefix']).toBe('ai-');
    expect(detectEnvironment({ ENABLE_AI_CACHE: '1' }).metadata['ai_prefix']).toBeUndefined();
  });

  it('agreeing signals add 0.05 each, capped at 0.98', () => {
    expect(detectEnvironment({ NODE_ENV: 'production', APP_ENV: 'prod' }).confidence).toBe(0.9);
    expect(detectEnvironment({ ENVIRONMENT: 'production', NODE_ENV: 'prod', APP_ENV: 'live' }).confidence).toBe(0.98);
  });

  it('each conflicting signal above 0.70 multiplies by 0.85; ties go to the earlier variable', () => {
    const info = detectEnvironment({ NODE_ENV: 'production', APP_ENV: 'development' });
    expect(info.environment).toBe('production');
    expect(info.confidence).toBe(0.7225);
    expect(info.reasoning).toMatch(/conflicting/);
    const mixed = detectEnvironment({ ENVIRONMENT: 'staging', NODE_ENV: 'staging', APP_ENV: 'dev', ENV: 'test' });
    expect(mixed.environment).toBe('staging');
    expect(mixed.confidence).toBe(0.7081); // min(0.98, 0.95 + 0.05) × 0.85 × 0.85
  });
});
