import {
  CacheInterface,
  ConfigurationError,
  ReadThroughEngine,
  ValidationError,
  assertSetManyEntries,
  assertStorableValue,
  assertValidKey,
  assertValidKeys,
  cacheTracingChannel,
  assertValidTags,
  compileGlob,
  isValidationError,
  keyFingerprint,
  resolveTags,
  resolveTtlSeconds,
  traceCacheOperation,
} from '@cache/core';
import type {
  CacheStatsReport,
  CacheStatsSource,
  Clock,
  Codec,
  Duration,
  Factory,
  GetOrSetOptions,
  KeyBuilder,
  KeyGenerator,
  Logger,
  PatternInvalidation,
  ReadThroughHit,
  SetManyEntry,
  SetOptions,
  TagInvalidation,
} from '@cache/core';
import { EntryStore } from './entry-store.js';
import { resolveMemoryOptions } from './options.js';
import type { InMemoryCacheOptions } from './options.js';
import { estimateValueSize } from './size-estimate.js';
import { formatMemoryUsage } from './stats.js';
import { TagIndex } from './tag-index.js';
import type { InvalidationFrequencyStats, MemoryCacheStatistics, MemoryCacheStats } from './stats.js';

const traceGet = cacheTracingChannel('get');
const traceSet = cacheTracingChannel('set');
const traceDelete = cacheTracingChannel('delete');
const traceGetOrSet = cacheTracingChannel('getOrSet');
const traceGetMany = cacheTracingChannel('getMany');
const traceSetMany = cacheTracingChannel('setMany');
const hitsOutcome = (result: ReadonlyArray<unknown>, context: { hits?: number }): void => {
  let hits = 0;
  for (const value of result) if (value !== null) hits++;
  context.hits = hits;
};
const hitOutcome = (result: unknown, context: { hit?: boolean }): void => {
  context.hit = result !== null;
};

/** A factory value validated and, with a codec, encoded once for storing and for every waiter. */
interface Prepared {
  value: unknown;
  stored: unknown;
  sizeBytes: number;
}

/**
 * Bounded in-process cache with per-entry TTL, exact least-recently-used eviction and statistics.
 *
 * - Expiry is strict (`now > expiresAt`), read from the injected clock (monotonic by default);
 *   every `get`/`set` first purges expired entries through an expiry-ordered index (O(k log n),
 *   no scans). A `getOrSet` value stored with a grace period is kept that much longer but served
 *   only by `getOrSet`'s stale path: `get`, `exists` and `getTtl` treat it as expired.
 * - `getOrSet` runs one factory call per key for every concurrent caller of this instance (core's
 *   read-through engine); its counters are in `getStats().readThrough`.
 * - Only a **new** key evicts, and only while `size() >= maxSize`; updates never evict.
 * - Without a codec values are kept by reference; with one they are stored encoded and every
 *   read decodes a fresh copy.
 * - The synchronous core (`getSync`/`setSync`/`hasSync`/`deleteSync`) has exactly the semantics
 *   of the async methods, which are thin wrappers over it; every state change of an operation
 *   happens synchronously inside the call.
 * - Invalid input throws/rejects with `ValidationError` and changes nothing; internal failures
 *   are logged at warn and give the miss-shaped result. No line is logged per operation; the
 *   lines there are carry key fingerprints, never keys or values.
 */
export class InMemoryCache extends CacheInterface implements PatternInvalidation, TagInvalidation, KeyBuilder, CacheStatsSource {
  /** Name in statistics and metrics (the `cache` label); default `'memory'`. */
  readonly name: string;
  /** Default TTL in seconds, used when `set` gets no TTL. */
  readonly defaultTtl: number;
  /** Capacity in entries. */
  readonly maxSize: number;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly codec: Codec | undefined;
  private readonly keyGenerator: KeyGenerator | undefined;
  private readonly store: EntryStore;
  private readonly readThrough: ReadThroughEngine<Prepared>;
  private readonly tags = new TagIndex();
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  /** Validates `options` (throws `ConfigurationError` `INVALID_CONFIGURATION`) and creates an empty cache. */
  constructor(options?: InMemoryCacheOptions) {
    super();
    const resolved = resolveMemoryOptions(options);
    this.name = resolved.name;
    this.defaultTtl = resolved.defaultTtl;
    this.maxSize = resolved.maxSize;
    this.clock = resolved.clock;
    this.logger = resolved.logger;
    this.codec = resolved.codec;
    this.keyGenerator = resolved.keyGenerator;
    this.store = new EntryStore(this.maxSize, estimateValueSize);
    this.readThrough = new ReadThroughEngine<Prepared>(
      {
        lookup: (key) => this.lookup(key),
        prepare: (_key, value) => this.prepare(value),
        store: (key, prepared, ttlSeconds, graceSeconds, _lease, tags) => this.place(key, prepared.stored, prepared.sizeBytes, ttlSeconds, graceSeconds, tags),
        materialize: (prepared) => (this.codec === undefined ? prepared.value : this.codec.decode(prepared.stored as Uint8Array)),
      },
      { defaultTtl: () => this.defaultTtl },
    );
    this.logger.info('InMemoryCache initialised', { name: this.name, defaultTtl: this.defaultTtl, maxSize: this.maxSize });
  }

  /** Always `'memory'`: the `kind` of this cache in statistics and traces. */
  get kind(): 'memory' {
    return 'memory';
  }

  /**
   * Resolves the live value of `key` (a hit, made most recent) or `null` (a miss). See {@link getSync}.
   * Traced on core's `@cache:get` channel while someone subscribes.
   */
  async get<T = unknown>(key: string): Promise<T | null> {
    if (traceGet.hasSubscribers) return traceCacheOperation('get', this, key, async () => this.getSync<T>(key), hitOutcome);
    return this.getSync<T>(key);
  }

  /**
   * Stores `value` for a TTL (seconds or a duration string; default TTL when omitted/`null`), as most recent.
   * See {@link setSync}. Traced on `@cache:set` while someone subscribes.
   */
  async set(key: string, value: unknown, ttlOrOptions?: Duration | SetOptions | null): Promise<void> {
    if (traceSet.hasSubscribers) return traceCacheOperation('set', this, key, async () => this.setSync(key, value, ttlOrOptions));
    this.setSync(key, value, ttlOrOptions);
  }

  /** Resolves `true` iff a live entry was removed. See {@link deleteSync}. Traced on `@cache:delete`. */
  async delete(key: string): Promise<boolean> {
    if (traceDelete.hasSubscribers) return traceCacheOperation('delete', this, key, async () => this.deleteSync(key));
    return this.deleteSync(key);
  }

  /**
   * Resolves the values of `keys` in order (`null` for each miss), each exactly as `get`; an
   * invalid key rejects with `ValidationError` before any lookup. Traced on `@cache:getMany`.
   */
  override async getMany<T = unknown>(keys: readonly string[]): Promise<Array<T | null>> {
    if (traceGetMany.hasSubscribers) return traceCacheOperation('getMany', this, keys, async () => this.getManySync<T>(keys), hitsOutcome);
    return this.getManySync<T>(keys);
  }

  /**
   * Stores every entry exactly as `set` (in order: a later entry for the same key wins); every
   * key, value and TTL is validated before anything is stored. Traced on `@cache:setMany`.
   */
  override async setMany(entries: readonly SetManyEntry[]): Promise<void[]> {
    if (traceSetMany.hasSubscribers) return traceCacheOperation('setMany', this, entries, async () => this.setManySync(entries));
    return this.setManySync(entries);
  }

  /** Synchronous {@link getMany}. */
  getManySync<T = unknown>(keys: readonly string[]): Array<T | null> {
    assertValidKeys(keys);
    const store = this.store;
    const out = new Array<T | null>(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      out[i] = this.readSlot<T>(key, store.find(key));
    }
    return out;
  }

  /** Synchronous {@link setMany}; resolves one `undefined` per entry, like `set`. */
  setManySync(entries: readonly SetManyEntry[]): void[] {
    assertSetManyEntries(entries);
    for (const entry of entries) this.setSync(entry.key, entry.value, entry.ttl);
    return new Array<void>(entries.length).fill(undefined);
  }

  /** Resolves `true` iff `key` is present and live; no recency, counter or TTL change. See {@link hasSync}. */
  async exists(key: string): Promise<boolean> {
    return this.hasSync(key);
  }

  /**
   * Read-through with single flight per key in this instance (see `CacheInterface.getOrSet`): a
   * hit counts like `get`; on a miss the factory runs once for all concurrent callers and its value
   * is stored like `set` (validated and, with a codec, encoded once; each caller then decodes its
   * own copy). With `grace`, the entry is kept `grace` seconds past its TTL for the stale path only.
   * `lock` is ignored (no other process shares this cache). Traced on `@cache:getOrSet`.
   */
  getOrSet<T>(key: string, factory: Factory<T>, options?: GetOrSetOptions<T>): Promise<T> {
    if (traceGetOrSet.hasSubscribers) return traceCacheOperation('getOrSet', this, key, () => this.readThrough.getOrSet(key, factory, options));
    return this.readThrough.getOrSet(key, factory, options);
  }

  /**
   * Waits for the `getOrSet` factory calls still running — background refreshes included — to
   * finish and store their values: true once none is left, false after `timeoutMs` (default no
   * bound). For a graceful shutdown. Never rejects.
   */
  drain(timeoutMs?: number): Promise<boolean> {
    return this.readThrough.idle(timeoutMs);
  }

  /**
   * Purges expired entries, then returns the value of `key` (counted as a hit and made most
   * recent) or `null` (counted as a miss). Throws `ValidationError` `INVALID_KEY` for a bad key.
   */
  getSync<T = unknown>(key: string): T | null {
    const slot = this.store.find(key);
    // Every held key was validated when it was stored, so only a key that is not held is checked.
    if (slot === undefined) assertValidKey(key);
    return this.readSlot<T>(key, slot);
  }

  /**
   * Validates key, value and TTL (throws `ValidationError` `INVALID_KEY`/`INVALID_VALUE`/`INVALID_TTL`,
   * or the codec's `SERIALIZATION_ERROR`, before any change), purges expired entries, evicts
   * least-recently-used entries while a new key would not fit, and stores the value as most recent.
   * The TTL is whole seconds, a duration string (`'10m'`) or `SetOptions`; default {@link defaultTtl}.
   */
  setSync(key: string, value: unknown, ttlOrOptions?: Duration | SetOptions | null): void {
    assertValidKey(key);
    assertStorableValue(value);
    const seconds = resolveTtlSeconds(ttlOrOptions, this.defaultTtl);
    const tags = resolveTags(ttlOrOptions);
    let stored: unknown = value;
    // Without a codec the value is kept by reference and sized only when statistics are read.
    let sizeBytes = Number.NaN;
    if (this.codec !== undefined) {
      try {
        const bytes = this.codec.encode(value);
        stored = bytes;
        sizeBytes = bytes.byteLength;
      } catch (error) {
        if (isValidationError(error)) throw error;
        // Still a set (rule 8): expired entries go even though this value is not stored.
        this.store.purgeExpired(this.clock.now());
        this.warnInternalFailure('set', key, error);
        return;
      }
    }
    this.place(key, stored, sizeBytes, seconds, 0, tags);
  }

  /** Removes every entry stored with at least one of `tags`; resolves how many live entries were removed. See {@link invalidateTagsSync}. */
  async invalidateTags(tags: readonly string[]): Promise<number> {
    return this.invalidateTagsSync(tags);
  }

  /**
   * Removes every entry whose last write carried at least one of `tags`; returns how many live
   * entries were removed. Throws `ValidationError` `INVALID_TAGS` for invalid tags, before any change.
   */
  invalidateTagsSync(tags: readonly string[]): number {
    const valid = assertValidTags(tags);
    let removed = 0;
    for (const key of this.tags.keysOf(valid)) {
      if (this.deleteSync(key)) removed++;
      this.tags.set(key, []);
    }
    return removed;
  }

  /**
   * `true` iff `key` is present and live. Never changes recency, hit/miss counters or expiry; an
   * expired entry found here is removed. Throws `ValidationError` `INVALID_KEY` for a bad key.
   */
  hasSync(key: string): boolean {
    assertValidKey(key);
    const store = this.store;
    const slot = store.find(key);
    if (slot === undefined) return false;
    const now = this.clock.now();
    if (now > store.freshUntilOf(slot)) {
      if (now > store.expiresAtOf(slot)) store.removeSlot(slot);
      return false;
    }
    return true;
  }

  /**
   * Removes `key`; returns `true` iff a live entry was removed (an expired leftover is removed
   * silently and gives `false`). Throws `ValidationError` `INVALID_KEY` for a bad key.
   */
  deleteSync(key: string): boolean {
    assertValidKey(key);
    const store = this.store;
    const slot = store.find(key);
    let existed = false;
    if (slot !== undefined) {
      existed = !(this.clock.now() > store.freshUntilOf(slot));
      store.removeSlot(slot);
    }
    return existed;
  }

  /** Resolves whole seconds left (`floor((expiresAt - now) / 1000)`, ≥ 0), or `null` for a missing or expired key. */
  async getTtl(key: string): Promise<number | null> {
    assertValidKey(key);
    const slot = this.store.find(key);
    if (slot === undefined) return null;
    const left = this.store.freshUntilOf(slot) - this.clock.now();
    return left < 0 ? null : Math.floor(left / 1000);
  }

  /**
   * Removes every held key matching the Redis `MATCH` glob `pattern` (`''` matches all), expired
   * ones included, and resolves how many. Matching is Redis's, over the UTF-8 bytes of the key
   * (`?` is one byte), so this cache and Redis select the same keys. Hit/miss counters are
   * untouched. Rejects with `ValidationError` `INVALID_PATTERN` when `pattern` or
   * `operationContext` is not a string.
   */
  async invalidatePattern(pattern: string, operationContext = ''): Promise<number> {
    if (typeof pattern !== 'string' || typeof operationContext !== 'string') {
      throw new ValidationError('invalidatePattern needs a string pattern and a string operationContext', {
        code: 'INVALID_PATTERN',
        context: { pattern_type: typeof pattern, operation_context_type: typeof operationContext },
      });
    }
    const matcher = pattern === '' ? undefined : compileGlob(pattern);
    return this.store.removeWhere(matcher === undefined ? () => true : (key) => matcher.test(key));
  }

  /** Removes every entry and resets hits, misses, evictions and memory accounting to 0. */
  clear(): void {
    const cleared = this.store.size;
    this.store.clear();
    this.tags.clear();
    this.hits = 0;
    this.misses = 0;
    this.evictions = 0;
    this.readThrough.reset();
    this.logger.info(`InMemoryCache cleared ${cleared} entries`, { entriesCleared: cleared });
  }

  /** Entries held, expired-but-unpurged included. */
  size(): number {
    return this.store.size;
  }

  /** Every held key, expired-but-unpurged included; order unspecified. */
  getKeys(): string[] {
    return this.store.allKeys();
  }

  /** Keys of live entries only; order unspecified. */
  getActiveKeys(): string[] {
    return this.store.liveKeys(this.clock.now());
  }

  /** Full statistics; `hitRate` is the ratio hits / lookups, 0..1 (`0` before any lookup). Does not purge. */
  getStats(): MemoryCacheStats {
    const totalEntries = this.store.size;
    const expiredEntries = this.store.countExpired(this.clock.now());
    const activeEntries = totalEntries - expiredEntries;
    const lookups = this.hits + this.misses;
    const memoryUsageBytes = this.store.memoryBytes;
    const memoryUsage = formatMemoryUsage(memoryUsageBytes);
    return {
      totalEntries,
      expiredEntries,
      activeEntries,
      maxSize: this.maxSize,
      utilization: `${activeEntries}/${this.maxSize}`,
      utilizationPercent: (activeEntries / this.maxSize) * 100,
      defaultTtl: this.defaultTtl,
      hits: this.hits,
      misses: this.misses,
      hitRate: lookups === 0 ? 0 : this.hits / lookups,
      evictions: this.evictions,
      memoryUsageBytes,
      memoryCacheEntries: activeEntries,
      memoryCacheSize: this.maxSize,
      memoryUsage,
      readThrough: { ...this.readThrough.counters },
    };
  }

  /** Short statistics with the formulas of {@link getStats}. */
  getCacheStatistics(): MemoryCacheStatistics {
    const { activeEntries, totalEntries, memoryUsage, maxSize, utilizationPercent } = this.getStats();
    return { activeEntries, totalEntries, memoryUsage, maxSize, utilizationPercent };
  }

  /**
   * The report shape shared by every cache: `cache` (`name`, kind `'memory'`), `performance`
   * (`hitRate` 0..1, the same value as {@link getStats}) and a `memory` section; no `redis` section.
   */
  async getCacheStats(): Promise<CacheStatsReport> {
    const stats = this.getStats();
    return {
      cache: { name: this.name, kind: 'memory' },
      performance: { hitRate: stats.hitRate, hits: stats.hits, misses: stats.misses, totalOperations: stats.hits + stats.misses },
      memory: {
        entries: stats.activeEntries,
        maxSize: stats.maxSize,
        utilizationPercent: stats.utilizationPercent,
        memoryUsageBytes: stats.memoryUsageBytes,
        memoryUsage: stats.memoryUsage,
        evictions: stats.evictions,
      },
    };
  }

  /** Always empty: the memory cache keeps no invalidation history. */
  getInvalidationFrequencyStats(): InvalidationFrequencyStats {
    return { frequency: {}, patterns: {}, totalOperations: 0, performance: {} };
  }

  /** Always `[]`: the memory cache keeps no invalidation history. */
  getInvalidationRecommendations(): [] {
    return [];
  }

  /**
   * Returns `keyGenerator.generateCacheKey(text, operation, options)` unchanged. Throws
   * `ConfigurationError` `KEY_GENERATOR_REQUIRED` when no `keyGenerator` was injected.
   */
  buildKey(text: string, operation: string, options: Readonly<Record<string, unknown>>): string {
    if (this.keyGenerator === undefined) {
      throw new ConfigurationError(
        'buildKey needs a key generator: pass { keyGenerator: new CacheKeyGenerator() } from @cache/redis-ai to InMemoryCache',
        { code: 'KEY_GENERATOR_REQUIRED' },
      );
    }
    return this.keyGenerator.generateCacheKey(text, operation, options);
  }

  /** Purges, then stores an encoded/sized value: fresh for `ttlSeconds`, held `graceSeconds` longer; evicts for a new key. */
  private place(key: string, stored: unknown, sizeBytes: number, ttlSeconds: number, graceSeconds: number, tags: readonly string[]): void {
    const now = this.clock.now();
    const store = this.store;
    store.purgeExpired(now);
    this.tags.set(key, tags);
    if (this.tags.size > 2 * this.maxSize) this.tags.prune((held) => store.find(held) !== undefined);
    const freshUntil = now + ttlSeconds * 1000;
    const expiresAt = freshUntil + graceSeconds * 1000;
    const slot = store.find(key);
    if (slot !== undefined) {
      store.update(slot, stored, freshUntil, expiresAt, sizeBytes);
    } else {
      while (store.size >= this.maxSize) {
        store.removeOldest();
        this.evictions++;
      }
      store.insert(key, stored, freshUntil, expiresAt, sizeBytes);
    }
  }

  /**
   * The read-through engine's lookup: like {@link getSync} (a key it does not hold is validated
   * first, so an invalid key throws `INVALID_KEY` before anything changes or counts), but a value
   * within its grace period comes back as stale (counted as a miss).
   */
  private lookup(key: string): ReadThroughHit | null {
    const store = this.store;
    const slot = store.find(key);
    // Every held key was validated when it was stored, so only a key that is not held is checked.
    if (slot === undefined) assertValidKey(key);
    const now = this.clock.now();
    store.purgeExpired(now);
    // A slot the purge just removed was past its expiry, and its expiry stays until the slot is reused.
    if (slot === undefined || now > store.expiresAtOf(slot)) {
      this.misses++;
      return null;
    }
    const stale = now > store.freshUntilOf(slot);
    if (!stale) store.touch(slot);
    if (this.codec !== undefined) return this.decodeLookup(key, slot, stale, this.codec);
    if (stale) this.misses++;
    else this.hits++;
    return { value: store.valueAt(slot), stale };
  }

  /** {@link lookup} of a codec-encoded value, kept out of line (a short lookup stays inlined in the engine's hit path). */
  private decodeLookup(key: string, slot: number, stale: boolean, codec: Codec): ReadThroughHit | null {
    let value: unknown;
    try {
      value = codec.decode(this.store.valueAt(slot) as Uint8Array);
    } catch (error) {
      this.store.removeSlot(slot);
      this.misses++;
      this.warnInternalFailure('get', key, error);
      return null;
    }
    if (stale) this.misses++;
    else this.hits++;
    return { value, stale };
  }

  /**
   * {@link getSync} for a valid `key` found at `slot` (or not held): purges expired entries, then
   * counts and answers. A slot the purge just removed was expired (`expiresAt < now`, so
   * `freshUntil < now` too) and still reads as a miss: its freshness stays until it is reused.
   */
  private readSlot<T>(key: string, slot: number | undefined): T | null {
    const store = this.store;
    const now = this.clock.now();
    store.purgeExpired(now);
    if (slot === undefined || now > store.freshUntilOf(slot)) {
      this.misses++;
      return null;
    }
    store.touch(slot);
    const stored = store.valueAt(slot);
    if (this.codec !== undefined) return this.decodeHit<T>(key, slot, stored as Uint8Array, this.codec);
    this.hits++;
    return stored as T;
  }

  /** Validates a factory value as `setSync` does and encodes or sizes it once. */
  private prepare(value: unknown): Prepared {
    assertStorableValue(value);
    if (this.codec === undefined) return { value, stored: value, sizeBytes: Number.NaN };
    const bytes = this.codec.encode(value);
    return { value, stored: bytes, sizeBytes: bytes.byteLength };
  }

  private decodeHit<T>(key: string, slot: number, bytes: Uint8Array, codec: Codec): T | null {
    let value: unknown;
    try {
      value = codec.decode(bytes);
    } catch (error) {
      this.store.removeSlot(slot);
      this.misses++;
      this.warnInternalFailure('get', key, error);
      return null;
    }
    this.hits++;
    return value as T;
  }

  private warnInternalFailure(operation: string, key: string, error: unknown): void {
    this.logger.warn(`InMemoryCache ${operation} failed internally; treated as a miss`, {
      keyFingerprint: keyFingerprint(key),
      operation,
      error_type: error instanceof Error ? error.name : typeof error,
    });
  }
}
