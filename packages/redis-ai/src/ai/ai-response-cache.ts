import {
  ConfigurationError,
  InfrastructureError,
  ValidationError,
  defaultLogger,
  escapeGlob,
  isConfigurationError,
  isValidationError,
  systemClock,
  type CacheStatsSource,
  type Clock,
  type Factory,
  type GetOrSetOptions,
  type KeyBuilder,
  type Logger,
  type SetManyEntry,
} from '@cache/core';
import { GenericRedisCache, type GenericRedisCacheOptions, type RedisCacheStatsReport, type SecurityStatus, type WriteOutcome } from '@cache/redis';
import { CacheParameterMapper, isUnknownParameter } from '../config/parameter-mapper.js';
import {
  aiPerformanceSummary,
  operationPerformance,
  textTierStatistics,
  type AiPerformanceSummary,
  type AnalyticsInput,
  type OperationPerformance,
  type TextTierStatistics,
} from './ai-analytics.js';
import { AI_KEY_PREFIX, AI_NAMESPACE, aiKeyOperation, assertOperation, parseAiKey } from './ai-key.js';
import { AiMetrics, type AiMetricsSnapshot, type TierLabel } from './ai-metrics.js';
import { CacheKeyGenerator, type AiOptions } from './key-generator.js';
import type { AIResponseCacheOptions } from './options.js';
import { DEFAULT_TEXT_SIZE_TIERS, codePointLength, getTextTier, shouldPromoteToMemory, tierOfLength, type TextSizeTiers, type TextTier } from './text.js';

/** The TTL argument `GenericRedisCache.set` accepts (tracks the base class). */
type SetTtlArgument = Parameters<GenericRedisCache['set']>[2];

/**
 * `AIResponseCache.getCacheStats()`: the Redis cache's report, its `redis` section with the number
 * of AI keys, memory and clients of every master, its `memory` section with the seed's L1 fields,
 * plus the AI metrics and the security status.
 */
export interface AiCacheStats extends RedisCacheStatsReport {
  redis: RedisCacheStatsReport['redis'] & {
    keys?: number;
    keysApproximate?: boolean;
    memoryUsed?: string;
    connectedClients?: number;
    /** Why the AI key count or INFO could not be read (the connection may still be ready). */
    error?: string;
  };
  memory: NonNullable<RedisCacheStatsReport['memory']> & {
    status: 'enabled' | 'disabled';
    memoryCacheEntries: number;
    memoryCacheSizeLimit: number;
    memoryCacheUtilization: string;
  };
  performance: RedisCacheStatsReport['performance'] & { status: string; monitor?: unknown };
  aiMetrics: AiMetricsSnapshot;
  security: (SecurityStatus & { valuesEncrypted: boolean }) | { error: string };
}

/** `AIResponseCache.getPerformanceSummary()`. */
export interface PerformanceSummary {
  /** Hits / gets, 0..1. */
  hitRate: number;
  /** gets + sets + deletes. */
  totalOperations: number;
  cacheHits: number;
  cacheMisses: number;
  recentAvgCacheOperationMs: number;
  aiOperationMetrics: Record<string, number>;
  aiMissMetrics: Record<string, number>;
  textTierDistribution: Record<string, number>;
  recentAiOperations: number;
}

/** The default `name` of an `AIResponseCache`. */
const AI_RESPONSE_CACHE_NAME = 'ai-response';
const TIER_MEMORY = 10_000;
const KEY_SCAN_LIMIT = 10_000;

interface Prepared {
  generic: GenericRedisCacheOptions;
  logger: Logger;
}

/** Validation and mapping before the base constructor runs (C2). */
function prepare(options: AIResponseCacheOptions): Prepared {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigurationError('AIResponseCache options must be an object', { code: 'INVALID_CONFIGURATION', context: { option: 'options' } });
  }
  const logger = options.logger ?? defaultLogger;
  const params = options as unknown as Record<string, unknown>;
  const mapper = new CacheParameterMapper({ logger });
  const result = mapper.validateParameterCompatibility(params);
  for (const name of Object.keys(params)) {
    if (isUnknownParameter(name)) result.addError(`Parameter '${name}' is not a known AIResponseCache option`);
  }
  if (!result.isValid) {
    throw new ConfigurationError(`AIResponseCache parameter validation failed: ${result.errors.join('; ')}`, {
      code: 'INVALID_CONFIGURATION',
      context: { validationErrors: [...result.errors], validationWarnings: [...result.warnings], params: Object.keys(params) },
    });
  }
  for (const warning of result.warnings) logger.warn(`AIResponseCache parameter warning: ${warning}`);
  if (options.memoryCacheSize !== undefined) logger.warn('AIResponseCache option memoryCacheSize is deprecated: use l1CacheSize');
  const [generic] = mapper.mapAiToGenericParams(params);
  generic['name'] ??= AI_RESPONSE_CACHE_NAME;
  return { generic: generic as GenericRedisCacheOptions, logger };
}

function sumField(texts: readonly string[], field: string): number {
  const re = new RegExp(`^${field}:(\\d+)`, 'm');
  return texts.reduce((sum, text) => sum + Number(re.exec(text)?.[1] ?? 0), 0);
}

function humanBytes(bytes: number): string {
  const units = ['B', 'K', 'M', 'G', 'T'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes}B` : `${value.toFixed(2)}${units[unit]}`;
}

/**
 * `GenericRedisCache` for AI responses: the same single connection path (security, TLS, ACL and
 * encryption inherited, `connect()` not overridden), keys from {@link CacheKeyGenerator},
 * per-operation TTLs applied by `set`, `setMany` and `getOrSet`, text tiers with optional smart
 * L1 promotion, operation-scoped invalidation that matches exactly one operation's namespace
 * (`sum` never touches `summarize`), and AI hit/miss analytics. Bad options throw `ConfigurationError`
 * `INVALID_CONFIGURATION` listing every problem.
 */
export class AIResponseCache extends GenericRedisCache implements KeyBuilder, CacheStatsSource {
  /** This cache's name in statistics and metrics (the `cache` label); default `'ai-response'`. */
  declare readonly name: string;
  /** Builds every AI key of this cache (shares its metrics recorder). */
  readonly keyGenerator: CacheKeyGenerator;
  /** Longest text kept readable in keys, code points. */
  readonly textHashThreshold: number;
  /** Tier bounds. */
  readonly textSizeTiers: TextSizeTiers;
  /** Seconds per operation (frozen copy). */
  readonly operationTtls: Readonly<Record<string, number>>;
  /** Whether AI keys are promoted to L1 by tier and operation only. */
  readonly enableSmartPromotion: boolean;
  readonly #metrics: AiMetrics;
  readonly #tierOfKey: Map<string, TextTier>;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #monitorStats: (() => unknown) | undefined;

  /** Validates every option first (see the class doc), then constructs the base cache; never connects. */
  constructor(options: AIResponseCacheOptions) {
    const prepared = prepare(options);
    try {
      super(prepared.generic);
    } catch (error) {
      if (isConfigurationError(error)) throw error;
      throw new ConfigurationError(`Failed to initialize AIResponseCache: ${error instanceof Error ? error.message : String(error)}`, {
        code: 'INVALID_CONFIGURATION',
        context: { error_type: error instanceof Error ? error.name : typeof error },
      });
    }
    this.#logger = prepared.logger;
    this.#clock = options.clock ?? systemClock;
    this.keyGenerator = new CacheKeyGenerator({
      ...(options.textHashThreshold === undefined ? {} : { textHashThreshold: options.textHashThreshold }),
      ...(options.hashAlgorithm === undefined ? {} : { hashAlgorithm: options.hashAlgorithm }),
      ...(options.alwaysHashText === undefined ? {} : { alwaysHashText: options.alwaysHashText }),
      ...(options.maxTextLength === undefined ? {} : { maxTextLength: options.maxTextLength }),
      ...(options.performanceMonitor === undefined ? {} : { performanceMonitor: options.performanceMonitor }),
      logger: prepared.logger,
    });
    this.textHashThreshold = this.keyGenerator.textHashThreshold;
    this.textSizeTiers = Object.freeze({ ...(options.textSizeTiers ?? DEFAULT_TEXT_SIZE_TIERS) });
    this.operationTtls = Object.freeze({ ...(options.operationTtls ?? {}) });
    this.enableSmartPromotion = options.enableSmartPromotion ?? false;
    this.#metrics = new AiMetrics();
    this.#tierOfKey = new Map();
    const monitor = options.performanceMonitor as { getPerformanceStats?: unknown } | undefined;
    this.#monitorStats = typeof monitor?.getPerformanceStats === 'function' ? () => (monitor.getPerformanceStats as () => unknown).call(monitor) : undefined;
    this.on('get_success', (key, _value, meta) => this.#onGet(key, true, meta.durationMs));
    this.on('get_miss', (key, meta) => this.#onGet(key, false, meta.durationMs));
    this.on('set_success', (key, _value, meta) => this.#onSet(key, meta.durationMs, meta.bytes, meta.ttl));
  }

  /** The AI key for `text` under `operation` with `options` (see `CacheKeyGenerator`); remembers the text's tier. */
  buildKey(text: string, operation: string, options?: AiOptions | null): string {
    const key = this.keyGenerator.generateCacheKey(text, operation, options);
    const memory = this.#tierOfKey;
    memory.delete(key);
    memory.set(key, getTextTier(text, this.textSizeTiers));
    if (memory.size > TIER_MEMORY) memory.delete(memory.keys().next().value as string);
    return key;
  }

  /** `operationTtls[operation]`, else `defaultTtl`. */
  ttlForOperation(operation: string): number {
    return Object.hasOwn(this.operationTtls, operation) ? (this.operationTtls[operation] as number) : this.defaultTtl;
  }

  /** The tier of `text` under this cache's tier bounds. */
  getTextTier(text: string): TextTier {
    return getTextTier(text, this.textSizeTiers);
  }

  /**
   * `GenericRedisCache.set`, except that without a TTL an AI key gets its operation's TTL
   * (`ttlForOperation`); other keys get `defaultTtl`; an explicit TTL always wins.
   */
  override set(key: string, value: unknown, ttl?: SetTtlArgument): Promise<WriteOutcome> {
    return super.set(key, value, this.#withOperationTtl(key, ttl));
  }

  /** `GenericRedisCache.setMany`, each entry without a TTL getting its operation's TTL as in `set`. */
  override setMany(entries: readonly SetManyEntry[]): Promise<WriteOutcome[]> {
    if (!Array.isArray(entries)) return super.setMany(entries);
    return super.setMany(entries.map((entry: SetManyEntry) => (typeof entry === 'object' && entry !== null ? { ...entry, ttl: this.#withOperationTtl(entry.key, entry.ttl) } : entry)));
  }

  /**
   * `GenericRedisCache.getOrSet`, except that a value computed for an AI key without a `ttl`
   * option is stored for its operation's TTL (`ttlForOperation`), as `set` does.
   */
  override getOrSet<T>(key: string, factory: Factory<T>, options?: GetOrSetOptions<T>): Promise<T> {
    const operation = typeof key === 'string' ? aiKeyOperation(key) : null;
    // Anything but absent options or an options object without a TTL goes through as given (and is validated there).
    if (operation === null || (options !== undefined && (typeof options !== 'object' || options === null || options.ttl != null))) return super.getOrSet(key, factory, options);
    return super.getOrSet(key, factory, { ...options, ttl: this.ttlForOperation(operation) });
  }

  /**
   * Removes every AI key whose logical key matches the glob `ai_cache:*<pattern>*` (plain text is
   * a substring; `''` = every AI key) from L1 and Redis; resolves the distinct count.
   */
  override invalidatePattern(pattern: string, operationContext = ''): Promise<number> {
    if (typeof pattern !== 'string') {
      return Promise.reject(
        new ValidationError(`Invalid invalidation pattern (${pattern === null ? 'null' : typeof pattern}): use a string`, {
          code: 'INVALID_PATTERN',
          context: { pattern_type: pattern === null ? 'null' : typeof pattern },
        }),
      );
    }
    const glob = `${AI_NAMESPACE}*${pattern}*`;
    return this.invalidateMatching(glob, { type: 'manual', context: operationContext, extra: { searchPattern: glob } });
  }

  /**
   * Removes exactly the keys of `operation` (namespace `ai_cache:op:<operation>|`) from both tiers;
   * resolves the distinct count (a key in L1 and Redis counts once), recorded even when 0. An
   * invalid operation is a `ValidationError` naming `operation`; Redis failures degrade (L1 only,
   * replayed on reconnect).
   */
  async invalidateByOperation(operation: string, operationContext?: string): Promise<number> {
    if (typeof operation !== 'string' || operation === '') {
      throw new ValidationError('Invalid operation parameter: must be non-empty string', {
        code: 'INVALID_OPERATION',
        context: { parameter: 'operation', operation_type: operation === null ? 'null' : typeof operation },
      });
    }
    assertOperation(operation, 'Invalid operation parameter: operation must be 1-64 characters of [A-Za-z0-9_.-]');
    let count: number;
    try {
      count = await this.invalidateMatching(`${AI_KEY_PREFIX}${escapeGlob(operation)}|*`, {
        type: 'operation_specific',
        context: operationContext ?? `operation_specific_${operation}`,
        extra: { operation },
      });
    } catch (error) {
      if (isValidationError(error)) throw error;
      throw new InfrastructureError(`Unexpected error during operation invalidation: ${error instanceof Error ? error.message : String(error)}`, {
        code: 'INVALIDATION_FAILED',
        context: { operation, error_type: error instanceof Error ? error.name : typeof error },
      });
    }
    this.#metrics.recordInvalidation(operation, count);
    return count;
  }

  /** Removes every `ai_cache:*` key from L1 and Redis (other keys survive; no keyPrefix needed); resolves the count. */
  override clear(operationContext = 'clear'): Promise<number> {
    return this.invalidateMatching(`${AI_NAMESPACE}*`, { type: 'clear', context: operationContext });
  }

  /** Hits / gets over both tiers, 0..1 (0 before any get). */
  getHitRate(): number {
    const s = this.getStats();
    return s.gets === 0 ? 0 : (s.hitsL1 + s.hitsRedis) / s.gets;
  }

  /**
   * Redis (AI key count on every master, memory, clients), L1, performance (hit rate 0..1), AI
   * metrics and security status; a section that fails reports its error. Never rejects.
   */
  override async getCacheStats(): Promise<AiCacheStats> {
    const base = await super.getCacheStats();
    const stats = this.getStats();
    const performance: AiCacheStats['performance'] = { ...base.performance, status: 'ok' };
    const monitor = this.#safeMonitorStats();
    if (monitor !== undefined) performance.monitor = monitor;
    let security: AiCacheStats['security'];
    try {
      security = this.getSecurityStatus();
    } catch (error) {
      security = { error: error instanceof Error ? error.message : String(error) };
    }
    return {
      ...base,
      redis: { ...base.redis, ...(await this.#redisSection()) },
      memory: {
        ...(base.memory ?? { entries: 0, maxEntries: 0, bytes: 0 }),
        status: stats.l1.enabled ? 'enabled' : 'disabled',
        memoryCacheEntries: stats.l1.size,
        memoryCacheSizeLimit: stats.l1.maxSize,
        memoryCacheUtilization: `${stats.l1.size}/${stats.l1.maxSize}`,
      },
      performance,
      aiMetrics: this.getAiMetrics(),
      security,
    };
  }

  /** Counters of the base cache with the AI hit/miss/tier breakdown. */
  getPerformanceSummary(): PerformanceSummary {
    const s = this.getStats();
    const snapshot = this.#metrics.snapshot();
    return {
      hitRate: this.getHitRate(),
      totalOperations: s.gets + s.sets + s.deletes,
      cacheHits: s.hitsL1 + s.hitsRedis,
      cacheMisses: s.misses,
      recentAvgCacheOperationMs: s.recentAvgOperationMs,
      aiOperationMetrics: snapshot.cacheHitsByOperation,
      aiMissMetrics: snapshot.cacheMissesByOperation,
      textTierDistribution: snapshot.textTierDistribution,
      recentAiOperations: snapshot.operationPerformance.length,
    };
  }

  /** Hit rates (0..1) per operation and overall, tier mix, key statistics and recommendations; never throws. */
  getAiPerformanceSummary(): AiPerformanceSummary {
    try {
      return aiPerformanceSummary(this.#analyticsInput(), this.keyGenerator.getKeyGenerationStats());
    } catch (error) {
      return {
        totalOperations: 0, overallHitRate: 0, hitRateByOperation: {}, textTierDistribution: {}, optimizationRecommendations: [],
        error: error instanceof Error ? error.message : String(error),
      };
    }
  }

  /** Tier configuration, zero-filled distribution, per-tier performance and rankings, completeness. */
  getTextTierStatistics(): TextTierStatistics {
    return textTierStatistics(this.#analyticsInput());
  }

  /** Durations and percentiles per AI operation, with its configured TTL. */
  getOperationPerformance(): OperationPerformance {
    return operationPerformance(this.#analyticsInput());
  }

  /** A deep copy of the AI metrics. */
  getAiMetrics(): AiMetricsSnapshot {
    return this.#metrics.snapshot();
  }

  /** Smart promotion (when enabled): AI keys by tier and operation; other keys always. */
  protected override shouldPromote(key: string, remainingTtlMs: number): boolean {
    if (!this.enableSmartPromotion) return super.shouldPromote(key, remainingTtlMs);
    const operation = aiKeyOperation(key);
    if (operation === null) return true;
    return shouldPromoteToMemory(this.#tierOf(key), operation, this.#metrics.hits[operation] ?? 0);
  }

  #withOperationTtl(key: string, ttl: SetTtlArgument): SetTtlArgument {
    const operation = typeof key === 'string' ? aiKeyOperation(key) : null;
    if (operation === null) return ttl;
    if (ttl === undefined || ttl === null) return this.ttlForOperation(operation);
    // An options-object TTL argument (`{ ttl? }`) without a ttl gets the operation's TTL too.
    if (typeof ttl === 'object' && (ttl as { ttl?: unknown }).ttl == null) return { ...(ttl as object), ttl: this.ttlForOperation(operation) } as unknown as SetTtlArgument;
    return ttl;
  }

  #tierOf(key: string): TierLabel {
    const known = this.#tierOfKey.get(key);
    if (known !== undefined) return known;
    const text = parseAiKey(key)?.text;
    return text === null || text === undefined ? 'unknown' : tierOfLength(codePointLength(text), this.textSizeTiers);
  }

  #onGet(key: string, hit: boolean, durationMs: number): void {
    const operation = aiKeyOperation(key);
    if (operation === null) return;
    try {
      this.#metrics.recordGet(operation, this.#tierOf(key), hit, durationMs, this.#clock.now());
    } catch (error) {
      this.#metricFailure(error);
    }
  }

  #onSet(key: string, durationMs: number, bytes: number, ttl: number): void {
    const operation = aiKeyOperation(key);
    if (operation === null) return;
    try {
      this.#metrics.recordSet(operation, this.#tierOf(key), durationMs, this.#clock.now(), bytes, ttl);
    } catch (error) {
      this.#metricFailure(error);
    }
  }

  #metricFailure(error: unknown): void {
    this.#logger.warn(`AI metrics recording failed; the cache operation is unaffected (${error instanceof Error ? error.name : typeof error})`);
  }

  #safeMonitorStats(): unknown {
    try {
      return this.#monitorStats?.();
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }

  #analyticsInput(): AnalyticsInput {
    return {
      metrics: this.#metrics,
      tiers: this.textSizeTiers,
      l1: this.getStats().l1,
      ttlFor: (operation) => this.ttlForOperation(operation),
      monitorStats: this.#safeMonitorStats(),
    };
  }

  /** The AI additions to the `redis` section: AI key count (bounded scan), memory and clients. */
  async #redisSection(): Promise<Omit<AiCacheStats['redis'], keyof RedisCacheStatsReport['redis']>> {
    if (this.connectionState !== 'ready') return { keys: 0 };
    try {
      let keys = 0;
      let keysApproximate = false;
      for await (const _key of this.scanKeys(`${AI_NAMESPACE}*`)) {
        if (++keys >= KEY_SCAN_LIMIT) {
          keysApproximate = true;
          break;
        }
      }
      const [memory, clients] = await Promise.all([this.redisInfo('memory'), this.redisInfo('clients')]);
      if (memory === null || clients === null) return { keys: 0 };
      return { keys, keysApproximate, memoryUsed: humanBytes(sumField(memory, 'used_memory')), connectedClients: sumField(clients, 'connected_clients') };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }
}
