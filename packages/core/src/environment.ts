/** Deployment environments recognised by the detector. */
export const Environment = Object.freeze({
  DEVELOPMENT: 'development',
  TESTING: 'testing',
  STAGING: 'staging',
  PRODUCTION: 'production',
  UNKNOWN: 'unknown',
} as const);
/** One of the {@link Environment} values. */
export type Environment = (typeof Environment)[keyof typeof Environment];

/** Feature contexts that add signals or metadata to environment detection. */
export const FeatureContext = Object.freeze({
  AI_ENABLED: 'ai_enabled',
  SECURITY_ENFORCEMENT: 'security_enforcement',
  CACHE_OPTIMIZATION: 'cache_optimization',
  RESILIENCE_STRATEGY: 'resilience_strategy',
  DEFAULT: 'default',
} as const);
/** One of the {@link FeatureContext} values. */
export type FeatureContext = (typeof FeatureContext)[keyof typeof FeatureContext];

/** Result of environment detection. `confidence` is 0..0.98. */
export interface EnvironmentInfo {
  environment: Environment;
  confidence: number;
  reasoning: string;
  featureContext: FeatureContext;
  metadata: Record<string, unknown>;
}

/** Pluggable detection (consumers may layer richer detectors over {@link detectEnvironment}). */
export type EnvironmentResolver = (context?: FeatureContext) => EnvironmentInfo;

/** Variables consulted, in precedence order. */
const VARIABLES = [
  'ENVIRONMENT',
  'NODE_ENV',
  'FLASK_ENV',
  'APP_ENV',
  'ENV',
  'DEPLOYMENT_ENV',
  'DJANGO_SETTINGS_MODULE',
  'RAILS_ENV',
] as const;

const ALIASES: Readonly<Record<string, Environment>> = {
  development: 'development',
  dev: 'development',
  testing: 'testing',
  test: 'testing',
  staging: 'staging',
  stage: 'staging',
  production: 'production',
  prod: 'production',
  live: 'production',
};

const TRUTHY_FLAG = new Set(['true', '1', 'yes']);
const MAX_CONFIDENCE = 0.98;

interface Signal {
  readonly environment: Environment;
  readonly confidence: number;
  readonly source: string;
  readonly value: string;
}

function normalise(name: string, raw: string): Environment | undefined {
  let v = raw.trim().toLowerCase();
  // Django names a settings module (e.g. `app.settings.production`): its last segment is the signal.
  if (name === 'DJANGO_SETTINGS_MODULE') v = v.slice(v.lastIndexOf('.') + 1);
  return ALIASES[v];
}

const round = (n: number): number => Math.round(n * 10_000) / 10_000;

/**
 * Detects the deployment environment from an environment-variable map (pass `process.env`).
 * Pure: reads only `env`. The highest-confidence signal wins (ties: earlier variable); each
 * agreeing signal adds 0.05 (cap 0.98), each conflicting signal above 0.70 multiplies by 0.85.
 * No signal → development, confidence 0.5.
 */
export function detectEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  context: FeatureContext = FeatureContext.DEFAULT,
): EnvironmentInfo {
  const signals: Signal[] = [];
  for (const name of VARIABLES) {
    const raw = env[name];
    if (raw === undefined) continue;
    const environment = normalise(name, raw);
    if (environment) signals.push({ environment, confidence: name === 'ENVIRONMENT' ? 0.95 : 0.85, source: name, value: raw });
  }
  const metadata: Record<string, unknown> = {};
  if (context === FeatureContext.SECURITY_ENFORCEMENT && TRUTHY_FLAG.has((env['ENFORCE_AUTH'] ?? '').trim().toLowerCase())) {
    signals.push({ environment: 'production', confidence: 0.98, source: 'ENFORCE_AUTH', value: env['ENFORCE_AUTH'] ?? '' });
  }
  if (context === FeatureContext.AI_ENABLED && TRUTHY_FLAG.has((env['ENABLE_AI_CACHE'] ?? '').trim().toLowerCase())) {
    metadata['ai_prefix'] = 'ai-';
  }
  metadata['signals'] = signals.map((s) => ({ source: s.source, environment: s.environment, confidence: s.confidence }));

  const winner = signals.reduce<Signal | undefined>((best, s) => (!best || s.confidence > best.confidence ? s : best), undefined);
  if (!winner) {
    return {
      environment: 'development',
      confidence: 0.5,
      reasoning: 'No environment signal found; defaulting to development',
      featureContext: context,
      metadata,
    };
  }
  let confidence = winner.confidence;
  const others = signals.filter((s) => s !== winner);
  const agreeing = others.filter((s) => s.environment === winner.environment);
  const conflicting = others.filter((s) => s.environment !== winner.environment && s.confidence > 0.7);
  confidence = Math.min(MAX_CONFIDENCE, confidence + 0.05 * agreeing.length);
  for (let i = 0; i < conflicting.length; i++) confidence *= 0.85;
  const parts = [`${winner.source}=${JSON.stringify(winner.value)} indicates ${winner.environment}`];
  if (agreeing.length) parts.push(`${agreeing.length} agreeing signal(s) (${agreeing.map((s) => s.source).join(', ')})`);
  if (conflicting.length) parts.push(`${conflicting.length} conflicting signal(s) (${conflicting.map((s) => s.source).join(', ')})`);
  return { environment: winner.environment, confidence: round(confidence), reasoning: parts.join('; '), featureContext: context, metadata };
}
