import {
  CacheInterface,
  ConfigurationError,
  assertSetManyEntries,
  assertValidKeys,
  cacheTracingChannel,
  redactUrl,
  traceCacheOperation,
  type Duration,
  type Factory,
  type GetOrSetOptions,
  type PatternInvalidation,
  type SetManyEntry,
  type SetOptions,
  type TagInvalidation,
} from '@cache/core';
import type { EncryptedCacheLayer } from '@cache/encryption';
import type {
  RedisCacheSecurityManager,
  RedisLikeClient,
  SecurityStatus,
  SecurityTestResult,
  SecurityValidationResult,
} from '@cache/security';
import { assembleCache } from './assemble.js';
import { assertRedisKey, type CacheParts } from './cache-parts.js';
import type { ConnectionState } from './connection-state.js';
import type { CacheEventMap } from './events.js';
import type { InvalidationEngine, InvalidateMatchingOptions } from './invalidation-engine.js';
import type { L1CoherenceMode, L1CoherenceStatus } from './l1-coherence.js';
import type { WriteOutcome } from './operation-report.js';
import { resolveOptions, type GenericRedisCacheOptions, type ResolvedOptions } from './options.js';
import type { ReadPath } from './read-path.js';
import type { RedisReadThrough } from './read-through.js';
import { classifyRedisError, problemToError } from './redis-errors.js';
import { masterNodes } from './scan-unlink.js';
import { createSecurity } from './security-setup.js';
import { assertTagsAllowed, invalidateTags } from './tags.js';
import type { RedisCacheStats, RedisCacheStatsReport } from './stats.js';
import type { WritePath } from './write-path.js';

const traced = {
  get: cacheTracingChannel('get'),
  set: cacheTracingChannel('set'),
  delete: cacheTracingChannel('delete'),
  getOrSet: cacheTracingChannel('getOrSet'),
  getMany: cacheTracingChannel('getMany'),
  setMany: cacheTracingChannel('setMany'),
};
const hitOutcome = (result: unknown, context: { hit?: boolean }): void => {
  context.hit = result !== null;
};
const hitsOutcome = (result: ReadonlyArray<unknown>, context: { hits?: number }): void => {
  context.hits = result.filter((value) => value !== null).length;
};

/**
 * Options of {@link GenericRedisCache.createSecure}: every constructor option except
 * `securityConfig`, which is always read from the environment (`env`, default `process.env`).
 */
export type SecureCacheOptions = Omit<GenericRedisCacheOptions, 'securityConfig'>;

/**
 * Two-tier cache: a private `InMemoryCache` L1 in front of Redis (standalone or Cluster) with
 * mandatory security and value encryption, the versioned wire format of `ValueEnvelope`, SCAN-based
 * invalidation on every master, and degradation that never loses a write silently: `set` resolves
 * `'stored' | 'l1_only' | 'dropped'`; a delete, invalidation or write Redis did not take stays
 * pending — its keys are misses in Redis for this instance — until Redis applies it (in the
 * background while connected, and before every `ready`). Each call is bounded by one command budget.
 */
export class GenericRedisCache extends CacheInterface implements PatternInvalidation, TagInvalidation {
  /** The Redis URL with its password redacted (core `redactUrl`), or undefined for a cluster/caller-owned client. */
  readonly redisUrl: string | undefined;
  /** This cache's name in statistics and metrics (default `'redis'`). */
  readonly name: string;
  /** Physical key namespace (empty, or ending with `:`). */
  readonly keyPrefix: string;
  /** Default TTL, seconds. */
  readonly defaultTtl: number;
  /** Whether the L1 tier was requested. */
  readonly enableL1Cache: boolean;
  /** L1 capacity in entries (0 = none). */
  readonly l1CacheSize: number;
  /** Codec output size above which compression is tried, bytes. */
  readonly compressionThreshold: number;
  /** zlib level. */
  readonly compressionLevel: number;

  readonly #o: ResolvedOptions;
  readonly #security: RedisCacheSecurityManager;
  readonly #encryption: EncryptedCacheLayer;
  readonly #parts: CacheParts;
  readonly #engine: InvalidationEngine;
  readonly #read: ReadPath;
  readonly #write: WritePath;
  readonly #readThrough: RedisReadThrough;
  #startup: Promise<unknown> | null = null;

  /** Validates options and sets up security and encryption; never connects (state `idle`). */
  constructor(options: GenericRedisCacheOptions) {
    super();
    const o = resolveOptions(options);
    this.#o = o;
    const security = createSecurity(o);
    this.#security = security.manager;
    this.#encryption = security.encryption;
    this.redisUrl = o.target.kind === 'url' ? redactUrl(o.target.url) : undefined;
    this.name = o.name;
    this.keyPrefix = o.keyPrefix;
    this.defaultTtl = o.defaultTtl;
    this.enableL1Cache = o.enableL1Cache;
    this.l1CacheSize = o.l1CacheSize;
    this.compressionThreshold = o.compressionThreshold;
    this.compressionLevel = o.compressionLevel;
    const cache = assembleCache(o, {
      security: this.#security,
      encryption: this.#encryption,
      clockInjected: options.clock !== undefined,
      startupGate: () => this.#startupGate(),
      shouldPromote: (key, remainingMs) => this.shouldPromote(key, remainingMs),
    });
    this.#parts = cache.parts;
    this.#engine = cache.engine;
    this.#read = cache.read;
    this.#write = cache.write;
    this.#readThrough = cache.readThrough;
  }

  /**
   * A cache with the strict defaults, configured from the environment: security from the one
   * strict reader of `@cache/security` (`createSecurityConfigFromEnv`: TLS and certificate
   * verification on whatever `NODE_ENV` says, `REDIS_TLS_CA_PATH` and credentials honoured, no
   * invented certificate paths), encryption from `REDIS_ENCRYPTION_KEY`, and — unless `redisUrl`,
   * `cluster`, `sentinel` or `client` is given — the URL `env.REDIS_URL ?? 'rediss://localhost:6380'`.
   * Every other constructor option is accepted.
   */
  static createSecure(options: SecureCacheOptions = {}): GenericRedisCache {
    if (typeof options !== 'object' || options === null || 'securityConfig' in options) {
      throw new ConfigurationError(
        'createSecure(options) takes the constructor options except securityConfig, which it reads from the environment; pass securityConfig to new GenericRedisCache() instead',
        { code: 'INVALID_CONFIGURATION', context: { option: 'securityConfig' } },
      );
    }
    const env = options.env ?? process.env;
    const hasTarget = options.redisUrl !== undefined || options.cluster !== undefined || options.sentinel !== undefined || options.client !== undefined;
    return new GenericRedisCache({ ...options, ...(hasTarget ? {} : { redisUrl: env.REDIS_URL ?? 'rediss://localhost:6380' }) });
  }

  /** Current connection state; anything but `ready` means degraded mode. */
  get connectionState(): ConnectionState {
    return this.#parts.conn.state;
  }

  /**
   * Connects (single-flight, idempotent): true once ready — after one attempt at every pending
   * invalidation — false on failure or after the connect timeout (the client keeps retrying in the
   * background). Rejects with `InfrastructureError` only when `failOnConnectionError` is set.
   */
  connect(): Promise<boolean> {
    return this.#parts.conn.connect();
  }

  /**
   * Finishes pending work before a shutdown, within `timeoutMs` (default no bound): waits for the
   * `getOrSet` factory calls still running (background refreshes included) to store their values,
   * then, when connected, makes one attempt at every invalidation Redis has not applied yet.
   * True when nothing is left running or pending; the cache stays connected. Never rejects.
   */
  async drain(timeoutMs?: number): Promise<boolean> {
    const deadline = timeoutMs === undefined ? undefined : performance.now() + timeoutMs;
    if (!(await this.#readThrough.engine.idle(timeoutMs))) return false;
    const flushed = this.#engine.flush().then(
      () => true,
      () => false,
    );
    const left = deadline === undefined ? undefined : Math.max(0, deadline - performance.now());
    let timer: NodeJS.Timeout | undefined;
    const finished =
      left === undefined
        ? await flushed
        : await Promise.race([flushed, new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), left)))]).finally(() => clearTimeout(timer));
    return finished && this.#parts.ledger.size === 0;
  }

  /**
   * Quits the connection (a caller-owned client is only detached); state `closed`; never throws.
   * Bounded by one command budget, also with a dead or hung server, and leaves no socket or timer
   * behind: the process can exit as soon as it resolves. Pending invalidations are kept for the next `connect()`.
   */
  async disconnect(): Promise<void> {
    this.#engine.stop();
    this.#readThrough.lease.close();
    this.#parts.coherence?.stop();
    await this.#parts.conn.disconnect();
  }

  /**
   * Resolves the value (fresh copy) or `null` for a miss of any kind — including a key whose
   * invalidation Redis has not applied yet, a value past its hard expiry, and one past its fresh time
   * (kept only for a `getOrSet` grace period); rejects only for an invalid key.
   */
  get<T = unknown>(key: string): Promise<T | null> {
    if (traced.get.hasSubscribers) return traceCacheOperation('get', this, key, () => this.#read.get<T>(key), hitOutcome);
    return this.#read.get<T>(key);
  }

  /** Always `'redis'`: the `kind` of this cache in statistics and traces. */
  get kind(): 'redis' {
    return 'redis';
  }

  /**
   * Resolves the values of `keys` in order (`null` for each miss), each exactly as `get` (L1 first,
   * fencing, promotion, counters); the L1 misses are read with one `MGET` (one per hash slot on a
   * cluster). An invalid key rejects with `ValidationError` before any lookup. Traced on `@cache:getMany`.
   */
  override getMany<T = unknown>(keys: readonly string[]): Promise<Array<T | null>> {
    const run = (): Promise<Array<T | null>> => {
      assertValidKeys(keys);
      for (const key of keys) assertRedisKey(key);
      return this.#read.getMany<T>(keys);
    };
    if (traced.getMany.hasSubscribers) return traceCacheOperation('getMany', this, keys, async () => run(), hitsOutcome);
    return Promise.resolve().then(run);
  }

  /**
   * Stores every entry exactly as `set` and resolves `set`'s outcomes in order; every key, value
   * and TTL is validated before anything is written, and the SETs of one call leave in one socket
   * write. A later entry for the same key wins. Traced on `@cache:setMany`.
   */
  override setMany(entries: readonly SetManyEntry[]): Promise<WriteOutcome[]> {
    const run = (): Promise<WriteOutcome[]> => {
      assertSetManyEntries(entries);
      for (const entry of entries) assertRedisKey(entry.key);
      return Promise.all(entries.map((entry) => this.#write.set(entry.key, entry.value, entry.ttl)));
    };
    if (traced.setMany.hasSubscribers) return traceCacheOperation('setMany', this, entries, async () => run());
    return Promise.resolve().then(run);
  }

  /**
   * Stores `value` for `ttl` (seconds, a duration string such as `'10m'`, or `SetOptions`; default
   * `defaultTtl`) in Redis and L1. Resolves `'stored'`,
   * `'l1_only'` (Redis unavailable or refusing; Redis' older copy is then invalidated as soon as it
   * allows) or `'dropped'` (no L1 either). Rejects only for an invalid key, value or TTL.
   */
  set(key: string, value: unknown, ttl?: Duration | SetOptions | null): Promise<WriteOutcome> {
    if (traced.set.hasSubscribers) return traceCacheOperation('set', this, key, () => this.#write.set(key, value, ttl));
    return this.#write.set(key, value, ttl);
  }

  /**
   * Removes `key` from both tiers; resolves true if it existed in either. When Redis does not take
   * the UNLINK, the key stays a miss for this instance until Redis applies it.
   */
  delete(key: string): Promise<boolean> {
    if (traced.delete.hasSubscribers) return traceCacheOperation('delete', this, key, () => this.#write.delete(key));
    return this.#write.delete(key);
  }

  /** True when `key` is live in L1 (recency untouched) or exists in Redis without a pending invalidation here; else false. */
  exists(key: string): Promise<boolean> {
    return this.#read.exists(key);
  }

  /**
   * Read-through (see `CacheInterface.getOrSet`): one factory call per key in this process, and —
   * through a lease in Redis — across processes: the leader's value is stored with a fenced write,
   * the other processes' flights wait for it (woken by pub/sub, else polling) up to `lock.wait`
   * (default 10 s), then compute themselves. The lease lives `lock.ttl` (default 5 s) and is renewed
   * while the factory runs. With `grace`, the value stays in Redis that many seconds past its TTL and
   * is served only when a refresh fails or times out; `get` never returns it. With Redis unavailable,
   * coalescing is in-process only (counted as `leaseUnavailable`). Counters: `getStats().readThrough`.
   */
  getOrSet<T>(key: string, factory: Factory<T>, options?: GetOrSetOptions<T>): Promise<T> {
    try {
      // Without a lookup (which checks Redis' key size limit), check it before any lease or factory call.
      if (options?.forceRefresh === true) assertRedisKey(key);
      // Tags need a key prefix: refuse before the factory runs, not after.
      if (options?.tags !== undefined && options.tags.length > 0) assertTagsAllowed(this.#parts.keyPrefix, 'getOrSet() with tags');
    } catch (error) {
      return Promise.reject(error);
    }
    if (traced.getOrSet.hasSubscribers) return traceCacheOperation('getOrSet', this, key, () => this.#readThrough.engine.getOrSet(key, factory, options));
    return this.#readThrough.engine.getOrSet(key, factory, options);
  }

  /**
   * Whole seconds the value stays fresh when ready (at most Redis' `TTL`, never counting a `getOrSet`
   * grace period), else L1's remaining time; `null` when absent, no longer fresh or undecodable.
   */
  getTtl(key: string): Promise<number | null> {
    return this.#read.getTtl(key);
  }

  /**
   * Removes every logical key matching the Redis glob `pattern` (`''` = all) from L1 and from
   * every Redis master (SCAN + UNLINK). Resolves the distinct count removed. With Redis
   * unavailable or failing transiently, only L1 is changed now and the rest is applied later (its
   * keys are misses here meanwhile); refused by Redis' ACL or a read-only replica, it rejects with
   * a `ConfigurationError` that says how to fix it.
   */
  invalidatePattern(pattern: string, operationContext = ''): Promise<number> {
    return this.invalidateMatching(pattern, { type: 'manual', context: operationContext });
  }

  /**
   * Removes every entry written with at least one of `tags` (`set(key, value, { tags })`,
   * `getOrSet(..., { tags })`) from L1 and Redis; every other instance drops them from its L1
   * through L1 coherence. Resolves the distinct count removed. Requires a non-empty `keyPrefix`;
   * invalid tags reject with `ValidationError` `INVALID_TAGS`; with Redis unavailable or failing,
   * only L1 is invalidated and the call rejects with a typed error (retry it).
   */
  invalidateTags(tags: readonly string[]): Promise<number> {
    return invalidateTags(this.#parts, tags);
  }

  /**
   * Yields the logical keys in Redis matching `pattern` (all masters; nothing when not ready;
   * keys with a pending invalidation here left out). A failing command rejects with a typed `CacheError`.
   */
  scanKeys(pattern: string): AsyncIterable<string> {
    return this.#read.scanKeys(pattern);
  }

  /**
   * Empties L1 and the cache's namespace in Redis; requires a non-empty `keyPrefix`. With
   * `clear: 'scan'` (default) it removes `keyPrefix*` as {@link invalidatePattern} does and resolves
   * the distinct count removed; with `clear: 'generation'` it is one `INCR` of the namespace
   * generation (every instance moves to fresh keys; the old ones expire by their TTL) and resolves
   * the number of L1 entries dropped.
   */
  async clear(operationContext = 'clear'): Promise<number> {
    if (this.keyPrefix === '') {
      throw new ConfigurationError(
        'clear() requires a non-empty keyPrefix: clearing an unprefixed database would delete data that is not this cache\'s',
        { code: 'KEY_PREFIX_REQUIRED', context: { option: 'keyPrefix' } },
      );
    }
    return this.invalidateMatching('', { type: 'clear', context: operationContext });
  }

  /** Adds a listener; returns its unsubscribe function. Unknown events or non-functions → `ValidationError`. */
  on<E extends keyof CacheEventMap>(event: E, listener: CacheEventMap[E]): () => void {
    return this.#parts.events.on(event, listener);
  }

  /** Removes a listener. */
  off<E extends keyof CacheEventMap>(event: E, listener: CacheEventMap[E]): void {
    this.#parts.events.off(event, listener);
  }

  /** Alias of {@link on} (kept for parity with the original API). */
  registerCallback<E extends keyof CacheEventMap>(event: E, listener: CacheEventMap[E]): void {
    this.#parts.events.on(event, listener);
  }

  /**
   * Counters since construction or `resetStats()`, synchronously, with `hitRate` a ratio 0..1.
   * Invariants: `gets = hitsL1 + hitsRedis + misses`, `sets = setsRedis + setsL1Only + setsDropped`.
   */
  getStats(): RedisCacheStats {
    const { stats: collector, conn, ledger, l1 } = this.#parts;
    const c = collector.counters;
    const stats: RedisCacheStats = {
      name: this.name,
      connectionState: conn.state,
      ...c,
      hitRate: c.gets === 0 ? 0 : (c.hitsL1 + c.hitsRedis) / c.gets,
      pendingInvalidations: ledger.size,
      quarantinedInvalidations: ledger.quarantined,
      l1: { enabled: l1 !== null, size: l1?.size() ?? 0, maxSize: l1 ? this.l1CacheSize : 0 },
      l1Coherence: this.l1CoherenceStatus(),
      recentAvgOperationMs: collector.recentAverage(),
      readThrough: { ...this.#readThrough.engine.counters },
    };
    const lastError = conn.lastError;
    if (lastError !== undefined) stats.lastConnectionError = lastError;
    return stats;
  }

  /**
   * The shared statistics report: `cache` (name, kind `'redis'`), `performance` (0..1 `hitRate`
   * over lookups), `memory` (the L1 tier, only when it exists) and `redis` (state, pending
   * invalidations, and `used_memory` of every master when ready). Never rejects; one command budget.
   */
  async getCacheStats(): Promise<RedisCacheStatsReport> {
    const { stats, conn, ledger, l1 } = this.#parts;
    const c = stats.counters;
    const hits = c.hitsL1 + c.hitsRedis;
    const lookups = hits + c.misses;
    const report: RedisCacheStatsReport = {
      cache: { name: this.name, kind: 'redis' },
      performance: { hitRate: lookups === 0 ? 0 : hits / lookups, hits, misses: c.misses, totalOperations: lookups },
      redis: { status: conn.state, pendingInvalidations: ledger.size, quarantinedInvalidations: ledger.quarantined },
    };
    if (l1) {
      report.memory = { entries: l1.size(), maxEntries: this.l1CacheSize, bytes: l1.getStats().memoryUsageBytes, coherence: this.l1CoherenceStatus() };
    }
    const usedMemoryBytes = await this.redisInfo('memory').then(
      (infos) => (infos === null ? undefined : infos.reduce((sum, text) => sum + Number(/^used_memory:(\d+)/m.exec(text)?.[1] ?? 0), 0)),
      () => undefined,
    );
    if (usedMemoryBytes !== undefined) report.redis.usedMemoryBytes = usedMemoryBytes;
    return report;
  }

  /** Zeroes every counter (connection state and pending invalidations are unaffected). */
  resetStats(): void {
    this.#parts.stats.reset();
    this.#readThrough.engine.reset();
  }

  /** The security manager's validation of the live connection, or `null` unless ready. */
  async validateSecurity(): Promise<SecurityValidationResult | null> {
    const client = this.#parts.conn.readyClient;
    if (!client) return null;
    return this.#security.validateConnectionSecurity(client as unknown as RedisLikeClient);
  }

  /** The manager's status with `tlsEnabled` taken from the live connection and `valuesEncrypted` added. */
  getSecurityStatus(): SecurityStatus & { valuesEncrypted: boolean; l1Coherence: L1CoherenceMode } {
    const status = this.#security.getSecurityStatus();
    const conn = this.#parts.conn;
    const tlsEnabled = conn.client ? conn.tlsActive : status.configuration.tlsEnabled;
    return {
      ...status,
      configuration: { ...status.configuration, tlsEnabled },
      valuesEncrypted: this.#encryption.isEnabled,
      l1Coherence: this.#parts.coherence?.mode ?? 'off',
    };
  }

  /**
   * How L1 stays coherent with the other instances: the active mode (`tracking`, `pubsub` after an
   * ACL refusal, `off`), whether L1 is trusted right now, and notification counters.
   */
  l1CoherenceStatus(): L1CoherenceStatus {
    return (
      this.#parts.coherence?.status() ?? { mode: 'off', trusted: false, connections: 0, confirmed: 0, keysInvalidated: 0, flushes: 0 }
    );
  }

  /** The manager's recommendations. */
  getSecurityRecommendations(): string[] {
    return this.#security.getSecurityRecommendations();
  }

  /** Validates the live connection when ready, then returns the manager's report. */
  async generateSecurityReport(): Promise<string> {
    const validation = await this.validateSecurity();
    return validation ? this.#security.generateSecurityReport(validation) : this.#security.generateSecurityReport();
  }

  /** The manager's end-to-end test against this cache's URL (or first cluster node); never rejects. */
  testSecurityConfiguration(): Promise<SecurityTestResult> {
    const target = this.#o.target;
    if (target.kind === 'url') return this.#security.testSecurityConfiguration(target.url);
    if (target.kind === 'cluster') {
      const first = target.nodes[0];
      const node = typeof first === 'string' ? first : `${first?.host ?? 'localhost'}:${first?.port ?? 6379}`;
      return this.#security.testSecurityConfiguration(`redis://${node}`);
    }
    return this.#security.testSecurityConfiguration();
  }

  /** Whether a Redis hit may be copied into L1 (hook; default true). `remainingTtlMs` is what Redis and the envelope still allow. */
  protected shouldPromote(key: string, remainingTtlMs: number): boolean {
    void key;
    void remainingTtlMs;
    return true;
  }

  /**
   * The invalidation engine behind `invalidatePattern` and `clear`, for subclasses: a logical-key
   * glob with the given event type and context, without `clear()`'s prefix requirement.
   */
  protected invalidateMatching(pattern: string, o: InvalidateMatchingOptions): Promise<number> {
    return this.#engine.invalidateMatching(pattern, o);
  }

  /**
   * Raw `INFO <section>` text of every master (one entry for a single node); `null` unless ready.
   * A failing command rejects with a typed `CacheError`.
   */
  protected async redisInfo(section: string): Promise<string[] | null> {
    const client = this.#parts.conn.readyClient;
    if (!client) return null;
    try {
      return await Promise.all(masterNodes(client).map((node) => node.info(section)));
    } catch (error) {
      throw problemToError(classifyRedisError(error, 'INFO', this.#parts.conn.commandTimeoutMs), `redisInfo(${JSON.stringify(section)})`);
    }
  }

  #startupGate(): Promise<unknown> | null {
    const conn = this.#parts.conn;
    if (conn.state === 'idle' && this.#startup === null) {
      this.#startup = conn
        .connect()
        .catch(() => false)
        .finally(() => {
          this.#startup = null;
        });
    }
    return this.#startup;
  }
}
