// Everything of the Redis-free `keys` entry, then the caches and their configuration.
export * from './keys.js';
export { AIResponseCacheConfig } from './config/ai-config.js';
export type { AIResponseCacheConfigInput } from './config/ai-config.js';
export { CacheParameterMapper } from './config/parameter-mapper.js';
export { ParameterValidationResult } from './config/validation-result.js';
export type { AIResponseCacheOptions } from './ai/options.js';
export { AIResponseCache } from './ai/ai-response-cache.js';
export type { AiCacheStats, PerformanceSummary } from './ai/ai-response-cache.js';
export type { AiMetricsSnapshot, AiOperationRecord } from './ai/ai-metrics.js';
export type {
  AiPerformanceSummary,
  AiRecommendation,
  OperationPerformance,
  OperationPerformanceEntry,
  TextTierStatistics,
  TierPerformance,
} from './ai/ai-analytics.js';
export { LlmNotCachedError, LlmRequestCache } from './llm/llm-request-cache.js';
export type { LlmCacheStats, LlmCacheStatsReport, LlmCallOptions, LlmCallResult, LlmLookupResult, LlmRequestCacheOptions, LlmStoreOptions, LlmStoreResult } from './llm/llm-request-cache.js';
export { LLM_CACHE_MODES } from './llm/policy.js';
export type { LlmCacheMode, LlmCallPlan, LlmCallPolicy, LlmSkipReason, LlmTtlRule } from './llm/policy.js';
export { DEFAULT_ALLOWED_FINISH_REASONS } from './llm/write-guards.js';
export type { LlmGuardResult, LlmWriteRefusal } from './llm/write-guards.js';
export { checkJsonSchema } from './llm/json-schema-subset.js';
export type { SchemaViolation } from './llm/json-schema-subset.js';
export type { CachedLlmEntry, UsageFigures } from './llm/response-codec.js';
export type { LlmModelPrice, LlmPriceTable, LlmSavingsFigures, LlmSavingsReport } from './llm/savings-ledger.js';
