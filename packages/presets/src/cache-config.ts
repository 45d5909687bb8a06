import { ValidationError, parseDuration } from '@cache/core';
import { AI_DEFAULTS, AI_FIELDS, CONFIG_DEFAULTS, type AICacheConfig, type CacheConfig, type CacheConfigInput } from './config-schema.js';
import { deepFreeze } from './deep-freeze.js';
import { describeValue } from './describe-value.js';

/** Input of the AI section: every field optional, operation TTLs as seconds or duration strings. */
export type AICacheConfigInput = NonNullable<CacheConfigInput['ai']>;

function seconds(field: string, value: unknown): number {
  const s = parseDuration(value);
  if (s === undefined) {
    throw new ValidationError(`${field} must be whole seconds or a duration such as '10m', got ${describeValue(value)}`, {
      code: 'INVALID_DURATION',
      context: { field, value: describeValue(value) },
    });
  }
  return s;
}

const CONFIG_FIELDS: readonly string[] = Object.keys(CONFIG_DEFAULTS);

function rejectUnknownFields(input: object, valid: readonly string[], prefix: string): void {
  const unknown = Object.keys(input).filter((k) => !valid.includes(k)).map((k) => `${prefix}${k}`);
  if (unknown.length > 0) {
    const validFields = valid.map((k) => `${prefix}${k}`);
    throw new ValidationError(`Unknown config field(s) ${unknown.join(', ')}; valid fields: ${validFields.join(', ')}`, {
      code: 'UNKNOWN_CONFIG_FIELDS',
      context: { unknown_fields: unknown, valid_fields: validFields },
    });
  }
}

/** The AI defaults overlaid by `input` (maps replace whole; durations normalised). Not frozen. Unknown field → `ValidationError`. */
export function createAiConfig(input: AICacheConfigInput = {}): AICacheConfig {
  rejectUnknownFields(input, AI_FIELDS, 'ai.');
  const ttls = input.operationTtls ?? AI_DEFAULTS.operationTtls;
  return {
    textHashThreshold: input.textHashThreshold ?? AI_DEFAULTS.textHashThreshold,
    hashAlgorithm: input.hashAlgorithm ?? AI_DEFAULTS.hashAlgorithm,
    textSizeTiers: { ...(input.textSizeTiers ?? AI_DEFAULTS.textSizeTiers) },
    operationTtls: Object.fromEntries(Object.entries(ttls).map(([op, ttl]) => [op, seconds(`ai.operationTtls.${op}`, ttl)])),
    enableSmartPromotion: input.enableSmartPromotion ?? AI_DEFAULTS.enableSmartPromotion,
    maxTextLength: input.maxTextLength ?? AI_DEFAULTS.maxTextLength,
  };
}

/**
 * Builds a deep-frozen {@link CacheConfig}: the defaults for missing fields (strategy `balanced`,
 * AI off), durations normalised to seconds, `enableAiCache` defaulting to "an `ai` section was
 * given", `ai` = the AI defaults overlaid by the given section when AI is on, else `null`. No range
 * checks (see `validateCacheConfig`); an unparseable duration string throws `ValidationError`
 * `INVALID_DURATION`, an unknown field name (a typo from a JS caller) `UNKNOWN_CONFIG_FIELDS`.
 * The input is copied, never frozen or retained.
 */
export function createCacheConfig(input: CacheConfigInput = {}): CacheConfig {
  rejectUnknownFields(input, CONFIG_FIELDS, '');
  const d = CONFIG_DEFAULTS;
  const enableAiCache = input.enableAiCache ?? (input.ai !== undefined && input.ai !== null);
  return deepFreeze({
    strategy: input.strategy ?? d.strategy,
    presetName: input.presetName ?? d.presetName,
    environment: input.environment ?? d.environment,
    redisUrl: input.redisUrl ?? d.redisUrl,
    redisPassword: input.redisPassword ?? d.redisPassword,
    useTls: input.useTls ?? d.useTls,
    tlsCertPath: input.tlsCertPath ?? d.tlsCertPath,
    tlsKeyPath: input.tlsKeyPath ?? d.tlsKeyPath,
    maxConnections: input.maxConnections ?? d.maxConnections,
    connectionTimeout: seconds('connectionTimeout', input.connectionTimeout ?? d.connectionTimeout),
    defaultTtl: seconds('defaultTtl', input.defaultTtl ?? d.defaultTtl),
    memoryCacheSize: input.memoryCacheSize ?? d.memoryCacheSize,
    compressionThreshold: input.compressionThreshold ?? d.compressionThreshold,
    compressionLevel: input.compressionLevel ?? d.compressionLevel,
    enableAiCache,
    ai: enableAiCache ? createAiConfig(input.ai ?? {}) : null,
    enableMonitoring: input.enableMonitoring ?? d.enableMonitoring,
    logLevel: input.logLevel ?? d.logLevel,
  });
}
