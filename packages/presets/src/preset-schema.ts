import { z } from 'zod';
import { describeValue } from './describe-value.js';
import { aBoolean, aMapOf, aNumber, anInteger, bool, intBetween, oneOf, positiveInt, str } from './schema-fields.js';
import { CACHE_STRATEGIES, HASH_ALGORITHMS, LOG_LEVELS } from './strategy.js';

/** Zod schema of a preset's `aiOptimizations`: a partial AI section, types only (ranges are checked by the validator). */
export const aiOptimizationsSchema = z
  .object({
    textHashThreshold: aNumber(),
    hashAlgorithm: oneOf(HASH_ALGORITHMS),
    textSizeTiers: aMapOf(anInteger()).readonly(),
    operationTtls: aMapOf(aNumber()).readonly(),
    enableSmartPromotion: aBoolean(),
    maxTextLength: positiveInt(),
  })
  .partial()
  .readonly();

/** The 13 fields a preset must carry; checked before anything else. */
export const PRESET_REQUIRED_FIELDS = Object.freeze([
  'name',
  'description',
  'strategy',
  'defaultTtl',
  'maxConnections',
  'connectionTimeout',
  'memoryCacheSize',
  'compressionThreshold',
  'compressionLevel',
  'enableAiCache',
  'enableMonitoring',
  'logLevel',
  'environmentContexts',
] as const);

/** Zod schema of a {@link CachePreset} with the configuration ranges (`key` defaults to `''`, `aiOptimizations` to `{}`). */
export const cachePresetSchema = z
  .object(
    {
      key: str().default(''),
      name: str(),
      description: str(),
      strategy: oneOf(CACHE_STRATEGIES),
      defaultTtl: intBetween(60, 86_400),
      maxConnections: intBetween(1, 100),
      connectionTimeout: intBetween(1, 60),
      memoryCacheSize: intBetween(1, 10_000),
      compressionThreshold: intBetween(0, 1_048_576),
      compressionLevel: intBetween(1, 9),
      enableAiCache: bool(),
      enableMonitoring: bool(),
      logLevel: oneOf(LOG_LEVELS),
      environmentContexts: z.array(str(), { error: (iss) => `must be an array of strings, got ${describeValue(iss.input)}` }).readonly(),
      aiOptimizations: aiOptimizationsSchema.default(() => ({})),
    },
    { error: (iss) => `must be an object, got ${describeValue(iss.input)}` },
  )
  .readonly();

/** A named preset: the values a {@link CacheConfig} starts from, plus where it fits (`environmentContexts`). */
export type CachePreset = z.output<typeof cachePresetSchema>;
