import { CacheError, ConfigurationError, ValidationError, sanitizeError, type CacheInterface, type Logger } from '@cache/core';
import { InMemoryCache } from '@cache/memory';
import { toFactoryOptions, type CacheConfig, type FactoryConfig } from '@cache/presets';
import type { HashAlgorithm, TextSizeTiers } from '@cache/redis-ai';
import type { SecurityConfigOptions } from '@cache/security';
import { AI_TEXT_HASH_THRESHOLD, assertBase, isPlainObject, ttlSeconds, type AiCacheOptions, type BaseCacheOptions } from './options.js';

/** The factory methods `createCacheFromConfig` delegates to. */
interface Delegates {
  forWebApp(o: BaseCacheOptions): Promise<CacheInterface>;
  forAiApp(o: AiCacheOptions): Promise<CacheInterface>;
}

/** Keys a config may carry; the informational ones are accepted and not used. */
const KNOWN = new Set([
  'redisUrl', 'securityConfig', 'defaultTtl', 'l1CacheSize', 'enableL1Cache', 'compressionThreshold', 'compressionLevel',
  'connectionTimeout', 'enableAiCache', 'enableMonitoring', 'textHashThreshold', 'operationTtls', 'memoryCacheSize',
  'textSizeTiers', 'hashAlgorithm', 'enableSmartPromotion', 'maxTextLength',
  // base options passed through unchanged
  'encryption', 'allowUnencrypted', 'env', 'name', 'keyPrefix', 'connectTimeoutMs', 'performanceMonitor',
  // informational
  'cacheStrategy', 'logLevel', 'maxConnections', 'presetName',
]);
const PASS_THROUGH = [
  'compressionThreshold', 'compressionLevel', 'encryption', 'allowUnencrypted', 'env', 'name', 'keyPrefix', 'connectTimeoutMs', 'performanceMonitor',
] as const;
const AI_KEYS = ['textHashThreshold', 'operationTtls', 'memoryCacheSize'] as const;

function checkShape(config: unknown): asserts config is Record<string, unknown> {
  const fail = (message: string) => {
    throw new ValidationError(message, { code: 'INVALID_FACTORY_INPUT', context: { config_type: Array.isArray(config) ? 'array' : config === null ? 'null' : typeof config } });
  };
  if (!isPlainObject(config)) fail('config must be a plain object');
  else if (Object.keys(config).length === 0) fail('config cannot be empty');
}

/**
 * Where a plain config (a preset already mapped by `toFactoryOptions`) puts the cache: memory only (the
 * `disabled` preset, or no URL) with its TTL and size, or Redis with these options (the spec's defaults
 * filled in, `connectionTimeout` in seconds mapped to `connectTimeoutMs`, `enableMonitoring: false` as no recorder).
 */
export function configTarget(c: Record<string, unknown>): { kind: 'memory'; memory: { defaultTtl: number; maxSize: number } } | { kind: 'redis'; options: BaseCacheOptions } {
  const base: BaseCacheOptions = {
    ...(c.defaultTtl === undefined ? {} : { defaultTtl: c.defaultTtl as number }),
    ...(c.l1CacheSize === undefined ? {} : { l1CacheSize: c.l1CacheSize as number }),
    ...(c.enableL1Cache === undefined ? {} : { enableL1Cache: c.enableL1Cache as boolean }),
    ...Object.fromEntries(PASS_THROUGH.filter((k) => c[k] !== undefined).map((k) => [k, c[k]])),
  };
  const url = c.redisUrl;
  const memoryOnly = (typeof c.presetName === 'string' && c.presetName.toLowerCase() === 'disabled') || url === null || url === undefined || url === '';
  if (memoryOnly) {
    const defaultTtl = base.defaultTtl ?? 300;
    const maxSize = base.l1CacheSize ?? 100;
    assertBase({ defaultTtl, l1CacheSize: maxSize });
    return { kind: 'memory', memory: { defaultTtl: ttlSeconds(defaultTtl) as number, maxSize } };
  }
  return {
    kind: 'redis',
    options: {
      redisUrl: url as string,
      defaultTtl: 3600,
      enableL1Cache: true,
      l1CacheSize: 100,
      ...(typeof c.connectionTimeout === 'number' ? { connectTimeoutMs: Math.round(c.connectionTimeout * 1000) } : {}),
      ...(c.enableMonitoring === false ? { performanceMonitor: null } : {}),
      ...base,
      ...(c.securityConfig === undefined ? {} : { securityConfig: c.securityConfig as SecurityConfigOptions }),
    },
  };
}

/** F13–F16 of the spec: checks, memory-only path, AI detection and mapping, error wrapping. */
export async function cacheFromConfig(
  factory: Delegates,
  input: CacheConfig | FactoryConfig | Record<string, unknown>,
  o: { failOnConnectionError?: boolean },
  logger: Logger,
): Promise<CacheInterface> {
  checkShape(input);
  const given: Record<string, unknown> = input;
  const isPreset = 'strategy' in given;
  // A preset config is mapped; options it cannot express (encryption, securityConfig, env, …) are kept.
  const c: Record<string, unknown> = isPreset
    ? { ...toFactoryOptions(input as unknown as CacheConfig), ...Object.fromEntries([...PASS_THROUGH, 'securityConfig'].filter((k) => k in given).map((k) => [k, given[k]])) }
    : given;
  if (!isPreset && !('redisUrl' in c)) {
    throw new ValidationError('redisUrl is required in config', { code: 'INVALID_FACTORY_INPUT', context: { keys: Object.keys(c).sort() } });
  }
  const unknown = Object.keys(c).filter((k) => !KNOWN.has(k)).sort();
  if (unknown.length > 0) logger.warn(`createCacheFromConfig ignores unknown config keys: ${unknown.join(', ')}`, { keys: unknown });

  const target = configTarget(c);
  if (target.kind === 'memory') return new InMemoryCache({ ...target.memory, logger });
  const shared: BaseCacheOptions = { ...target.options, failOnConnectionError: o.failOnConnectionError ?? false };
  const ai = c.enableAiCache === true || (c.enableAiCache !== false && AI_KEYS.some((k) => c[k] !== undefined));
  try {
    if (!ai) return await factory.forWebApp(shared);
    return await factory.forAiApp({
      ...shared,
      textHashThreshold: (c.textHashThreshold as number | undefined) ?? AI_TEXT_HASH_THRESHOLD,
      operationTtls: (c.operationTtls as Record<string, number> | undefined) ?? {},
      ...(c.memoryCacheSize === undefined ? {} : { memoryCacheSize: c.memoryCacheSize as number }),
      ...(c.textSizeTiers === undefined ? {} : { textSizeTiers: c.textSizeTiers as TextSizeTiers }),
      ...(c.hashAlgorithm === undefined ? {} : { hashAlgorithm: c.hashAlgorithm as HashAlgorithm }),
      ...(c.enableSmartPromotion === undefined ? {} : { enableSmartPromotion: c.enableSmartPromotion as boolean }),
      ...(c.maxTextLength === undefined ? {} : { maxTextLength: c.maxTextLength as number }),
    });
  } catch (error) {
    if (CacheError.isCacheError(error)) throw error;
    const reason = sanitizeError(error).message;
    throw new ConfigurationError(`Failed to create cache from configuration: ${reason}`, {
      code: 'CACHE_CREATION_FAILED',
      context: { original_error: reason },
      cause: sanitizeError(error),
    });
  }
}
