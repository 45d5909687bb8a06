export {
  CacheError,
  ConfigurationError,
  ValidationError,
  InfrastructureError,
  FactoryError,
  FactoryTimeoutError,
  AbortedError,
  isConfigurationError,
  isValidationError,
  isInfrastructureError,
  isFactoryError,
  isFactoryTimeoutError,
  isAbortedError,
} from './errors.js';
export type { ErrorContext, CacheErrorOptions } from './errors.js';
export { CacheInterface, isCacheInterface } from './cache-interface.js';
export type {
  TtlSeconds,
  SetOptions,
  SetManyEntry,
  Factory,
  FactoryContext,
  GetOrSetOptions,
  PatternInvalidation,
  TagInvalidation,
  KeyBuilder,
  KeyGenerator,
  CacheStatsReport,
  CacheStatsSource,
} from './cache-interface.js';
export { ReadThroughEngine, emptyReadThroughCounters } from './read-through.js';
export type {
  ReadThroughStorage,
  ReadThroughHit,
  ReadThroughLease,
  LeaseGrant,
  LeaseOutcome,
  LeaseRequest,
  LeaseRequestOptions,
  ReadThroughCounters,
} from './read-through.js';
export { MAX_TTL_SECONDS, MAX_TAGS, assertValidKey, assertValidKeys, assertSetManyEntries, assertStorableValue, assertValidTags, resolveTags, resolveTtlSeconds } from './validation.js';
export { parseDuration } from './duration.js';
export type { Duration, DurationUnit } from './duration.js';
export { keyFingerprint } from './fingerprint.js';
export { redactUrl } from './redact-url.js';
export { sanitizeError } from './sanitize-error.js';
export { compileGlob, escapeGlob } from './glob.js';
export type { GlobMatcher } from './glob.js';
export { jsonCodec, assertJsonSerializable, toCanonicalJson, MAX_JSON_DEPTH } from './codec.js';
export type { Codec } from './codec.js';
export { systemClock, monotonicClock, coarseClock, ManualClock, createCoarseClock } from './clock.js';
export type { Clock } from './clock.js';
export { defaultLogger, silentLogger, createConsoleLogger, isLogLevelEnabled } from './logger.js';
export type { Logger, LogLevel } from './logger.js';
export { guardRecorderCall, logRecorderFailure } from './metrics.js';
export type { CacheMetricsRecorder } from './metrics.js';
export { parseEnvBoolean } from './env-boolean.js';
export { Environment, FeatureContext, detectEnvironment } from './environment.js';
export type { EnvironmentInfo, EnvironmentResolver } from './environment.js';
export { CACHE_TRACING_CHANNELS, cacheTracingChannel, traceCacheOperation } from './tracing.js';
export type { CacheTraceContext, TracedOperation } from './tracing.js';
