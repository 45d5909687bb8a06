import { ConfigurationError, defaultLogger, parseEnvBoolean, ValidationError, type Logger } from '@cache/core';
import { applyOverrides } from './apply-overrides.js';
import { createCacheConfig } from './cache-config.js';
import type { CacheConfig } from './config-schema.js';
import { isRecord } from './deep-freeze.js';
import { jsonTypeOf } from './describe-value.js';
import { parseJsonText } from './json-text.js';
import { customOverridesSchema, normaliseOverrideKeys } from './overrides-schema.js';
import { CachePresetManager, unknownPresetError } from './preset-manager.js';
import { presetToCacheConfig } from './presets.js';
import type { EnvSource } from './strategy.js';
import { rejectUnknownOptions } from './unknown-options.js';
import { validateCacheConfig } from './validate-cache-config.js';
import { cacheValidator } from './validator.js';

/** Options of {@link resolveCacheConfig}. */
export interface ResolveCacheConfigOptions {
  /** Variables to read; default `process.env`. */
  env?: EnvSource;
  /** Preset name; beats `CACHE_PRESET`. `auto` detects, `testing` means `development`. */
  preset?: string;
  /** Custom overrides (JSON text or an object); beats `CACHE_CUSTOM_CONFIG`. */
  customConfig?: string | object;
  /** Receives the auto-detection choice (info) and warnings; default core's `defaultLogger`. */
  logger?: Logger;
}

const READ_CACHE_VARIABLES = new Set(['CACHE_PRESET', 'CACHE_REDIS_URL', 'CACHE_CUSTOM_CONFIG']);

/**
 * Precedence: preset (`o.preset` ?? `CACHE_PRESET` ?? `auto`) < `CACHE_REDIS_URL` / `ENABLE_AI_CACHE` <
 * custom overrides (`o.customConfig` ?? `CACHE_CUSTOM_CONFIG`), then `validateCacheConfig`.
 * Unknown preset → `ConfigurationError` `UNKNOWN_PRESET`; invalid custom JSON → `ConfigurationError`
 * `INVALID_JSON`; override type errors or an invalid merged config → `ValidationError` with
 * `context { errors, warnings }`; a misspelt option name → `ConfigurationError` `INVALID_CONFIGURATION`.
 * Other `CACHE_*` variables are ignored with one warning.
 * Returns a deep-frozen config; never logs variable values.
 */
export function resolveCacheConfig(o: ResolveCacheConfigOptions = {}): CacheConfig {
  rejectUnknownOptions('resolveCacheConfig', o, ['env', 'preset', 'customConfig', 'logger'], 'options');
  const env = o.env ?? process.env;
  const logger = o.logger ?? defaultLogger;
  const ignored = Object.keys(env)
    .filter((k) => k.startsWith('CACHE_') && !READ_CACHE_VARIABLES.has(k) && env[k] !== undefined)
    .sort();
  if (ignored.length > 0) {
    logger.warn(`Ignoring unsupported environment variables ${ignored.join(', ')}; set these fields through CACHE_CUSTOM_CONFIG (JSON) instead`, {
      variables: ignored,
    });
  }

  const manager = new CachePresetManager({ env, logger });
  const source = o.preset !== undefined ? 'the preset option' : env['CACHE_PRESET'] !== undefined ? 'CACHE_PRESET' : 'auto-detection';
  let name = (o.preset ?? env['CACHE_PRESET'] ?? 'auto').trim();
  if (name === 'testing') name = 'development';
  if (name === 'auto') {
    const fromEnv = env['CACHE_PRESET']?.trim();
    if (fromEnv !== undefined && fromEnv !== 'auto' && !manager.listPresets().includes(fromEnv)) {
      logger.warn(`CACHE_PRESET=${JSON.stringify(fromEnv)} names no preset and is ignored by auto-detection; available presets: ${manager.listPresets().join(', ')}`, {
        variable: 'CACHE_PRESET',
      });
    }
    const rec = manager.recommendPresetWithDetails();
    logger.info(`Auto-selected cache preset ${rec.presetName} (confidence ${rec.confidence})`, {
      preset: rec.presetName,
      confidence: rec.confidence,
      environment_detected: rec.environmentDetected,
    });
    name = rec.presetName;
  }
  if (!manager.listPresets().includes(name)) throw unknownPresetError(name, manager.listPresets(), source);
  let config = presetToCacheConfig(manager.getPreset(name));

  const url = env['CACHE_REDIS_URL']?.trim();
  if (url) config = createCacheConfig({ ...config, redisUrl: url, useTls: url.startsWith('rediss://') || config.useTls });

  let ai: boolean | undefined;
  try {
    ai = parseEnvBoolean('ENABLE_AI_CACHE', env['ENABLE_AI_CACHE']);
  } catch (e) {
    logger.warn(`${e instanceof Error ? e.message : String(e)}; AI setting left unchanged`, { variable: 'ENABLE_AI_CACHE' });
  }
  if (ai === true) config = createCacheConfig({ ...config, enableAiCache: true, ai: config.ai ?? {} });
  if (ai === false) config = createCacheConfig({ ...config, enableAiCache: false, ai: null });

  const custom = o.customConfig ?? env['CACHE_CUSTOM_CONFIG'];
  if (custom !== undefined) {
    const source = o.customConfig !== undefined ? 'customConfig' : 'CACHE_CUSTOM_CONFIG';
    config = applyCustomConfig(config, custom, source, logger);
  }

  const result = validateCacheConfig(config);
  for (const w of result.warnings) logger.warn(w);
  if (!result.isValid) {
    throw new ValidationError(`Invalid cache configuration: ${result.errors.join('; ')}`, {
      context: { errors: result.errors, warnings: result.warnings },
    });
  }
  return config;
}

function applyCustomConfig(config: CacheConfig, custom: string | object, source: string, logger: Logger): CacheConfig {
  const raw = typeof custom === 'string' ? parseJsonText(custom, source) : custom;
  if (!isRecord(raw)) {
    throw new ConfigurationError(`${source} must be a JSON object, got ${jsonTypeOf(raw)}`, {
      code: 'INVALID_CUSTOM_CONFIG',
      context: { source, received_type: jsonTypeOf(raw) },
    });
  }
  const check = cacheValidator.validateCustomOverrides(raw);
  if (!check.isValid) {
    throw new ValidationError(`Invalid ${source}: ${check.errors.join('; ')}`, {
      context: { errors: check.errors, warnings: check.warnings },
    });
  }
  for (const w of check.warnings) logger.warn(`${source}: ${w}`);
  const overrides = customOverridesSchema.parse(normaliseOverrideKeys(raw).values);
  return applyOverrides(config, overrides, { mapMode: 'merge', logger, source });
}
