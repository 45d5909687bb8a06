/** Cache strategies; a config serializes the string value. */
export const CacheStrategy = Object.freeze({
  FAST: 'fast',
  BALANCED: 'balanced',
  ROBUST: 'robust',
  AI_OPTIMIZED: 'ai_optimized',
} as const);
/** One of the four {@link CacheStrategy} values. */
export type CacheStrategy = (typeof CacheStrategy)[keyof typeof CacheStrategy];

/** The four strategy strings, in declaration order. */
export const CACHE_STRATEGIES = Object.freeze([
  CacheStrategy.FAST,
  CacheStrategy.BALANCED,
  CacheStrategy.ROBUST,
  CacheStrategy.AI_OPTIMIZED,
] as const);

/** Log levels a config may name. */
export const LOG_LEVELS = Object.freeze(['DEBUG', 'INFO', 'WARNING', 'ERROR'] as const);
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The seven built-in preset keys, in their canonical order. */
export const PRESET_NAMES = Object.freeze([
  'disabled',
  'minimal',
  'simple',
  'development',
  'production',
  'ai-development',
  'ai-production',
] as const);
/** One of the seven built-in preset keys. */
export type PresetName = (typeof PRESET_NAMES)[number];

/** Hash algorithms `@cache/redis-ai` accepts. */
export const HASH_ALGORITHMS = Object.freeze(['sha256', 'md5'] as const);

/** An environment-variable map (defaults to `process.env` where accepted). */
export type EnvSource = Readonly<Record<string, string | undefined>>;
