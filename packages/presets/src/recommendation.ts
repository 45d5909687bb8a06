import { detectEnvironment, FeatureContext, parseEnvBoolean, type Environment, type EnvironmentResolver } from '@cache/core';
import type { EnvSource } from './strategy.js';

/** A recommended preset with how sure the recommendation is (0..1) and why. */
export interface EnvironmentRecommendation {
  presetName: string;
  confidence: number;
  reasoning: string;
  environmentDetected: string;
}

const EXACT: Readonly<Record<string, readonly [preset: string, confidence: number]>> = {
  development: ['development', 0.95],
  dev: ['development', 0.9],
  testing: ['development', 0.85],
  test: ['development', 0.85],
  staging: ['production', 0.9],
  stage: ['production', 0.85],
  production: ['production', 0.95],
  prod: ['production', 0.9],
  live: ['production', 0.85],
  'ai-development': ['ai-development', 0.95],
  'ai-production': ['ai-production', 0.95],
  'ai-dev': ['ai-development', 0.9],
  'ai-prod': ['ai-production', 0.9],
};

// `ai` as a token, so `main`, `maintenance` and `domain` are not AI environments (the original matched the substring).
const AI_TOKEN = /(^|[^a-z0-9])ai([^a-z0-9]|$)/;
const AI_PRODUCTION = /ai.*(prod|production|live)/;
const PATTERNS: readonly (readonly [RegExp, string, number, string])[] = [
  [/stag|pre-?prod|preprod|uat|integration/, 'production', 0.7, 'staging'],
  [/dev|local|test|sandbox|demo/, 'development', 0.75, 'development'],
  [/prod|live|release|stable|main|master/, 'production', 0.75, 'production'],
];

/**
 * Recommendation for an explicit environment name. Matching uses the trimmed, lower-cased
 * input; `environmentDetected` echoes the raw input. Exact names first, then the first matching
 * pattern (AI token, staging-like, development-like, production-like), else `simple` at 0.40.
 */
export function recommendForEnvironment(input: string): EnvironmentRecommendation {
  const env = input.trim().toLowerCase();
  const exact = Object.hasOwn(EXACT, env) ? EXACT[env] : undefined;
  if (exact) {
    const [presetName, confidence] = exact;
    return {
      presetName,
      confidence,
      reasoning: `Exact match for the ${JSON.stringify(env)} environment: the ${presetName} preset is designed for it`,
      environmentDetected: input,
    };
  }
  const matched = (presetName: string, confidence: number, kind: string): EnvironmentRecommendation => ({
    presetName,
    confidence,
    reasoning: `Environment ${JSON.stringify(input)} matches the ${kind} pattern; recommending the ${presetName} preset`,
    environmentDetected: input,
  });
  if (AI_TOKEN.test(env)) {
    return AI_PRODUCTION.test(env) ? matched('ai-production', 0.8, 'AI production') : matched('ai-development', 0.75, 'AI development');
  }
  for (const [re, presetName, confidence, kind] of PATTERNS) if (re.test(env)) return matched(presetName, confidence, kind);
  return {
    presetName: 'simple',
    confidence: 0.4,
    reasoning: `Environment ${JSON.stringify(input)} is unknown; falling back to the default simple preset, which works everywhere`,
    environmentDetected: input,
  };
}

const BASE_PRESET: Readonly<Record<Environment, string>> = {
  development: 'development',
  testing: 'development',
  staging: 'production',
  production: 'production',
  unknown: 'simple',
};

function aiFlag(env: EnvSource): boolean {
  try {
    return parseEnvBoolean('ENABLE_AI_CACHE', env['ENABLE_AI_CACHE']) === true;
  } catch {
    return false; // an invalid flag is reported by resolveCacheConfig; detection treats it as "not set"
  }
}

/**
 * Auto-detection. `CACHE_PRESET` naming an existing preset wins (0.60); otherwise the
 * environment comes from `resolver(AI_ENABLED)` or core's `detectEnvironment(env, AI_ENABLED)` and
 * maps to a base preset (AI variant when `ENABLE_AI_CACHE` is true); weak development/unknown
 * signals give `simple`/`ai-development`; an `ENVIRONMENT` with an `ai` token finally forces an AI
 * preset at 0.90.
 */
export function autoRecommend(
  env: EnvSource,
  resolver: EnvironmentResolver | undefined,
  hasPreset: (key: string) => boolean,
): EnvironmentRecommendation {
  const explicit = env['CACHE_PRESET']?.trim();
  if (explicit !== undefined && hasPreset(explicit)) {
    return {
      presetName: explicit,
      confidence: 0.6,
      reasoning: `CACHE_PRESET explicitly selects the ${explicit} preset`,
      environmentDetected: `${explicit} (CACHE_PRESET)`,
    };
  }
  const info = resolver ? resolver(FeatureContext.AI_ENABLED) : detectEnvironment(env, FeatureContext.AI_ENABLED);
  const base = Object.hasOwn(BASE_PRESET, info.environment) ? BASE_PRESET[info.environment] : 'simple';
  const ai = aiFlag(env);
  let rec: EnvironmentRecommendation;
  if (info.confidence <= 0.5 && (info.environment === 'unknown' || info.environment === 'development')) {
    const presetName = ai ? 'ai-development' : 'simple';
    rec = {
      presetName,
      confidence: info.confidence,
      reasoning: `No clear environment indicators were found; using the ${presetName} preset`,
      environmentDetected: `unknown (auto-detected${ai ? ', AI-enabled' : ''})`,
    };
  } else if (ai) {
    const candidate = `ai-${base}`;
    const found = hasPreset(candidate);
    rec = {
      presetName: found ? candidate : base,
      confidence: info.confidence,
      reasoning: `${info.reasoning}; ENABLE_AI_CACHE is on${found ? '' : `, but no ${candidate} preset exists`}`,
      environmentDetected: `${info.environment} (auto-detected, ${found ? 'AI-enabled' : 'fallback'})`,
    };
  } else {
    rec = { presetName: base, confidence: info.confidence, reasoning: info.reasoning, environmentDetected: `${info.environment} (auto-detected)` };
  }
  const declared = env['ENVIRONMENT']?.trim().toLowerCase();
  if (declared !== undefined && AI_TOKEN.test(declared)) {
    const presetName = /prod|production|live/.test(declared) ? 'ai-production' : 'ai-development';
    rec = {
      presetName,
      confidence: 0.9,
      reasoning: `ENVIRONMENT=${JSON.stringify(env['ENVIRONMENT'])} names an AI deployment; recommending the ${presetName} preset`,
      environmentDetected: `${declared} (auto-detected)`,
    };
  }
  return rec;
}
