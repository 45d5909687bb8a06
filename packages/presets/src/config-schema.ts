import { MAX_TTL_SECONDS } from '@cache/core';
import { z } from 'zod';
import { isRecord } from './deep-freeze.js';
import { describeValue } from './describe-value.js';
import {
  bool,
  durationBetween,
  intBetween,
  oneOf,
  positiveInt,
  redisUrl,
  str,
} from './schema-fields.js';
import { CACHE_STRATEGIES, HASH_ALGORITHMS, LOG_LEVELS } from './strategy.js';

/** The AI defaults used whenever AI is on and a field is missing. */
export const AI_DEFAULTS = Object.freeze({
  textHashThreshold: 1000,
  hashAlgorithm: 'sha256',
  textSizeTiers: Object.freeze({ small: 1000, medium: 5000, large: 20_000 }),
  operationTtls: Object.freeze({ summarize: 7200, sentiment: 3600, key_points: 5400, questions: 4800, qa: 3600 }),
  enableSmartPromotion: true,
  maxTextLength: 100_000,
} as const);

/** The defaults of `createCacheConfig()` (strategy `balanced`, AI off). */
export const CONFIG_DEFAULTS = Object.freeze({
  strategy: 'balanced',
  presetName: null,
  environment: 'development',
  redisUrl: null,
  redisPassword: null,
  useTls: false,
  tlsCertPath: null,
  tlsKeyPath: null,
  maxConnections: 10,
  connectionTimeout: 5,
  defaultTtl: 3600,
  memoryCacheSize: 100,
  compressionThreshold: 1000,
  compressionLevel: 6,
  enableAiCache: false,
  ai: null,
  enableMonitoring: true,
  logLevel: 'INFO',
} as const);

/** Names of the AI fields (nested under `ai` in a config, flat in overrides and factory options). */
export const AI_FIELDS = Object.freeze([
  'textHashThreshold',
  'hashAlgorithm',
  'textSizeTiers',
  'operationTtls',
  'enableSmartPromotion',
  'maxTextLength',
] as const);

const TIER_NAMES = ['small', 'medium', 'large'] as const;

const textSizeTiersSchema = z
  .record(z.string(), positiveInt())
  .superRefine((tiers, ctx) => {
    const [s, m, l] = TIER_NAMES.map((k) => tiers[k]);
    if (s === undefined || m === undefined || l === undefined || !(s < m && m < l)) {
      ctx.addIssue({ code: 'custom', message: `must contain small < medium < large, got ${describeValue(tiers)}`, input: tiers });
    }
  })
  .readonly();

/** Zod schema of the AI section (the AI defaults for missing fields; range checks). */
export const aiConfigSchema = z
  .object({
    textHashThreshold: intBetween(1, 100_000).default(AI_DEFAULTS.textHashThreshold),
    hashAlgorithm: oneOf(HASH_ALGORITHMS).default(AI_DEFAULTS.hashAlgorithm),
    textSizeTiers: textSizeTiersSchema.default(() => ({ ...AI_DEFAULTS.textSizeTiers })),
    operationTtls: z
      .record(z.string(), durationBetween(1, MAX_TTL_SECONDS))
      .readonly()
      .default(() => ({ ...AI_DEFAULTS.operationTtls })),
    enableSmartPromotion: bool().default(AI_DEFAULTS.enableSmartPromotion),
    maxTextLength: positiveInt().default(AI_DEFAULTS.maxTextLength),
  }, { error: (iss) => `must be an object (the AI settings) or null, got ${describeValue(iss.input)}` })
  .readonly();

/** The AI section of a {@link CacheConfig}; present exactly when `enableAiCache` is true. */
export type AICacheConfig = z.output<typeof aiConfigSchema>;

/** The object schema behind {@link cacheConfigSchema} (no alias handling). */
export const cacheConfigObjectSchema = z
  .object({
    strategy: oneOf(CACHE_STRATEGIES),
    presetName: str().nullable().default(CONFIG_DEFAULTS.presetName),
    environment: str().default(CONFIG_DEFAULTS.environment),
    redisUrl: redisUrl().default(CONFIG_DEFAULTS.redisUrl),
    redisPassword: str().nullable().default(CONFIG_DEFAULTS.redisPassword),
    useTls: bool().default(CONFIG_DEFAULTS.useTls),
    tlsCertPath: str().nullable().default(CONFIG_DEFAULTS.tlsCertPath),
    tlsKeyPath: str().nullable().default(CONFIG_DEFAULTS.tlsKeyPath),
    maxConnections: intBetween(1, 100).default(CONFIG_DEFAULTS.maxConnections),
    connectionTimeout: durationBetween(1, 60).default(CONFIG_DEFAULTS.connectionTimeout),
    defaultTtl: durationBetween(60, 86_400).default(CONFIG_DEFAULTS.defaultTtl),
    memoryCacheSize: intBetween(1, 10_000).default(CONFIG_DEFAULTS.memoryCacheSize),
    compressionThreshold: intBetween(0, 1_048_576).default(CONFIG_DEFAULTS.compressionThreshold),
    compressionLevel: intBetween(1, 9).default(CONFIG_DEFAULTS.compressionLevel),
    enableAiCache: bool().default(CONFIG_DEFAULTS.enableAiCache),
    ai: aiConfigSchema.nullable().default(CONFIG_DEFAULTS.ai),
    enableMonitoring: bool().default(CONFIG_DEFAULTS.enableMonitoring),
    logLevel: oneOf(LOG_LEVELS).default(CONFIG_DEFAULTS.logLevel),
  }, { error: (iss) => `must be an object, got ${describeValue(iss.input)}` })
  .readonly();

/**
 * The one cache configuration: plain, JSON-serializable, deeply frozen data. Durations are whole
 * seconds; `ai !== null` exactly when `enableAiCache` is true.
 */
export type CacheConfig = z.output<typeof cacheConfigObjectSchema>;

/**
 * Input accepted by `createCacheConfig`: every field optional; durations (`defaultTtl`,
 * `connectionTimeout`, AI `operationTtls` values) may be seconds or strings such as `'10m'`;
 * `ai` may be partial (missing AI fields take the AI defaults).
 */
export type CacheConfigInput = Partial<z.input<typeof cacheConfigObjectSchema>>;

/**
 * Every key a raw configuration may carry: the {@link CacheConfig} fields, their aliases, the flat AI
 * fields, and the two factory-options keys the validator accepts without checking (`enableL1Cache`,
 * `securityConfig`), so `toFactoryOptions` output validates without unknown-key warnings.
 */
export const CONFIGURATION_KEYS: readonly string[] = Object.freeze(
  [...Object.keys(cacheConfigObjectSchema.unwrap().shape), 'cacheStrategy', 'l1CacheSize', 'enableL1Cache', 'securityConfig', ...AI_FIELDS].sort(),
);

/**
 * Resolves the aliases a raw config may use before schema checks: `cacheStrategy` → `strategy`,
 * `l1CacheSize` → `memoryCacheSize`, flat AI fields (factory-options shape) → `ai`; then applies
 * the AI invariant (`enableAiCache` defaults to "an `ai` section was given"; on → `ai` defaults
 * to `{}`, off → `ai = null`). Non-objects pass through for the schema to reject.
 */
export function normaliseConfigInput(raw: unknown): unknown {
  if (!isRecord(raw)) return raw;
  const out: Record<string, unknown> = { ...raw };
  if (out['strategy'] === undefined && out['cacheStrategy'] !== undefined) out['strategy'] = out['cacheStrategy'];
  if (out['memoryCacheSize'] === undefined && out['l1CacheSize'] !== undefined) out['memoryCacheSize'] = out['l1CacheSize'];
  delete out['cacheStrategy'];
  delete out['l1CacheSize'];
  const flat = AI_FIELDS.filter((k) => out[k] !== undefined);
  if (flat.length > 0 && (out['ai'] === undefined || out['ai'] === null || isRecord(out['ai']))) {
    const ai: Record<string, unknown> = { ...(isRecord(out['ai']) ? out['ai'] : {}) };
    for (const k of flat) if (ai[k] === undefined) ai[k] = out[k];
    out['ai'] = ai;
  }
  for (const k of AI_FIELDS) delete out[k];
  const enabled = out['enableAiCache'] ?? (out['ai'] !== undefined && out['ai'] !== null);
  out['enableAiCache'] = enabled;
  if (enabled === true && (out['ai'] === undefined || out['ai'] === null)) out['ai'] = {};
  if (enabled === false) out['ai'] = null;
  return out;
}

/**
 * Zod schema of a {@link CacheConfig} with the range checks: accepts the aliases of
 * {@link normaliseConfigInput}, fills the defaults and AI defaults (only `strategy` is required), normalises
 * durations and returns a frozen config.
 */
export const cacheConfigSchema: z.ZodType<CacheConfig> = z.preprocess(normaliseConfigInput, cacheConfigObjectSchema);
