import { createHash } from 'node:crypto';
import {
  ConfigurationError,
  InfrastructureError,
  defaultLogger,
  isConfigurationError,
  isValidationError,
  toCanonicalJson,
  type CacheInterface,
  type Logger,
} from '@cache/core';
import { InMemoryCache } from '@cache/memory';
import { AI_DEFAULTS, resolveCacheConfig, toFactoryOptions, validateCacheConfig, type CacheConfig, type EnvSource, type FactoryConfig } from '@cache/presets';
import { CacheKeyGenerator, type HashAlgorithm, type LlmRequestCache } from '@cache/redis-ai';
import { CacheFactory } from './cache-factory.js';
import { configTarget } from './from-config.js';
import { checkCacheHealth, type CacheHealthStatus } from './health.js';
import type { BaseCacheOptions, LlmAppOptions } from './options.js';
import { CacheRegistry, type CleanupStats } from './registry.js';

/** Which service a health probe or adapter uses: the config's own (`main`), always generic (`web`), or always AI (`ai`). */
export type CacheServiceKind = 'main' | 'web' | 'ai';

/** Options of {@link CacheServiceProvider}. */
export interface CacheServiceProviderOptions {
  /** The config; default `resolveCacheConfig({ env })` (once, on first use). */
  config?: CacheConfig;
  /** Variables for `resolveCacheConfig`, `TEST_REDIS_URL` and the caches' `REDIS_*` settings; default `process.env`. */
  env?: EnvSource;
  /** Default a new `CacheFactory` with this provider's logger. */
  factory?: CacheFactory;
  /** Default a new `CacheRegistry` that asks the factory which caches are fallbacks. */
  registry?: CacheRegistry;
  /** Default core's `defaultLogger`. */
  logger?: Logger;
  /**
   * Options a config cannot express, merged into every cache this provider builds (e.g. an
   * `encryption` layer, a `securityConfig` with a CA path or ACL user). Not part of the service key.
   */
  cacheOptions?: BaseCacheOptions;
  /** Options of the LLM service ({@link CacheServiceProvider.getLlmCacheService}): prices, tenants, TTL rules, write guards. */
  llmOptions?: LlmServiceOptions;
}

/** The `forLlmApp` options that are not connection options: what `LlmRequestCache` itself takes. */
export type LlmServiceOptions = Omit<LlmAppOptions, keyof BaseCacheOptions>;

const AI_FIELDS = ['textHashThreshold', 'operationTtls', 'textSizeTiers', 'hashAlgorithm', 'enableSmartPromotion', 'maxTextLength'] as const;

/** `<kind>:<first 16 hex of sha256(canonical JSON)>`: covers secrets in the config without showing them. */
const serviceKey = (kind: string, config: FactoryConfig): string =>
  `${kind}:${createHash('sha256').update(toCanonicalJson(config)).digest('hex').slice(0, 16)}`;

/**
 * The application's cache services, built once per config and shared: the idiomatic Node
 * replacement for per-request dependency functions. A service that cannot be built for an
 * unexpected reason is replaced by a registered (so reused) in-memory fallback; configuration and
 * security errors propagate. `shutdown()` (also `await using`) disconnects everything and refuses
 * later requests instead of opening new connections.
 */
export class CacheServiceProvider implements AsyncDisposable {
  /** The factory building this provider's caches. */
  readonly factory: CacheFactory;
  /** Where this provider's services live. */
  readonly registry: CacheRegistry;
  readonly #env: EnvSource;
  readonly #logger: Logger;
  readonly #cacheOptions: BaseCacheOptions;
  readonly #llmOptions: LlmServiceOptions;
  #config: CacheConfig | undefined;
  #llm: Promise<LlmRequestCache> | undefined;
  #closed: Promise<CleanupStats> | null = null;

  /** Resolves nothing yet: the config is read on first use. */
  constructor(o: CacheServiceProviderOptions = {}) {
    this.#env = o.env ?? process.env;
    this.#logger = o.logger ?? defaultLogger;
    this.factory = o.factory ?? new CacheFactory({ logger: this.#logger });
    this.registry = o.registry ?? new CacheRegistry({ logger: this.#logger, isFallback: (c) => this.factory.isFallback(c) });
    this.#config = o.config === undefined ? undefined : Object.freeze({ ...o.config });
    this.#cacheOptions = { env: this.#env, ...Object.fromEntries(Object.entries(o.cacheOptions ?? {}).filter(([, v]) => v !== undefined)) };
    this.#llmOptions = { ...o.llmOptions };
  }

  /** The config (resolved once); the same frozen object on every call. */
  getConfig(): CacheConfig {
    this.#config ??= resolveCacheConfig({ env: this.#env, logger: this.#logger });
    return this.#config;
  }

  /** Validates the config: problems → `ConfigurationError` "Invalid cache configuration" with `validation_errors` and `warnings`. */
  validateConfiguration(): CacheConfig {
    const config = this.getConfig();
    const result = validateCacheConfig(config);
    for (const warning of result.warnings) this.#logger.warn(`Cache configuration warning: ${warning}`);
    if (result.errors.length > 0) {
      throw new ConfigurationError('Invalid cache configuration', {
        code: 'INVALID_CONFIGURATION',
        context: { validation_errors: [...result.errors], warnings: [...result.warnings] },
      });
    }
    return config;
  }

  /** The config's own service (AI exactly when the config enables it); fallback 1800 s / 100 entries. */
  getCacheService(): Promise<CacheInterface> {
    return this.#service('main', toFactoryOptions(this.getConfig()), () => new InMemoryCache({ defaultTtl: 1800, maxSize: 100, logger: this.#logger }));
  }

  /** Always a generic (non-AI) cache; fallback 1800 s / 200 entries. */
  getWebCacheService(): Promise<CacheInterface> {
    const config: Record<string, unknown> = { ...toFactoryOptions(this.getConfig()), enableAiCache: false };
    for (const field of AI_FIELDS) delete config[field];
    return this.#service('web', config as unknown as FactoryConfig, () => new InMemoryCache({ defaultTtl: 1800, maxSize: 200, logger: this.#logger }));
  }

  /** Always an AI cache (presets' AI defaults when the config has none); fallback 300 s / 50 entries with AI keys. */
  getAiCacheService(): Promise<CacheInterface> {
    const base = toFactoryOptions(this.getConfig());
    const config: FactoryConfig = base.enableAiCache
      ? base
      : { ...base, enableAiCache: true, ...structuredClone({ ...AI_DEFAULTS }) };
    const keyGenerator = () =>
      new CacheKeyGenerator({
        textHashThreshold: config.textHashThreshold ?? AI_DEFAULTS.textHashThreshold,
        hashAlgorithm: (config.hashAlgorithm ?? AI_DEFAULTS.hashAlgorithm) as HashAlgorithm,
        ...(config.maxTextLength === undefined ? {} : { maxTextLength: config.maxTextLength }),
        logger: this.#logger,
      });
    return this.#service('ai', config, () => new InMemoryCache({ defaultTtl: 300, maxSize: 50, keyGenerator: keyGenerator(), logger: this.#logger }));
  }

  /**
   * An `LlmRequestCache` (`@cache/redis-ai`: whole model calls, tenants, write guards, single flight,
   * savings ledger) on the config's Redis with this provider's `llmOptions`, built once by
   * `factory.forLlmApp` and shared. Its storage cache is registered, so health, `/metrics` and
   * `shutdown()` cover it. Unreachable Redis gives `forLlmApp`'s fallback (the same object serving
   * from its L1, connection closed, reported as a fallback). A memory-only config (the `disabled`
   * preset, or no URL) is a `ConfigurationError`, as are configuration and security errors; a failed
   * build is not remembered.
   */
  async getLlmCacheService(): Promise<LlmRequestCache> {
    this.#assertOpen();
    this.#llm ??= this.#buildLlm().catch((error: unknown) => {
      this.#llm = undefined;
      throw error;
    });
    return this.#llm;
  }

  /** `fallbackOnly` → a fallback; `enableAi` → the AI service; else the web service; any error → a fallback. */
  async getConditionalCacheService(o: { enableAi?: boolean; fallbackOnly?: boolean } = {}): Promise<CacheInterface> {
    this.#assertOpen();
    if (o.fallbackOnly) return this.getFallbackCacheService();
    try {
      return await (o.enableAi ? this.getAiCacheService() : this.getWebCacheService());
    } catch (error) {
      this.#logger.warn(`Cache service unavailable, serving an in-memory fallback: ${error instanceof Error ? error.message : String(error)}`);
      return this.getFallbackCacheService();
    }
  }

  /** A new, unregistered `InMemoryCache` (1800 s / 100 entries) on every call. */
  async getFallbackCacheService(): Promise<CacheInterface> {
    this.#assertOpen();
    return new InMemoryCache({ defaultTtl: 1800, maxSize: 100, logger: this.#logger });
  }

  /** A new, isolated in-memory test cache on every call. */
  async getTestCache(): Promise<CacheInterface> {
    this.#assertOpen();
    return this.factory.forTesting({ useMemoryCache: true });
  }

  /** A Redis test cache on `TEST_REDIS_URL` (default `redis://localhost:6379/15`); any error → `getTestCache()`. */
  async getTestRedisCache(): Promise<CacheInterface> {
    this.#assertOpen();
    try {
      return await this.factory.forTesting({
        ...this.#cacheOptions,
        redisUrl: this.#env['TEST_REDIS_URL'] ?? 'redis://localhost:6379/15',
        useMemoryCache: false,
        failOnConnectionError: false,
      });
    } catch {
      return this.getTestCache();
    }
  }

  /** Health of the `kind` service (built on first use, then only inspected). */
  async getHealthStatus(kind: CacheServiceKind = 'main'): Promise<CacheHealthStatus> {
    const cache = await this.service(kind);
    return checkCacheHealth(cache, { fallback: this.registry.isFallback(cache) });
  }

  /** The service of `kind` (what the adapters resolve). */
  service(kind: CacheServiceKind): Promise<CacheInterface> {
    return kind === 'ai' ? this.getAiCacheService() : kind === 'web' ? this.getWebCacheService() : this.getCacheService();
  }

  /** Disconnects every registered cache (bounded, never throws); idempotent; later requests reject. */
  shutdown(): Promise<CleanupStats> {
    if (this.#closed) return this.#closed.then(() => ({ totalEntries: 0, activeCaches: 0, disconnectedCaches: 0, errors: [] }));
    this.#closed = this.registry.cleanup();
    return this.#closed;
  }

  /** `shutdown()`, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }

  #assertOpen(): void {
    if (this.#closed) throw new InfrastructureError('Cache provider is shut down; no new cache services are created', { code: 'PROVIDER_SHUT_DOWN' });
  }

  async #buildLlm(): Promise<LlmRequestCache> {
    const config = toFactoryOptions(this.getConfig());
    const target = configTarget({ ...config, ...this.#cacheOptions });
    if (target.kind === 'memory') {
      throw new ConfigurationError('The LLM cache service needs Redis, but the configuration describes an in-memory cache (the disabled preset, or no redisUrl)', {
        code: 'INVALID_CONFIGURATION',
        context: { service: 'llm' },
      });
    }
    let llm: LlmRequestCache | undefined;
    await this.registry.getOrCreate(serviceKey('llm', config), async () => {
      llm = await this.factory.forLlmApp({ ...target.options, ...this.#llmOptions });
      return llm.cache;
    });
    if (llm === undefined) throw new InfrastructureError('The LLM cache service was registered by someone else', { code: 'CACHE_KEY_TAKEN', context: { service: 'llm' } });
    return llm;
  }

  async #service(kind: CacheServiceKind, config: FactoryConfig, fallback: () => CacheInterface): Promise<CacheInterface> {
    this.#assertOpen();
    const key = serviceKey(kind, config);
    try {
      return await this.registry.getOrCreate(key, () => this.factory.createCacheFromConfig({ ...config, ...this.#cacheOptions }));
    } catch (error) {
      if (isConfigurationError(error) || isValidationError(error) || this.#closed) throw error;
      this.#logger.warn(`Cache service ${kind} could not be created; serving a registered in-memory fallback: ${error instanceof Error ? error.message : String(error)}`);
      const existing = this.registry.peek(key);
      if (existing) return existing;
      const cache = fallback();
      this.registry.register(key, cache, { fallback: true });
      return cache;
    }
  }
}
