import {
  CacheError,
  ConfigurationError,
  ValidationError,
  defaultLogger,
  guardRecorderCall,
  logRecorderFailure,
  resolveTtlSeconds,
  systemClock,
  type CacheMetricsRecorder,
  type CacheStatsReport,
  type CacheStatsSource,
  type Clock,
  type Duration,
  type GetOrSetOptions,
  type Logger,
} from '@cache/core';
import { GenericRedisCache, type WriteOutcome } from '@cache/redis';
import { AIResponseCache } from '../ai/ai-response-cache.js';
import { assertPolicy, isNonDeterministic, TtlRules, type LlmCallPlan, type LlmCallPolicy, type LlmSkipReason, type LlmTtlRule } from './policy.js';
import { DEFAULT_LLM_OPERATION, LLM_KEY_NAMESPACE, LlmKeyBuilder, assertTenant, escapeKeySegment, type LlmKeyExplanation } from './request-key.js';
import type { LlmRequest, LlmResponse } from './request.js';
import { decodeEntry, encodeEntry, type CachedLlmEntry, type StoredEntry, type UsageFigures } from './response-codec.js';
import { SavingsLedger, validatePriceTable, type LlmPriceTable, type LlmSavingsFigures, type LlmSavingsReport } from './savings-ledger.js';
import { DEFAULT_ALLOWED_FINISH_REASONS, WRITE_REFUSALS, checkResponse, type LlmGuardResult, type LlmWriteRefusal } from './write-guards.js';

/** Options of {@link LlmRequestCache}. */
export interface LlmRequestCacheOptions {
  /** This cache's name in statistics and metrics (the `cache` label); default `'llm-request'`. */
  name?: string;
  /** Refuse every call without a tenant (`ValidationError` `TENANT_REQUIRED`); default true. `false` shares entries across callers (warned once). */
  requireTenant?: boolean;
  /** TTL (seconds, or a duration such as `'1h'`) when neither the call nor a rule says otherwise; default the storage cache's `defaultTtl`. */
  defaultTtl?: Duration;
  /** TTL per provider/model/operation; first match wins. */
  ttlRules?: readonly LlmTtlRule[];
  /** Provider options that enter the key (`<provider>.<option>`, `<provider>.*`, `*`); default `DEFAULT_PROVIDER_OPTION_KEYS`. */
  providerOptionKeys?: readonly string[];
  /** Finish reasons that may be stored; default `stop`, `tool-calls`, `length`. */
  allowedFinishReasons?: readonly string[];
  /** Largest stored entry (encoded JSON), bytes; default 1 MiB. */
  maxEntryBytes?: number;
  /** Store and serve `temperature > 0` calls without a seed; default false. */
  cacheNonDeterministic?: boolean;
  /** USD per million tokens by `<provider>:<modelId>` or `<modelId>`, for the savings ledger. */
  prices?: LlmPriceTable;
  /** Receives core's optional `recordLlmSavings` hook per hit, when the recorder has it. */
  performanceMonitor?: CacheMetricsRecorder;
  /** Default core's `defaultLogger`. */
  logger?: Logger;
  /** Wall clock for `storedAt`; default `systemClock`. */
  clock?: Clock;
}

/** Result of {@link LlmRequestCache.lookup}. */
export type LlmLookupResult =
  | { status: 'hit'; key: string; response: LlmResponse; storedAt: Date; usage: UsageFigures; latencyMs: number; saved: LlmSavingsFigures }
  | { status: 'miss'; key: string; computeOnMiss: boolean }
  | { status: 'skipped'; key: string; reason: LlmSkipReason };

/** Result of {@link LlmRequestCache.store}. */
export type LlmStoreResult =
  | { stored: true; key: string; outcome: Exclude<WriteOutcome, 'dropped'>; ttl: number }
  | { stored: false; key: string; reason: LlmWriteRefusal | 'dropped'; detail: string };

/** Options of {@link LlmRequestCache.store}: the policy plus the model's latency. */
export interface LlmStoreOptions extends LlmCallPolicy {
  /** How long the model took, ms (counted as time saved by each later hit); default 0. */
  latencyMs?: number;
}

/** Options of {@link LlmRequestCache.cachedCall}: the policy plus the storage cache's cross-process lease options. */
export interface LlmCallOptions extends LlmCallPolicy {
  /** Cross-process single flight (ms), passed to the storage cache's `getOrSet`. */
  lock?: GetOrSetOptions<unknown>['lock'];
}

/**
 * Result of {@link LlmRequestCache.cachedCall}: `model` (this call ran the model; `stored` says
 * whether the response was kept), `cache` (a stored entry served it, possibly one that another
 * caller stored while this one waited), or `coalesced` (this call waited for another caller's
 * model call whose response was not stored; `response` is that caller's object, do not mutate it).
 */
export type LlmCallResult =
  | { source: 'model'; key: string; response: LlmResponse; latencyMs: number; stored: boolean }
  | { source: 'cache'; key: string; response: LlmResponse; storedAt: Date; usage: UsageFigures; latencyMs: number; saved: LlmSavingsFigures }
  | { source: 'coalesced'; key: string; response: LlmResponse };

/** The call's policy is `only-if-cached` and nothing is stored for it (code `NOT_CACHED`). */
export class LlmNotCachedError extends CacheError {
  static override readonly defaultCode: string = 'NOT_CACHED';
}
// The name survives minification (core's lineage brand reads `errorName` before `name`).
Object.defineProperty(LlmNotCachedError, 'errorName', { value: 'LlmNotCachedError' });

/** What a `cachedCall` factory hands to other callers when its response may not be stored. */
const UNSTORED = Symbol('unstored LLM response');
interface Unstored {
  readonly [UNSTORED]: LlmResponse;
}

function isUnstored(value: unknown): value is Unstored {
  return typeof value === 'object' && value !== null && UNSTORED in value;
}

/** `getOrSet`'s `cacheIf` for every call: one function, not a closure per call. */
const storable = (value: unknown): boolean => !isUnstored(value);

/** `getOrSet` options of one `cachedCall` read-through (`cacheIf` keeps unstorable responses out). */
function readThroughOptions(plan: LlmCallPlan, forceRefresh: boolean, lock: LlmCallOptions['lock']): GetOrSetOptions<unknown> {
  return { ttl: plan.ttl, forceRefresh, cacheIf: storable, lock };
}

/** The model's own error, not the read-through wrapper (`FACTORY_ERROR`) around it. */
function modelError(error: unknown): unknown {
  return CacheError.isCacheError(error) && error.code === 'FACTORY_ERROR' && error.cause !== undefined ? error.cause : error;
}

/**
 * `LlmRequestCache.getCacheStats()`: the shared report shape (`cache`, `performance` over lookups)
 * plus the `llm` section (every counter and the savings total). The storage cache reports its own tiers.
 */
export interface LlmCacheStatsReport extends CacheStatsReport {
  llm: LlmCacheStats;
}

/** Counters since construction or `resetStats()`; `hitRate` = hits / (hits + misses), 0..1. */
export interface LlmCacheStats {
  lookups: number;
  hits: number;
  misses: number;
  skipped: Record<LlmSkipReason, number>;
  /** Entries that were found but were not a readable entry of this format (counted as misses too). */
  unreadable: number;
  stores: number;
  refused: Record<LlmWriteRefusal | 'dropped', number>;
  hitRate: number;
  savings: LlmSavingsFigures;
}

const MIB = 1024 * 1024;
/** The `kind` (and default `name`) of an `LlmRequestCache`. */
const LLM_REQUEST_CACHE_KIND = 'llm-request';

function zeroRefusals(): Record<LlmWriteRefusal | 'dropped', number> {
  return Object.fromEntries([...WRITE_REFUSALS, 'dropped'].map((r) => [r, 0])) as Record<LlmWriteRefusal | 'dropped', number>;
}

function bad(option: string, rule: string): ConfigurationError {
  return new ConfigurationError(`${option} ${rule}`, { code: 'INVALID_CONFIGURATION', context: { option } });
}

/**
 * The LLM request cache over a `GenericRedisCache` (any connection, security and encryption it
 * has): canonical versioned request keys in a tenant partition, a per-request policy, write guards
 * and a savings ledger. `lookup` serves a stored response (dates and binary parts as they were);
 * `store` keeps a response only when policy and guards allow. `plan` is the one place that turns a
 * request and its policy into key, read/write decisions and TTL, so a single-flight `cachedCall`
 * is a thin layer over the storage cache's `getOrSet`.
 */
export class LlmRequestCache implements CacheStatsSource {
  /** Where entries live. */
  readonly cache: GenericRedisCache;
  /** This cache's name in statistics and metrics (the `cache` label); default `'llm-request'`. */
  readonly name: string;
  /** Whether every call must name a tenant. */
  readonly requireTenant: boolean;
  /** TTL when neither the call nor a rule gives one, seconds. */
  readonly defaultTtl: number;
  readonly #keys: LlmKeyBuilder;
  readonly #rules: TtlRules;
  readonly #finishReasons: ReadonlySet<string>;
  readonly #maxEntryBytes: number;
  readonly #cacheNonDeterministic: boolean;
  readonly #ledger: SavingsLedger;
  readonly #monitor: CacheMetricsRecorder | undefined;
  readonly #logger: Logger;
  readonly #clock: Clock;
  #stats: Omit<LlmCacheStats, 'hitRate' | 'savings'>;

  /** Validates options (`ConfigurationError` `INVALID_CONFIGURATION`); does not connect. */
  constructor(cache: GenericRedisCache, options: LlmRequestCacheOptions = {}) {
    if (!(cache instanceof GenericRedisCache)) throw bad('cache', 'must be a GenericRedisCache');
    if (cache instanceof AIResponseCache) {
      throw bad('cache', 'must be a GenericRedisCache, not an AIResponseCache (its invalidatePattern only reaches ai_cache keys)');
    }
    this.cache = cache;
    const name = options.name ?? LLM_REQUEST_CACHE_KIND;
    if (typeof name !== 'string' || name.trim() === '') throw bad('name', 'must be a non-empty string');
    this.name = name;
    this.#logger = options.logger ?? defaultLogger;
    this.#clock = options.clock ?? systemClock;
    if (options.requireTenant !== undefined && typeof options.requireTenant !== 'boolean') throw bad('requireTenant', 'must be a boolean');
    this.requireTenant = options.requireTenant ?? true;
    if (!this.requireTenant) {
      this.#logger.warn('SECURITY WARNING: LlmRequestCache with requireTenant: false shares cached LLM responses between every caller that names no tenant');
    }
    try {
      this.defaultTtl = resolveTtlSeconds(options.defaultTtl, cache.defaultTtl);
    } catch {
      throw bad('defaultTtl', 'must be whole seconds from 1 to 31536000');
    }
    this.#keys = new LlmKeyBuilder(options.providerOptionKeys === undefined ? {} : { providerOptionKeys: options.providerOptionKeys });
    this.#rules = new TtlRules(options.ttlRules);
    const reasons = options.allowedFinishReasons ?? DEFAULT_ALLOWED_FINISH_REASONS;
    if (!Array.isArray(reasons) || !reasons.every((r) => typeof r === 'string' && r !== '')) throw bad('allowedFinishReasons', 'must be an array of finish reasons');
    this.#finishReasons = new Set(reasons);
    const max = options.maxEntryBytes ?? MIB;
    if (!Number.isInteger(max) || max < 1) throw bad('maxEntryBytes', 'must be a positive integer');
    this.#maxEntryBytes = max;
    if (options.cacheNonDeterministic !== undefined && typeof options.cacheNonDeterministic !== 'boolean') throw bad('cacheNonDeterministic', 'must be a boolean');
    this.#cacheNonDeterministic = options.cacheNonDeterministic ?? false;
    this.#ledger = new SavingsLedger(validatePriceTable(options.prices));
    this.#monitor = options.performanceMonitor;
    this.#stats = LlmRequestCache.#zeroStats();
  }

  /** Always `'llm-request'`: the `kind` of this cache in statistics. */
  get kind(): 'llm-request' {
    return LLM_REQUEST_CACHE_KIND;
  }

  static #zeroStats(): Omit<LlmCacheStats, 'hitRate' | 'savings'> {
    return { lookups: 0, hits: 0, misses: 0, skipped: { bypass: 0, refresh: 0, nondeterministic: 0 }, unreadable: 0, stores: 0, refused: zeroRefusals() };
  }

  /** The key of `request` in the policy's tenant and operation. */
  key(request: LlmRequest, policy: LlmCallPolicy = {}): string {
    this.#assertTenantPresent(policy.tenant);
    return this.#keys.key(request, policy);
  }

  /** The key and what went into it (field list, ignored paths, file digests); never prompt text. */
  explainKey(request: LlmRequest, policy: LlmCallPolicy = {}): LlmKeyExplanation {
    this.#assertTenantPresent(policy.tenant);
    return this.#keys.explain(request, policy);
  }

  /**
   * Key, read/write decisions and TTL for one call. TTL precedence: the call's `ttl`, the first
   * matching rule, `defaultTtl`. `temperature > 0` without a seed is neither read nor stored unless
   * the call or the cache opts in.
   */
  plan(request: LlmRequest, policy: LlmCallPolicy = {}): LlmCallPlan {
    const mode = assertPolicy(policy);
    this.#assertTenantPresent(policy.tenant);
    const key = this.#keys.key(request, policy);
    const operation = policy.operation ?? DEFAULT_LLM_OPERATION;
    const ttl = resolveTtlSeconds(policy.ttl, this.#rules.ttlFor(request.provider, request.modelId, operation) ?? this.defaultTtl);
    const nondeterministic = isNonDeterministic(request) && !(policy.allowNonDeterministic ?? this.#cacheNonDeterministic);
    const plan: LlmCallPlan = {
      key,
      mode,
      tenant: policy.tenant,
      operation,
      read: mode === 'default' || mode === 'no-store' || mode === 'only-if-cached',
      write: mode === 'default' || mode === 'refresh',
      computeOnMiss: mode !== 'only-if-cached',
      ttl,
      skipReason: mode === 'bypass' ? 'bypass' : mode === 'refresh' ? 'refresh' : undefined,
    };
    if (nondeterministic) {
      plan.read = false;
      plan.write = false;
      plan.skipReason = 'nondeterministic';
    }
    return plan;
  }

  /** The write guards alone (error, empty, finish reason, requested JSON schema); no size check, no I/O. */
  checkResponse(request: LlmRequest, response: LlmResponse): LlmGuardResult {
    return checkResponse(request, response, this.#finishReasons);
  }

  /**
   * Looks `request` up under its policy: `hit` (the stored response, exactly as stored, with its
   * usage; the savings are added to the ledger), `miss`, or `skipped` when the policy does not
   * read. An unreadable entry is a miss. Only invalid input rejects.
   */
  async lookup(request: LlmRequest, policy: LlmCallPolicy = {}): Promise<LlmLookupResult> {
    const plan = this.plan(request, policy);
    const s = this.#stats;
    if (!plan.read) {
      s.skipped[plan.skipReason as LlmSkipReason]++;
      return { status: 'skipped', key: plan.key, reason: plan.skipReason as LlmSkipReason };
    }
    s.lookups++;
    const stored = await this.cache.get<unknown>(plan.key);
    const entry = stored === null ? null : decodeEntry(stored);
    if (entry === null) {
      if (stored !== null) s.unreadable++;
      s.misses++;
      return { status: 'miss', key: plan.key, computeOnMiss: plan.computeOnMiss };
    }
    s.hits++;
    return { status: 'hit', key: plan.key, response: entry.response, storedAt: new Date(entry.storedAt), usage: entry.usage, latencyMs: entry.latencyMs, saved: this.#recordHit(request, plan, entry) };
  }

  /**
   * Stores `response` for `request` when the policy writes and every guard passes (size included);
   * otherwise resolves `{ stored: false, reason }` and stores nothing. Only invalid input rejects.
   */
  async store(request: LlmRequest, response: LlmResponse, options: LlmStoreOptions = {}): Promise<LlmStoreResult> {
    const plan = this.plan(request, options);
    const latencyMs = options.latencyMs ?? 0;
    if (typeof latencyMs !== 'number' || !Number.isFinite(latencyMs) || latencyMs < 0) {
      throw new ValidationError('latencyMs must be a non-negative number of milliseconds', { code: 'INVALID_POLICY', context: { field: 'latencyMs' } });
    }
    const prepared = this.#prepare(request, plan, response, latencyMs);
    if ('reason' in prepared) return this.#refuse(plan.key, prepared.reason, prepared.detail);
    const outcome = await this.cache.set(plan.key, prepared.entry, plan.ttl);
    if (outcome === 'dropped') return this.#refuse(plan.key, 'dropped', 'the storage cache could not keep the entry (Redis unavailable, no L1)');
    this.#stats.stores++;
    return { stored: true, key: plan.key, outcome, ttl: plan.ttl };
  }

  /**
   * Read-through with single flight: serves a stored response, or runs `compute` once for every
   * identical call in flight (in this process; across processes too when the storage cache holds a
   * lease, tuned by `lock`) and stores its response when the policy and the write guards allow.
   * `bypass` (and unseeded sampling) calls `compute` directly and never coalesces; `refresh` does
   * not read; `no-store` does not write; `only-if-cached` rejects with {@link LlmNotCachedError} on
   * a miss. A failing `compute` rejects with its own error and stores nothing.
   */
  async cachedCall(request: LlmRequest, compute: () => Promise<LlmResponse>, options: LlmCallOptions = {}): Promise<LlmCallResult> {
    const plan = this.plan(request, options);
    if (!plan.read && !plan.write) {
      this.#stats.skipped[plan.skipReason as LlmSkipReason]++;
      const started = performance.now();
      const response = await compute();
      return { source: 'model', key: plan.key, response, latencyMs: performance.now() - started, stored: false };
    }
    if (!plan.computeOnMiss) {
      const found = await this.lookup(request, options);
      if (found.status !== 'hit') throw new LlmNotCachedError('No stored response for this only-if-cached call', { code: 'NOT_CACHED', context: { key: plan.key } });
      return { source: 'cache', key: found.key, response: found.response, storedAt: found.storedAt, usage: found.usage, latencyMs: found.latencyMs, saved: found.saved };
    }
    if (!plan.read) this.#stats.skipped[plan.skipReason as LlmSkipReason]++;
    let own: { response: LlmResponse; latencyMs: number; stored: boolean } | undefined;
    let countMiss = plan.read;
    const factory = async (): Promise<unknown> => {
      if (countMiss) {
        // Counted when the model call starts, so the counters are current while it runs.
        this.#stats.lookups++;
        this.#stats.misses++;
      }
      const started = performance.now();
      const response = await compute();
      const latencyMs = performance.now() - started;
      own = { response, latencyMs, stored: false };
      if (!plan.write) return { [UNSTORED]: response };
      const prepared = this.#prepare(request, plan, response, latencyMs);
      if ('reason' in prepared) {
        this.#refuse(plan.key, prepared.reason, prepared.detail);
        return { [UNSTORED]: response };
      }
      own.stored = true;
      this.#stats.stores++;
      return prepared.entry;
    };
    // Awaited here, not in a wrapper: a hit pays no extra async frame or promise.
    let value: unknown;
    try {
      value = await this.cache.getOrSet<unknown>(plan.key, factory, readThroughOptions(plan, !plan.read, options.lock));
    } catch (error) {
      throw modelError(error);
    }
    // Decoded once: decoding rewrites the freshly read value in place, so it must never run twice on it.
    let entry = own === undefined && !isUnstored(value) ? decodeEntry(value) : null;
    if (own === undefined && !isUnstored(value) && entry === null) {
      this.#stats.lookups++;
      this.#stats.unreadable++;
      this.#stats.misses++;
      countMiss = false;
      try {
        value = await this.cache.getOrSet<unknown>(plan.key, factory, readThroughOptions(plan, true, options.lock));
      } catch (error) {
        throw modelError(error);
      }
      entry = own === undefined && !isUnstored(value) ? decodeEntry(value) : null;
    }
    if (own !== undefined) return { source: 'model', key: plan.key, ...own };
    if (isUnstored(value)) return { source: 'coalesced', key: plan.key, response: value[UNSTORED] };
    if (entry === null) {
      // A refresh that was itself served an unreadable entry (another process's): answer from the model, store nothing.
      const started = performance.now();
      const response = await compute();
      return { source: 'model', key: plan.key, response, latencyMs: performance.now() - started, stored: false };
    }
    this.#stats.lookups++;
    this.#stats.hits++;
    return { source: 'cache', key: plan.key, response: entry.response, storedAt: new Date(entry.storedAt), usage: entry.usage, latencyMs: entry.latencyMs, saved: this.#recordHit(request, plan, entry) };
  }

  /**
   * Removes stored responses by namespace: any combination of tenant, operation, provider and
   * model id (omitted = any); `{}` removes every LLM entry of every key version. Resolves the count.
   */
  invalidate(scope: { tenant?: string; operation?: string; provider?: string; modelId?: string } = {}): Promise<number> {
    assertTenant(scope.tenant);
    const segment = (value: string | undefined, name: string): string => {
      if (value === undefined) return '*';
      if (typeof value !== 'string' || value === '') throw new ValidationError(`${name} must be a non-empty string`, { code: 'INVALID_SCOPE', context: { field: name } });
      return escapeKeySegment(value);
    };
    const tenant = scope.tenant === undefined ? '*' : `tenant=${scope.tenant}`;
    const glob = `${LLM_KEY_NAMESPACE}:v*:${tenant}:${segment(scope.operation, 'operation')}:${segment(scope.provider, 'provider')}:${segment(scope.modelId, 'modelId')}:*`;
    return this.cache.invalidatePattern(glob, 'llm_invalidate');
  }

  /** Counters and the savings total since construction or `resetStats()`. */
  getStats(): LlmCacheStats {
    const s = this.#stats;
    const reads = s.hits + s.misses;
    return {
      ...s,
      skipped: { ...s.skipped },
      refused: { ...s.refused },
      hitRate: reads === 0 ? 0 : s.hits / reads,
      savings: this.#ledger.report().total,
    };
  }

  /**
   * The shared statistics report: `cache` (name, kind `'llm-request'`), `performance` (0..1
   * `hitRate` over lookups) and `llm` (every counter and the savings total). Never rejects.
   */
  getCacheStats(): Promise<LlmCacheStatsReport> {
    const llm = this.getStats();
    return Promise.resolve({
      cache: { name: this.name, kind: this.kind },
      performance: { hitRate: llm.hitRate, hits: llm.hits, misses: llm.misses, totalOperations: llm.hits + llm.misses },
      llm,
    });
  }

  /** What hits saved: tokens, cost and model time, in total, by model, by operation and by both. */
  getSavings(): LlmSavingsReport {
    return this.#ledger.report();
  }

  /** Zeroes the counters and the ledger. */
  resetStats(): void {
    this.#stats = LlmRequestCache.#zeroStats();
    this.#ledger.reset();
  }

  #assertTenantPresent(tenant: string | undefined): void {
    if (tenant === undefined && this.requireTenant) {
      throw new ValidationError('This LlmRequestCache requires a tenant on every call (requireTenant: true); pass { tenant }', {
        code: 'TENANT_REQUIRED',
        context: { field: 'tenant' },
      });
    }
  }

  /** Write guards, encoding and size check of one response. */
  #prepare(request: LlmRequest, plan: LlmCallPlan, response: LlmResponse, latencyMs: number): { entry: StoredEntry } | { reason: LlmWriteRefusal; detail: string } {
    if (!plan.write) return { reason: 'policy', detail: `mode ${plan.mode}${plan.skipReason === 'nondeterministic' ? ' with a sampled (temperature > 0, no seed) request' : ''} does not store` };
    const guard = this.checkResponse(request, response);
    if (!guard.ok) return guard;
    let entry: StoredEntry;
    try {
      entry = encodeEntry(response, latencyMs, this.#clock.now());
    } catch (error) {
      return { reason: 'unstorable', detail: error instanceof Error ? error.message : String(error) };
    }
    const bytes = Buffer.byteLength(JSON.stringify(entry), 'utf8');
    if (bytes > this.#maxEntryBytes) return { reason: 'too_large', detail: `entry of ${bytes} bytes exceeds maxEntryBytes ${this.#maxEntryBytes}` };
    return { entry };
  }

  #refuse(key: string, reason: LlmWriteRefusal | 'dropped', detail: string): LlmStoreResult {
    this.#stats.refused[reason]++;
    return { stored: false, key, reason, detail };
  }

  #recordHit(request: LlmRequest, plan: LlmCallPlan, entry: CachedLlmEntry): LlmSavingsFigures {
    const saved = this.#ledger.recordHit(request.provider, request.modelId, plan.operation, entry.usage, entry.latencyMs);
    const hook = this.#monitor?.recordLlmSavings;
    if (hook) {
      try {
        guardRecorderCall(
          hook.call(this.#monitor, this.cache.name, `${request.provider}:${request.modelId}`, plan.operation, saved.inputTokens, saved.outputTokens, saved.cachedInputTokens, saved.costUsd, saved.modelTimeMs),
          this.#logger,
        );
      } catch (error) {
        logRecorderFailure(this.#logger, error);
      }
    }
    return saved;
  }
}
