/**
 * `@cache/redis-ai/config`: parameter mapping and configuration objects without a Redis client
 * (this entry never loads ioredis).
 */
export { AIResponseCacheConfig } from './config/ai-config.js';
export type { AIResponseCacheConfigInput } from './config/ai-config.js';
export { CacheParameterMapper } from './config/parameter-mapper.js';
export { ParameterValidationResult } from './config/validation-result.js';
export type { AIResponseCacheOptions } from './ai/options.js';
