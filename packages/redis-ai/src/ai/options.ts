import type { GenericRedisCacheOptions } from '@cache/redis';
import type { HashAlgorithm } from './key-generator.js';
import type { TextSizeTiers } from './text.js';

/** Options of `AIResponseCache`: every `GenericRedisCache` option plus the AI ones. */
export interface AIResponseCacheOptions extends GenericRedisCacheOptions {
  /** This cache's name in statistics and metrics (the `cache` label); default `'ai-response'`. */
  name?: string;
  /** Longest text (code points) kept readable in keys, integer 1..100 000; default 1000. */
  textHashThreshold?: number;
  /** Digest of hashed text; default `sha256`. */
  hashAlgorithm?: HashAlgorithm;
  /** Tier bounds; default `{ small: 500, medium: 5000, large: 50000 }`. */
  textSizeTiers?: TextSizeTiers;
  /** Seconds per operation (1..31 536 000), applied by `set`, `setMany` and `getOrSet` without a TTL; default `{}`. */
  operationTtls?: Readonly<Record<string, number>>;
  /** Promote AI keys to L1 only when tier and operation deserve it; default false (promote every hit). */
  enableSmartPromotion?: boolean;
  /** Hash every text (no user text in key names); default false. */
  alwaysHashText?: boolean;
  /** Longest text accepted, code points; default: no limit. */
  maxTextLength?: number;
  /** @deprecated use `l1CacheSize` (same meaning; a warning is logged). */
  memoryCacheSize?: number;
}
