export { CacheStrategy, CACHE_STRATEGIES, LOG_LEVELS, PRESET_NAMES, HASH_ALGORITHMS } from './strategy.js';
export type { LogLevel, PresetName, EnvSource } from './strategy.js';
export type { Duration as DurationInput } from '@cache/core';
export { parseDuration } from '@cache/core';
export {
  AI_DEFAULTS,
  CONFIG_DEFAULTS,
  aiConfigSchema,
  cacheConfigSchema,
} from './config-schema.js';
export type { AICacheConfig, CacheConfig, CacheConfigInput } from './config-schema.js';
export { cachePresetSchema } from './preset-schema.js';
export type { CachePreset } from './preset-schema.js';
export { customOverridesSchema } from './overrides-schema.js';
export type { CustomOverrides } from './overrides-schema.js';
export { createCacheConfig } from './cache-config.js';
export type { AICacheConfigInput } from './cache-config.js';
export { CACHE_PRESETS, DEFAULT_PRESETS, presetToCacheConfig } from './presets.js';
export { ValidationResult } from './validation-result.js';
export type { ValidationMessage, ValidationMessageOptions, ValidationSeverity } from './validation-result.js';
export { CacheValidator, cacheValidator, KNOWN_ENVIRONMENT_CONTEXTS } from './validator.js';
export type { ConfigurationComparison, JsonSchema } from './validator.js';
export { validateCacheConfig } from './validate-cache-config.js';
export type { ValidateCacheConfigOptions } from './validate-cache-config.js';
export { toFactoryOptions } from './factory-options.js';
export type { FactoryConfig, FactorySecurityConfig } from './factory-options.js';
export type { EnvironmentRecommendation } from './recommendation.js';
export { CachePresetManager, cachePresetManager } from './preset-manager.js';
export type { CachePresetManagerOptions, PresetDetails } from './preset-manager.js';
export { EnvironmentPresets } from './environment-presets.js';
export { CacheConfigBuilder } from './builder.js';
export type { AiFeatureOptions, CacheConfigJson } from './builder.js';
export { resolveCacheConfig } from './resolve-cache-config.js';
export type { ResolveCacheConfigOptions } from './resolve-cache-config.js';
