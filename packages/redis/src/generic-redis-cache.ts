import {
  CacheInterface,
  ConfigurationError,
  InfrastructureError,
  ValidationError,
  assertStorableValue,
  assertValidKey,
  compileGlob,
  escapeGlob,
  keyFingerprint,
  redactUrl,
  resolveTtlSeconds,
  type Duration,
  type Factory,
  type GetOrSetOptions,
  type PatternInvalidation,
  type SetOptions,
} from '@cache/core';
import type { EncryptedCacheLayer } from '@cache/encryption';
import { InMemoryCache } from '@cache/memory';
import type {
  RedisCacheSecurityManager,
  RedisLikeClient,
  SecurityStatus,
  SecurityTestResult,
  SecurityValidationResult,
} from '@cache/security';
import { RedisConnection } from './connection.js';
import type { ConnectionState } from './connection-state.js';
import { EventHub, type CacheEventMap, type GetMissReason, type InvalidationType } from './events.js';
import { KeyCoordinator } from './key-coordinator.js';
import { MetricsReporter, type OperationTier } from './metrics-reporter.js';
import { resolveOptions, type GenericRedisCacheOptions, type ResolvedOptions } from './options.js';
import { createRedisReadThrough } from './read-through.js';
import { ReplayQueue, type PendingInvalidation } from './replay-queue.js';
import { masterNodes, scanAndUnlink, scanMatching, type RedisClient } from './scan-unlink.js';
import { createSecurityManager, resolveEncryption } from './security-setup.js';
import { StatsCollector, type RedisCacheStats } from './stats.js';
import { assertValueSize } from './value-size.js';
import { decodeEnvelope, encodeCodecBytes, type EncodedValue, type WireFormatConfig } from './wire-format.js';

/** What a `set` achieved (R19): durable in Redis, only in L1, or nowhere. */
export type WriteOutcome = 'stored' | 'l1_only' | 'dropped';

/** Options of the protected invalidation engine (R38). */
export interface InvalidateMatchingOptions {
  type: InvalidationType;
  context: string;
  /** Merged into the recorder's `extra` (R33). */
  extra?: Readonly<Record<string, unknown>>;
}

const MAX_KEY_BYTES = 8192;
const MIN_PROMOTION_MS = 1000;

/**
 * Two-tier cache: a private `InMemoryCache` L1 in front of Redis (standalone or Cluster) with
 * mandatory security and value encryption, the versioned wire format of `ValueEnvelope`, SCAN-based
 * invalidation on every master, and degradation that never loses a write silently: `set` resolves
 * `'stored' | 'l1_only' | 'dropped'`, and deletes/invalidations made during an outage are replayed
 * before the cache reports `ready`. Only invalid arguments reject.
 */
export class GenericRedisCache extends CacheInterface implements PatternInvalidation {
  /** The Redis URL with its password redacted (core `redactUrl`), or undefined for a cluster/caller-owned client. */
  readonly redisUrl: string | undefined;
  /** Physical key namespace. */
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
  readonly #wire: WireFormatConfig;
  readonly #l1: InMemoryCache | null;
  readonly #l1MaxTtl: number;
  readonly #conn: RedisConnection;
  readonly #stats = new StatsCollector();
  readonly #events: EventHub;
  readonly #metrics: MetricsReporter;
  readonly #queue: ReplayQueue;
  readonly #keys = new KeyCoordinator();
  readonly #readThrough = createRedisReadThrough(this);
  #startup: Promise<unknown> | null = null;

  /** Validates options and sets up security and encryption; never connects (state `idle`). */
  constructor(options: GenericRedisCacheOptions) {
    super();
    const o = resolveOptions(options);
    this.#o = o;
    this.#security = createSecurityManager(o);
    this.#encryption = resolveEncryption(o, this.#security.config);
    this.redisUrl = o.target.kind === 'url' ? redactUrl(o.target.url) : undefined;
    this.keyPrefix = o.keyPrefix;
    this.defaultTtl = o.defaultTtl;
    this.enableL1Cache = o.enableL1Cache;
    this.l1CacheSize = o.l1CacheSize;
    this.compressionThreshold = o.compressionThreshold;
    this.compressionLevel = o.compressionLevel;
    this.#l1MaxTtl = o.l1MaxTtl;
    this.#wire = {
      codec: o.codec,
      encryption: this.#encryption.isEnabled ? this.#encryption : undefined,
      compressionThreshold: o.compressionThreshold,
      compressionLevel: o.compressionLevel,
      maxValueBytes: o.maxValueBytes,
      readLegacyPythonFormat: o.readLegacyPythonFormat,
    };
    this.#l1 =
      o.enableL1Cache && o.l1CacheSize > 0
        ? new InMemoryCache({
            maxSize: o.l1CacheSize,
            defaultTtl: Math.min(o.defaultTtl, o.l1MaxTtl),
            clock: o.clock,
            logger: o.logger,
            codec: o.codec,
          })
        : null;
    this.#events = new EventHub(o.logger, () => {
      this.#stats.counters.callbackErrors++;
    });
    this.#metrics = new MetricsReporter(o.performanceMonitor, o.logger);
    this.#queue = new ReplayQueue(o.pendingInvalidationLimit);
    const url = o.target.kind === 'url' ? o.target.url : undefined;
    this.#conn = new RedisConnection({
      target: o.target,
      params: () => this.#security.buildConnectionParams(url),
      connectTimeoutMs: o.connectTimeoutMs,
      commandTimeoutMs: o.commandTimeoutMs,
      reconnectBaseDelayMs: o.reconnectBaseDelayMs,
      reconnectMaxDelayMs: o.reconnectMaxDelayMs,
      failOnConnectionError: o.failOnConnectionError,
      logger: o.logger,
      counters: () => this.#stats.counters,
      onStateChange: (state, previous, error) => this.#events.emit('connection_state', state, previous, ...(error === undefined ? [] : [error])),
      beforeReady: (client, stillCurrent) => this.#replay(client, stillCurrent),
    });
  }

  /**
   * A cache with the strict defaults: `redisUrl ?? env.REDIS_URL ?? 'rediss://localhost:6380'`,
   * security and encryption from the environment (`REDIS_AUTH`, `REDIS_ENCRYPTION_KEY`, …).
   */
  static createSecure(redisUrl?: string, env: Readonly<Record<string, string | undefined>> = process.env): GenericRedisCache {
    return new GenericRedisCache({ redisUrl: redisUrl ?? env.REDIS_URL ?? 'rediss://localhost:6380', env });
  }

  /** Current connection state; anything but `ready` means degraded mode. */
  get connectionState(): ConnectionState {
    return this.#conn.state;
  }

  /**
   * Connects (single-flight, idempotent): true once ready — after replaying pending invalidations —
   * false on failure or after the connect timeout (the client keeps retrying in the background).
   * Rejects with `InfrastructureError` only when `failOnConnectionError` is set.
   */
  connect(): Promise<boolean> {
    return this.#conn.connect();
  }

  /** Quits the connection (a caller-owned client is only detached); state `closed`; never throws. */
  async disconnect(): Promise<void> {
    await this.#conn.disconnect();
  }

  /** Resolves the value (fresh copy) or `null` for a miss of any kind; rejects only for an invalid key. */
  async get<T = unknown>(key: string): Promise<T | null> {
    this.#assertKey(key);
    const started = performance.now();
    const l1 = this.#l1;
    if (l1) {
      const value = l1.getSync<T>(key);
      if (value !== null) {
        this.#hit(key, value, 'l1', started);
        return value;
      }
    }
    const gate = this.#startupGate();
    if (gate) await gate;
    const client = this.#conn.readyClient;
    if (!client) return this.#miss(key, 'redis_unavailable', started);
    const physicalKey = this.keyPrefix + key;
    const token = l1 ? this.#keys.beginRead(key) : null;
    try {
      let bytes: Buffer | null;
      let pttl = -1;
      try {
        if (l1) [bytes, pttl] = await Promise.all([client.getBuffer(physicalKey), client.pttl(physicalKey)]);
        else bytes = await client.getBuffer(physicalKey);
      } catch (error) {
        this.#redisError('get', key, error);
        return this.#miss(key, 'redis_error', started);
      }
      if (bytes === null) return this.#miss(key, 'not_found', started);
      let decoded = decodeEnvelope(this.#wire, physicalKey, bytes);
      if (decoded instanceof Promise) decoded = await decoded;
      if (!decoded.ok) {
        this.#stats.counters.decodeErrors++;
        this.#o.logger.warn('Cache value could not be decoded; treated as a miss', { keyFingerprint: keyFingerprint(key), reason: decoded.reason });
        this.#events.emit('decode_error', key, { reason: decoded.reason });
        return this.#miss(key, 'decode_error', started);
      }
      if (l1 && token && !token.stale) this.#promote(l1, key, decoded.value, pttl);
      this.#hit(key, decoded.value, 'redis', started);
      return decoded.value as T;
    } finally {
      if (token) this.#keys.endRead(key, token);
    }
  }

  /**
   * Stores `value` for `ttl` (seconds, a duration string such as `'10m'`, or `SetOptions`; default
   * `defaultTtl`) in Redis and L1. Resolves `'stored'`,
   * `'l1_only'` (Redis unavailable or failing; the key is queued for invalidation in Redis) or
   * `'dropped'` (no L1 either). Rejects only for an invalid key, value or TTL.
   */
  async set(key: string, value: unknown, ttl?: Duration | SetOptions | null): Promise<WriteOutcome> {
    this.#assertKey(key);
    assertStorableValue(value);
    const ttlSeconds = resolveTtlSeconds(ttl, this.defaultTtl);
    const codecBytes = this.#o.codec.encode(value);
    assertValueSize(codecBytes, this.#o.maxValueBytes);
    const started = performance.now();
    const gate = this.#startupGate();
    if (gate) await gate;
    this.#keys.markWritten(key);
    const l1 = this.#l1;
    if (l1) this.#l1Write(l1, key, value, Math.min(ttlSeconds, this.#l1MaxTtl));
    const physicalKey = this.keyPrefix + key;
    const previous = this.#keys.pendingIssue(physicalKey);
    let encoded: EncodedValue | Promise<EncodedValue>;
    let release: (() => void) | null = null;
    try {
      encoded = encodeCodecBytes(this.#wire, physicalKey, codecBytes);
      if (previous || encoded instanceof Promise) {
        release = this.#keys.reserveIssue(physicalKey);
        encoded = await encoded;
        if (previous) await previous;
      }
    } catch (error) {
      release?.();
      this.#o.logger.error('Encoding a cache value failed; the write stays local', {
        keyFingerprint: keyFingerprint(key),
        error: error instanceof Error ? error.message : String(error),
      });
      return this.#degradedSet(key, value, ttlSeconds, 0, 'redis_error', error, started);
    }
    const client = this.#conn.readyClient;
    if (!client) {
      release?.();
      return this.#degradedSet(key, value, ttlSeconds, encoded.bytes.byteLength, 'redis_unavailable', undefined, started);
    }
    const reply = client.set(physicalKey, encoded.bytes, 'EX', ttlSeconds);
    release?.();
    if (encoded.compressed) this.#metrics.compression(encoded.rawBytes, encoded.bodyBytes, encoded.compressionMs);
    try {
      await reply;
    } catch (error) {
      this.#redisError('set', key, error);
      const outcome = this.#degradedSet(key, value, ttlSeconds, encoded.bytes.byteLength, 'redis_error', error, started);
      await this.#invalidateNow(key, physicalKey);
      return outcome;
    }
    const c = this.#stats.counters;
    c.sets++;
    c.setsRedis++;
    const durationMs = performance.now() - started;
    this.#stats.recordDuration(durationMs);
    this.#metrics.operation('set', durationMs, true, 'redis', 'stored');
    if (this.#events.has('set_success')) {
      this.#events.emit('set_success', key, value, { ttl: ttlSeconds, stored: 'redis', bytes: encoded.bytes.byteLength, durationMs });
    }
    return 'stored';
  }

  /**
   * Removes `key` from both tiers; resolves true if it existed in either. With Redis unavailable
   * only L1 is changed and the key is queued for replay (R22).
   */
  async delete(key: string): Promise<boolean> {
    this.#assertKey(key);
    const started = performance.now();
    const gate = this.#startupGate();
    if (gate) await gate;
    this.#keys.markWritten(key);
    const inL1 = this.#l1 ? this.#l1.deleteSync(key) : false;
    const physicalKey = this.keyPrefix + key;
    const previous = this.#keys.pendingIssue(physicalKey);
    let release: (() => void) | null = null;
    if (previous) {
      release = this.#keys.reserveIssue(physicalKey);
      await previous;
    }
    const c = this.#stats.counters;
    c.deletes++;
    const client = this.#conn.readyClient;
    let existed = inL1;
    let degraded = client === null;
    if (client) {
      const reply = client.unlink(physicalKey);
      release?.();
      try {
        existed = (await reply) > 0 || inL1;
      } catch (error) {
        this.#redisError('delete', key, error);
        degraded = true;
      }
    } else {
      release?.();
    }
    if (degraded) {
      c.deletesDegraded++;
      this.#enqueue({ kind: 'key', physicalKey });
    }
    const durationMs = performance.now() - started;
    this.#stats.recordDuration(durationMs);
    this.#metrics.operation('delete', durationMs, existed, degraded ? 'l1' : 'redis', degraded ? 'degraded' : 'deleted');
    if (existed) this.#events.emit('delete_success', key, { degraded });
    return existed;
  }

  /** True when `key` is live in L1 (recency untouched) or exists in Redis; false when unknown (R23). */
  async exists(key: string): Promise<boolean> {
    this.#assertKey(key);
    const started = performance.now();
    if (this.#l1?.hasSync(key)) {
      this.#metrics.operation('exists', performance.now() - started, true, 'l1', 'exists');
      return true;
    }
    const gate = this.#startupGate();
    if (gate) await gate;
    const client = this.#conn.readyClient;
    let result = false;
    if (client) {
      try {
        result = (await client.exists(this.keyPrefix + key)) > 0;
      } catch (error) {
        this.#redisError('exists', key, error);
      }
    }
    this.#metrics.operation('exists', performance.now() - started, result, client ? 'redis' : 'none', 'exists');
    return result;
  }

  /** Read-through with in-process single flight (see `CacheInterface.getOrSet`); no cross-process lease or grace yet. */
  getOrSet<T>(key: string, factory: Factory<T>, options?: GetOrSetOptions<T>): Promise<T> {
    return this.#readThrough.getOrSet(key, factory, options);
  }

  /** Remaining seconds: Redis `TTL` when ready, else L1's remaining time; `null` when absent (R24). */
  async getTtl(key: string): Promise<number | null> {
    this.#assertKey(key);
    const gate = this.#startupGate();
    if (gate) await gate;
    const client = this.#conn.readyClient;
    if (client) {
      try {
        const ttl = await client.ttl(this.keyPrefix + key);
        return ttl < 0 ? null : ttl;
      } catch (error) {
        this.#redisError('getTtl', key, error);
      }
    }
    return this.#l1 ? this.#l1.getTtl(key) : null;
  }

  /**
   * Removes every logical key matching the Redis glob `pattern` (`''` = all) from L1 and from
   * every Redis master (SCAN + UNLINK). Resolves the distinct count removed; with Redis
   * unavailable only L1 is changed and the pattern is queued for replay (R30, R32).
   */
  invalidatePattern(pattern: string, operationContext = ''): Promise<number> {
    return this.invalidateMatching(pattern, { type: 'manual', context: operationContext });
  }

  /** Yields the logical keys in Redis matching `pattern` (all masters; nothing when not ready). */
  async *scanKeys(pattern: string): AsyncIterable<string> {
    this.#assertPattern(pattern);
    const gate = this.#startupGate();
    if (gate) await gate;
    const client = this.#conn.readyClient;
    if (!client) return;
    const seen = new Set<string>();
    for await (const physicalKey of scanMatching(client, escapeGlob(this.keyPrefix) + (pattern || '*'), this.#o.scanCount)) {
      const key = physicalKey.slice(this.keyPrefix.length);
      if (seen.has(key)) continue;
      seen.add(key);
      yield key;
    }
  }

  /** Empties L1 and removes `keyPrefix*` from Redis; requires a non-empty `keyPrefix` (R31). */
  async clear(operationContext = 'clear'): Promise<number> {
    if (this.keyPrefix === '') {
      throw new ConfigurationError(
        'clear() requires a non-empty keyPrefix: clearing an unprefixed database would delete data that is not this cache\'s',
        { code: 'KEY_PREFIX_REQUIRED', context: { option: 'keyPrefix' } },
      );
    }
    return this.invalidateMatching('', { type: 'clear', context: operationContext });
  }

  /** Adds a listener (R34); returns its unsubscribe function. Unknown events or non-functions → `ValidationError`. */
  on<E extends keyof CacheEventMap>(event: E, listener: CacheEventMap[E]): () => void {
    return this.#events.on(event, listener);
  }

  /** Removes a listener. */
  off<E extends keyof CacheEventMap>(event: E, listener: CacheEventMap[E]): void {
    this.#events.off(event, listener);
  }

  /** Alias of {@link on} (kept for parity with the original API). */
  registerCallback<E extends keyof CacheEventMap>(event: E, listener: CacheEventMap[E]): void {
    this.#events.on(event, listener);
  }

  /** Counters since construction or `resetStats()` with the invariants of R36. */
  getStats(): RedisCacheStats {
    const c = this.#stats.counters;
    const gets = c.gets;
    const stats: RedisCacheStats = {
      connectionState: this.#conn.state,
      ...c,
      hitRatio: gets === 0 ? 0 : ((c.hitsL1 + c.hitsRedis) / gets) * 100,
      pendingInvalidations: this.#queue.size,
      l1: { enabled: this.#l1 !== null, size: this.#l1?.size() ?? 0, maxSize: this.#l1 ? this.l1CacheSize : 0 },
      recentAvgOperationMs: this.#stats.recentAverage(),
    };
    const lastError = this.#conn.lastError;
    if (lastError !== undefined) stats.lastConnectionError = lastError;
    return stats;
  }

  /** Zeroes every counter (connection state and the replay queue are unaffected). */
  resetStats(): void {
    this.#stats.reset();
  }

  /** The security manager's validation of the live connection, or `null` unless ready (R37). */
  async validateSecurity(): Promise<SecurityValidationResult | null> {
    const client = this.#conn.readyClient;
    if (!client) return null;
    return this.#security.validateConnectionSecurity(client as unknown as RedisLikeClient);
  }

  /** The manager's status with `tlsEnabled` taken from the live connection and `valuesEncrypted` added. */
  getSecurityStatus(): SecurityStatus & { valuesEncrypted: boolean } {
    const status = this.#security.getSecurityStatus();
    const tlsEnabled = this.#conn.client ? this.#conn.tlsActive : status.configuration.tlsEnabled;
    return { ...status, configuration: { ...status.configuration, tlsEnabled }, valuesEncrypted: this.#encryption.isEnabled };
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

  /** Whether a Redis hit may be copied into L1 (hook; default true). `remainingTtlMs` is Redis' PTTL. */
  protected shouldPromote(key: string, remainingTtlMs: number): boolean {
    void key;
    void remainingTtlMs;
    return true;
  }

  /**
   * The invalidation engine (R30, R32, R33, R38) for a logical-key glob with the given event type
   * and context, without `clear()`'s prefix requirement.
   */
  protected async invalidateMatching(pattern: string, o: InvalidateMatchingOptions): Promise<number> {
    this.#assertPattern(pattern);
    const gate = this.#startupGate();
    if (gate) await gate;
    const started = performance.now();
    this.#keys.markAllWritten();
    const removed = new Set<string>();
    let l1Count = 0;
    const l1 = this.#l1;
    if (l1) {
      const regex = pattern === '' ? null : compileGlob(pattern);
      for (const key of l1.getKeys()) {
        if ((regex === null || regex.test(key)) && l1.deleteSync(key)) {
          l1Count++;
          removed.add(key);
        }
      }
    }
    const match = escapeGlob(this.keyPrefix) + (pattern === '' ? '*' : pattern);
    let redisCount = 0;
    let reason: string | undefined;
    const client = this.#conn.readyClient;
    if (client) {
      try {
        await scanAndUnlink(client, match, this.#o.scanCount, (physicalKey) => {
          redisCount++;
          removed.add(physicalKey.slice(this.keyPrefix.length));
        });
      } catch (error) {
        this.#redisError('invalidate', pattern, error);
        reason = 'redis_error';
      }
    } else {
      reason = 'redis_unavailable';
    }
    const status = reason === undefined ? 'success' : 'partial';
    const c = this.#stats.counters;
    c.invalidations++;
    if (reason !== undefined) {
      c.invalidationsDegraded++;
      this.#enqueue({ kind: 'pattern', match });
    }
    const total = removed.size;
    this.#metrics.invalidation(pattern, total, performance.now() - started, o.type, o.context, {
      ...o.extra,
      status,
      l1Invalidated: l1Count,
      redisInvalidated: redisCount,
      ...(reason === undefined ? {} : { reason }),
    });
    this.#events.emit('invalidation', { pattern, type: o.type, context: o.context, l1: l1Count, redis: redisCount, total, status });
    return total;
  }

  /** Raw `INFO <section>` text of every master (one entry for a single node); `null` unless ready (R38). */
  protected async redisInfo(section: string): Promise<string[] | null> {
    const client = this.#conn.readyClient;
    if (!client) return null;
    try {
      return await Promise.all(masterNodes(client).map((node) => node.info(section)));
    } catch (error) {
      throw new InfrastructureError(`Redis INFO ${section} failed: ${error instanceof Error ? error.message : String(error)}`, {
        code: 'REDIS_COMMAND_FAILED',
        context: { command: 'INFO', section },
        cause: error,
      });
    }
  }

  #startupGate(): Promise<unknown> | null {
    if (this.#conn.state === 'idle' && this.#startup === null) {
      this.#startup = this.#conn
        .connect()
        .catch(() => false)
        .finally(() => {
          this.#startup = null;
        });
    }
    return this.#startup;
  }

  #assertKey(key: unknown): asserts key is string {
    assertValidKey(key);
    if (key.length * 3 > MAX_KEY_BYTES && Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
      throw new ValidationError(`Invalid cache key: longer than ${MAX_KEY_BYTES} UTF-8 bytes`, {
        code: 'INVALID_KEY',
        context: { key_type: 'string', key_bytes: Buffer.byteLength(key, 'utf8'), max_key_bytes: MAX_KEY_BYTES },
      });
    }
  }

  #assertPattern(pattern: unknown): asserts pattern is string {
    if (typeof pattern === 'string') return;
    throw new ValidationError(`Invalid invalidation pattern (${pattern === null ? 'null' : typeof pattern}): use a Redis glob string`, {
      code: 'INVALID_PATTERN',
      context: { pattern_type: pattern === null ? 'null' : typeof pattern },
    });
  }

  #l1Write(l1: InMemoryCache, key: string, value: unknown, ttlSeconds: number): void {
    try {
      l1.setSync(key, value, ttlSeconds);
    } catch (error) {
      l1.deleteSync(key);
      this.#o.logger.warn('L1 write failed; entry removed from L1', {
        keyFingerprint: keyFingerprint(key),
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  #promote(l1: InMemoryCache, key: string, value: unknown, pttl: number): void {
    if (pttl === -2) return;
    const remainingMs = pttl === -1 ? this.defaultTtl * 1000 : pttl;
    if (remainingMs < MIN_PROMOTION_MS || !this.shouldPromote(key, remainingMs)) return;
    this.#l1Write(l1, key, value, Math.floor(Math.min(remainingMs / 1000, this.#l1MaxTtl)));
  }

  #hit(key: string, value: unknown, tier: 'l1' | 'redis', started: number): void {
    const c = this.#stats.counters;
    c.gets++;
    if (tier === 'l1') c.hitsL1++;
    else c.hitsRedis++;
    const durationMs = performance.now() - started;
    this.#stats.recordDuration(durationMs);
    this.#metrics.operation('get', durationMs, true, tier, 'hit');
    if (this.#events.has('get_success')) this.#events.emit('get_success', key, value, { tier, durationMs });
  }

  #miss(key: string, reason: GetMissReason, started: number): null {
    const c = this.#stats.counters;
    c.gets++;
    c.misses++;
    const durationMs = performance.now() - started;
    this.#stats.recordDuration(durationMs);
    const tier: OperationTier = reason === 'redis_unavailable' ? 'none' : 'redis';
    this.#metrics.operation('get', durationMs, false, tier, reason);
    if (this.#events.has('get_miss')) this.#events.emit('get_miss', key, { reason, durationMs });
    return null;
  }

  #degradedSet(
    key: string,
    value: unknown,
    ttl: number,
    bytes: number,
    reason: 'redis_unavailable' | 'redis_error',
    error: unknown,
    started: number,
  ): WriteOutcome {
    this.#enqueue({ kind: 'key', physicalKey: this.keyPrefix + key });
    const c = this.#stats.counters;
    c.sets++;
    const durationMs = performance.now() - started;
    this.#stats.recordDuration(durationMs);
    if (this.#l1) {
      c.setsL1Only++;
      this.#metrics.operation('set', durationMs, true, 'l1', 'l1_only');
      if (this.#events.has('set_success')) this.#events.emit('set_success', key, value, { ttl, stored: 'l1_only', bytes, durationMs });
      return 'l1_only';
    }
    c.setsDropped++;
    this.#metrics.operation('set', durationMs, false, 'none', 'dropped');
    if (this.#events.has('set_failed')) {
      const meta: { reason: 'redis_unavailable' | 'redis_error'; error?: string } = { reason };
      if (error !== undefined) meta.error = error instanceof Error ? error.message : String(error);
      this.#events.emit('set_failed', key, meta);
    }
    return 'dropped';
  }

  #redisError(operation: string, key: string, error: unknown): void {
    this.#stats.counters.redisErrors++;
    this.#o.logger.warn(`Redis ${operation} failed; degraded result returned`, {
      keyFingerprint: keyFingerprint(key),
      error: error instanceof Error ? error.message : String(error),
    });
  }

  /**
   * A SET was refused on a live connection (e.g. OOM, timeout): no reconnect will replay the queued
   * invalidation soon, so remove the value it replaced now; the entry stays queued if this fails too.
   */
  async #invalidateNow(key: string, physicalKey: string): Promise<void> {
    const client = this.#conn.readyClient;
    if (!client) return;
    const item = this.#queue.find({ kind: 'key', physicalKey });
    try {
      await client.unlink(physicalKey);
      if (item) this.#queue.settle(item);
    } catch (error) {
      this.#redisError('invalidate', key, error);
    }
  }

  #enqueue(entry: PendingInvalidation): void {
    const dropped = this.#queue.push(entry);
    if (dropped === 0) return;
    this.#stats.counters.pendingInvalidationsDropped += dropped;
    this.#o.logger.warn(
      `Pending-invalidation queue full (${this.#o.pendingInvalidationLimit}); dropped ${dropped} oldest entr${dropped === 1 ? 'y' : 'ies'}: those keys may be served stale from Redis after recovery until their TTL ends`,
      { pendingInvalidationsDropped: this.#stats.counters.pendingInvalidationsDropped },
    );
  }

  /**
   * Replays queued invalidations before `ready` (R10, R32). Rounds run until only single keys are
   * left that arrived during the previous round; those are sent in the same tick the state turns
   * `ready`, so on the one connection they precede every newer write.
   */
  async #replay(client: RedisClient, stillCurrent: () => boolean): Promise<boolean> {
    for (let round = 0; ; round++) {
      if (!stillCurrent()) return false;
      const items = this.#queue.snapshot();
      if (items.length === 0) return true;
      if (round > 0 && items.every((item) => item.entry.kind === 'key')) {
        for (const item of items) {
          const entry = item.entry as { kind: 'key'; physicalKey: string };
          client.unlink(entry.physicalKey).catch((error: unknown) => {
            this.#redisError('replay', entry.physicalKey, error);
            this.#enqueue(entry);
          });
          this.#queue.settle(item);
        }
        return true;
      }
      await Promise.all(
        items.map(async (item) => {
          const entry = item.entry;
          if (entry.kind === 'key') await client.unlink(entry.physicalKey);
          else await scanAndUnlink(client, entry.match, this.#o.scanCount, () => undefined);
          this.#queue.settle(item);
        }),
      );
    }
  }
}
