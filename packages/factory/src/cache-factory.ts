import { InfrastructureError, defaultLogger, type CacheInterface, type CacheMetricsRecorder, type Clock, type Logger } from '@cache/core';
import { InMemoryCache } from '@cache/memory';
import { CachePerformanceMonitor, subscribeCacheOperations, type CacheOperationEvent, type CacheOperationSubscription } from '@cache/monitoring';
import type { CacheConfig, FactoryConfig } from '@cache/presets';
import { GenericRedisCache, type GenericRedisCacheOptions } from '@cache/redis';
import { AIResponseCache, CacheKeyGenerator, LlmRequestCache } from '@cache/redis-ai';
import { SecurityConfig } from '@cache/security';
import { connectOrFallback } from './connect.js';
import { cacheFromConfig } from './from-config.js';
import {
  AI_TEXT_HASH_THRESHOLD,
  assertAi,
  assertBase,
  resolveBase,
  testingProblems,
  ttlSeconds,
  type AiCacheOptions,
  type BaseCacheOptions,
  type CacheKind,
  type LlmAppOptions,
  type ResolvedBase,
  type TestingCacheOptions,
} from './options.js';

/** Constructor options of {@link CacheFactory}. */
export interface CacheFactoryOptions {
  /** The monitor shared by every Redis-backed cache of this factory; default a new `CachePerformanceMonitor`; `null` disables. */
  performanceMonitor?: CachePerformanceMonitor | null;
  /** Where warnings go (fallbacks, relaxations); default core's `defaultLogger`. Never receives secrets. */
  logger?: Logger;
  /** Wall clock handed to every Redis-backed cache (envelope expiry); default theirs (`systemClock`). */
  clock?: Clock;
}

const DEFAULT_NAMES: Readonly<Record<CacheKind, string>> = { web_app: 'web', ai_app: 'ai', llm_app: 'llm', testing: 'testing' };

/**
 * The composition root: one call builds a connected, monitored, secure cache for a use case.
 * Strict by default (`rediss://`, authentication and value encryption required outside
 * `forTesting`); options are validated before anything is built, every problem in one
 * `ValidationError`. A security refusal (bad options, wrong password, NOAUTH, untrusted or
 * mismatched TLS certificate) always throws; only an unreachable Redis falls back to an
 * `InMemoryCache`, after the half-built client is shut down, and `isFallback` reports it.
 */
export class CacheFactory {
  /** The monitor shared by this factory's Redis-backed caches (null when disabled). */
  readonly performanceMonitor: CachePerformanceMonitor | null;
  readonly #logger: Logger;
  readonly #clock: Clock | undefined;
  readonly #fallbacks = new WeakSet<CacheInterface>();
  /** Names of the caches this factory built (what `traceOperations` reports). */
  readonly #names = new Set<string>();
  #testingWarned = false;

  /** Each factory is independent: its own monitor, its own fallback bookkeeping. */
  constructor(o: CacheFactoryOptions = {}) {
    this.performanceMonitor = o.performanceMonitor === undefined ? new CachePerformanceMonitor() : o.performanceMonitor;
    this.#logger = o.logger ?? defaultLogger;
    this.#clock = o.clock;
  }

  /**
   * A `GenericRedisCache` for a web application: `rediss://localhost:6380`, TTL 1800 s, L1 of 200
   * entries, compression above 2000 bytes at level 6. Never relaxes security.
   */
  async forWebApp(o: BaseCacheOptions = {}): Promise<CacheInterface> {
    assertBase(o);
    const r = resolveBase(o, 'web_app');
    return this.#redis('web_app', r, () => new GenericRedisCache(this.#redisOptions('web_app', o, r)), () => this.#memory(o.name ?? DEFAULT_NAMES.web_app, r.defaultTtl, r.l1CacheSize));
  }

  /**
   * An `AIResponseCache` (`@cache/redis-ai`) for an AI application: TTL 3600 s, L1 of
   * `memoryCacheSize ?? 100` entries, text hash threshold 500, per-operation TTLs. Its memory
   * fallback builds keys with the same `CacheKeyGenerator` settings, so keys match.
   */
  async forAiApp(o: AiCacheOptions = {}): Promise<CacheInterface> {
    assertAi(o);
    assertBase(o);
    const r = resolveBase(o, 'ai_app');
    const size = o.memoryCacheSize ?? r.l1CacheSize;
    const textHashThreshold = o.textHashThreshold ?? AI_TEXT_HASH_THRESHOLD;
    const keys = {
      textHashThreshold,
      ...(o.hashAlgorithm === undefined ? {} : { hashAlgorithm: o.hashAlgorithm }),
      ...(o.maxTextLength === undefined ? {} : { maxTextLength: o.maxTextLength }),
    };
    const operationTtls = Object.fromEntries(Object.entries(o.operationTtls ?? {}).map(([op, ttl]) => [op, ttlSeconds(ttl) as number]));
    return this.#redis(
      'ai_app',
      r,
      () =>
        new AIResponseCache({
          ...this.#redisOptions('ai_app', o, { ...r, l1CacheSize: size }),
          ...keys,
          operationTtls,
          ...(o.textSizeTiers === undefined ? {} : { textSizeTiers: o.textSizeTiers }),
          ...(o.enableSmartPromotion === undefined ? {} : { enableSmartPromotion: o.enableSmartPromotion }),
        }),
      () => this.#memory(o.name ?? DEFAULT_NAMES.ai_app, r.defaultTtl, size, new CacheKeyGenerator({ ...keys, logger: this.#logger })),
    );
  }

  /**
   * An `LlmRequestCache` (`@cache/redis-ai`: whole model calls, tenants, write guards, single
   * flight, savings ledger) over a `GenericRedisCache` named `'llm'` with `forAiApp`'s defaults
   * (TTL 3600 s, L1 of 100 entries). Every hit's savings (tokens, cost from `prices`, model time)
   * go to this factory's monitor (or the call's `performanceMonitor`), hence to the `/metrics`
   * routes. When Redis cannot be reached, it keeps the same object over its storage cache with the
   * connection closed (no socket, no retry): that cache's L1 serves as the in-process store, so
   * hits keep being served and counted; `isFallback(llm)` is then true and health is `degraded`.
   * A security refusal always throws, as for every method.
   */
  async forLlmApp(o: LlmAppOptions = {}): Promise<LlmRequestCache> {
    const { prices, requireTenant, ttlRules, providerOptionKeys, allowedFinishReasons, maxEntryBytes, cacheNonDeterministic, ...base } = o;
    assertBase(base);
    const r = resolveBase(base, 'llm_app');
    const monitor = base.performanceMonitor === undefined ? this.performanceMonitor : base.performanceMonitor;
    const defined = <T extends object>(x: T): Partial<T> => Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined)) as Partial<T>;
    const llmOptions = {
      ...defined({ prices, requireTenant, ttlRules, providerOptionKeys, allowedFinishReasons, maxEntryBytes, cacheNonDeterministic }),
      ...(monitor === null ? {} : { performanceMonitor: monitor }),
      logger: this.#logger,
      ...(this.#clock === undefined ? {} : { clock: this.#clock }),
    };
    let llm: LlmRequestCache | undefined;
    await this.#redis(
      'llm_app',
      r,
      () => {
        // Built (and its options validated) before any connection is made; a fallback keeps its storage cache.
        llm = new LlmRequestCache(new GenericRedisCache(this.#redisOptions('llm_app', base, r)), llmOptions);
        return llm.cache;
      },
      (halfBuilt) => {
        if (halfBuilt) return halfBuilt;
        throw new InfrastructureError('Failed to create LLM application cache: its storage cache could not be built', { code: 'CACHE_CREATION_FAILED', context: { cache_type: 'llm_app' } });
      },
    );
    return llm as LlmRequestCache;
  }

  /**
   * A cache for tests: with `useMemoryCache` a new, isolated `InMemoryCache` (TTL 60 s, 50 entries)
   * that never touches Redis; else a `GenericRedisCache` on `redis://localhost:6379/15`. Only this
   * method relaxes security, explicitly and with a warning: a `redis://` URL gets `useTls: false`,
   * and no encryption layer means `allowUnencrypted: true`.
   */
  async forTesting(o: TestingCacheOptions = {}): Promise<CacheInterface> {
    assertBase(o, testingProblems(o));
    const r = resolveBase(o, 'testing');
    if (o.useMemoryCache === true) return this.#named(new InMemoryCache({ name: o.name ?? DEFAULT_NAMES.testing, defaultTtl: r.defaultTtl, maxSize: r.l1CacheSize, logger: this.#logger }));
    const plainUrl = r.redisUrl.startsWith('redis://');
    const relaxTls = plainUrl && !(o.securityConfig instanceof SecurityConfig) && o.securityConfig?.useTls === undefined;
    const relaxEncryption = o.encryption === undefined && o.allowUnencrypted === undefined;
    if ((relaxTls || relaxEncryption) && !this.#testingWarned) {
      this.#testingWarned = true;
      this.#logger.warn(
        `SECURITY WARNING: forTesting relaxes security (${[relaxTls ? 'useTls: false for a redis:// URL' : '', relaxEncryption ? 'allowUnencrypted: true without an encryption layer' : ''].filter(Boolean).join(', ')}); never use it in production`,
      );
    }
    const relaxed: TestingCacheOptions = {
      ...o,
      ...(relaxTls ? { securityConfig: { ...(o.securityConfig as object | undefined), useTls: false } } : {}),
      ...(relaxEncryption ? { allowUnencrypted: true } : {}),
    };
    return this.#redis('testing', r, () => new GenericRedisCache(this.#redisOptions('testing', relaxed, r)), () =>
      this.#memory(o.name ?? DEFAULT_NAMES.testing, r.defaultTtl, r.l1CacheSize),
    );
  }

  /**
   * Builds from a plain config (a `FactoryConfig`) or a `@cache/presets` `CacheConfig`: memory only
   * for the `disabled` preset or without a URL; an AI cache when `enableAiCache` is true or AI
   * fields are present (and `enableAiCache` is not false); else a web cache. Unknown keys are
   * warned about once and ignored.
   */
  createCacheFromConfig(config: CacheConfig | FactoryConfig | Record<string, unknown>, o: { failOnConnectionError?: boolean } = {}): Promise<CacheInterface> {
    return cacheFromConfig(this, config, o, this.#logger);
  }

  /**
   * Per-operation tracing of the caches this factory built (matched by cache name, fallbacks
   * included): subscribes `listener` to the `@cache:*` diagnostics channels (see
   * `subscribeCacheOperations` in `@cache/monitoring`) and calls it once per finished operation
   * with its operation, cache, kind, start time, duration, hit/hits and error name — never a key
   * or a value. Use it for spans or latency histograms; a throwing listener never fails an
   * operation. `unsubscribe()` (or `using`) stops it, and with no subscriber left tracing costs
   * the caches nothing again.
   */
  traceOperations(listener: (event: CacheOperationEvent) => void): CacheOperationSubscription {
    return subscribeCacheOperations(listener, {
      caches: (name) => this.#names.has(name),
      onListenerError: (error) => this.#logger.warn('cache operation listener failed; further failures are not logged', { error_type: error instanceof Error ? error.name : typeof error }),
    });
  }

  /**
   * True for a cache this factory returned because Redis could not be reached: an in-memory
   * fallback, or an `LlmRequestCache` (or its storage cache) serving from its L1 with the
   * connection closed.
   */
  isFallback(cache: CacheInterface | LlmRequestCache): boolean {
    return this.#fallbacks.has(cache instanceof LlmRequestCache ? cache.cache : cache);
  }

  async #redis(
    kind: CacheKind,
    r: ResolvedBase,
    construct: () => GenericRedisCache,
    fallback: (halfBuilt: GenericRedisCache | undefined) => CacheInterface,
  ): Promise<CacheInterface> {
    const plan = { kind, redisUrl: r.redisUrl, failOnConnectionError: r.failOnConnectionError, connectTimeoutMs: r.connectTimeoutMs, logger: this.#logger };
    const built = await connectOrFallback(plan, construct, fallback);
    if (built.fallback) this.#fallbacks.add(built.cache);
    return this.#named(built.cache);
  }

  #named<C extends CacheInterface>(cache: C): C {
    const name = (cache as { name?: unknown }).name;
    if (typeof name === 'string') this.#names.add(name);
    return cache;
  }

  #memory(name: string, defaultTtl: number, maxSize: number, keyGenerator?: CacheKeyGenerator): InMemoryCache {
    return new InMemoryCache({ name, defaultTtl, maxSize, logger: this.#logger, ...(keyGenerator ? { keyGenerator } : {}) });
  }

  #redisOptions(kind: CacheKind, o: BaseCacheOptions, r: ResolvedBase): GenericRedisCacheOptions {
    const monitor: CacheMetricsRecorder | null = o.performanceMonitor === undefined ? this.performanceMonitor : o.performanceMonitor;
    const security = o.securityConfig;
    return {
      redisUrl: r.redisUrl,
      // @cache/redis-ai does not accept `name` yet: an AI cache is named only when the caller asks.
      ...(kind === 'ai_app' && o.name === undefined ? {} : { name: o.name ?? DEFAULT_NAMES[kind] }),
      defaultTtl: r.defaultTtl,
      enableL1Cache: r.enableL1Cache,
      l1CacheSize: r.l1CacheSize,
      ...(r.compressionThreshold === undefined ? {} : { compressionThreshold: r.compressionThreshold }),
      ...(r.compressionLevel === undefined ? {} : { compressionLevel: r.compressionLevel }),
      connectTimeoutMs: r.connectTimeoutMs,
      ...(this.#clock === undefined ? {} : { clock: this.#clock }),
      logger: this.#logger,
      ...(security === undefined
        ? {}
        : { securityConfig: security instanceof SecurityConfig ? security : new SecurityConfig(security, { logger: this.#logger, ...(o.env ? { env: o.env } : {}) }) }),
      ...(o.encryption === undefined ? {} : { encryption: o.encryption }),
      ...(o.allowUnencrypted === undefined ? {} : { allowUnencrypted: o.allowUnencrypted }),
      ...(monitor === null ? {} : { performanceMonitor: monitor }),
      ...(o.keyPrefix === undefined ? {} : { keyPrefix: o.keyPrefix }),
      ...(o.env === undefined ? {} : { env: o.env }),
    };
  }
}
