import { CacheError, ConfigurationError, InfrastructureError, defaultLogger, sanitizeError, type CacheInterface, type Logger } from '@cache/core';

/** What {@link CacheRegistry.cleanup} did. */
export interface CleanupStats {
  /** Entries the registry held. */
  totalEntries: number;
  /** Entries whose cache has a `disconnect()`. */
  activeCaches: number;
  /** Caches whose `disconnect()` resolved within the bound. */
  disconnectedCaches: number;
  /** One line per failure: "Failed to disconnect cache <key>: <reason>", or pending work left at the bound. */
  errors: string[];
}

/** Options of {@link CacheRegistry}. */
export interface CacheRegistryOptions {
  /** Where cleanup failures go; default core's `defaultLogger`. */
  logger?: Logger;
  /** Decides whether a created cache is a fallback (the provider passes its factory's `isFallback`). */
  isFallback?: (cache: CacheInterface) => boolean;
  /** Bound of `cleanup()`: time for pending creations, pending work ({@link CacheRegistry.drain}) and disconnects, ms; default 5000. */
  shutdownTimeoutMs?: number;
}

interface Entry {
  readonly cache: CacheInterface;
  readonly createdAt: Date;
  readonly fallback: boolean;
}

/** A cache that can finish its pending work (background refreshes, pending invalidations) before it is closed. */
interface Drainable {
  drain(timeoutMs: number): Promise<boolean>;
}

const hasDrain = (c: CacheInterface): c is CacheInterface & Drainable => typeof (c as { drain?: unknown }).drain === 'function';

/** What {@link CacheRegistry.drain} did. */
export interface DrainStats {
  /** Caches that have pending work to finish (a `drain()` method). */
  drainableCaches: number;
  /** Keys of the caches whose pending work did not finish within the bound. */
  unfinished: string[];
}

/** Disconnects get at least this long, whatever draining used of the shutdown bound. */
const DISCONNECT_FLOOR_MS = 1000;

const hasDisconnect = (c: CacheInterface): c is CacheInterface & { disconnect(): Promise<unknown> } =>
  typeof (c as { disconnect?: unknown }).disconnect === 'function';

/** Resolves with `promise`'s outcome, or `'timeout'` after `ms`; the timer never outlives it. */
async function bounded<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(0, ms))))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Named cache instances with strong references and single-flight creation: concurrent
 * `getOrCreate` calls for one key share one `create()`; a failed creation is not kept. `cleanup()`
 * (also `await using`) waits for creations in flight, disconnects every cache within a bound, never
 * throws, and leaves no connection open; a creation that finishes after it is disconnected at once.
 */
export class CacheRegistry implements AsyncDisposable {
  readonly #entries = new Map<string, Entry>();
  readonly #creating = new Map<string, Promise<CacheInterface>>();
  readonly #logger: Logger;
  readonly #isFallback: (cache: CacheInterface) => boolean;
  readonly #timeoutMs: number;
  #generation = 0;

  /** An empty registry. */
  constructor(o: CacheRegistryOptions = {}) {
    this.#logger = o.logger ?? defaultLogger;
    this.#isFallback = o.isFallback ?? (() => false);
    this.#timeoutMs = o.shutdownTimeoutMs ?? 5000;
  }

  /**
   * The cache registered under `key`, creating it once with `create()` when absent. A rejected
   * creation is not cached; an error that is not a `CacheError` becomes an `InfrastructureError`
   * "Failed to create cache instance: <reason>".
   */
  getOrCreate(key: string, create: () => Promise<CacheInterface>): Promise<CacheInterface> {
    const entry = this.#entries.get(key);
    if (entry) return Promise.resolve(entry.cache);
    const inFlight = this.#creating.get(key);
    if (inFlight) return inFlight;
    const generation = this.#generation;
    const creation = (async () => {
      let cache: CacheInterface;
      try {
        cache = await create();
      } catch (error) {
        if (CacheError.isCacheError(error)) throw error;
        const reason = sanitizeError(error).message;
        throw new InfrastructureError(`Failed to create cache instance: ${reason}`, {
          code: 'CACHE_CREATION_FAILED',
          context: { cache_key: key, original_error: reason },
          cause: sanitizeError(error),
        });
      }
      if (generation !== this.#generation) {
        if (hasDisconnect(cache)) await cache.disconnect().catch(() => undefined);
        throw new InfrastructureError(`Cache ${key} was created after the registry was cleaned up; it has been disconnected`, {
          code: 'REGISTRY_CLOSED',
          context: { cache_key: key },
        });
      }
      this.#entries.set(key, { cache, createdAt: new Date(), fallback: this.#isFallback(cache) });
      return cache;
    })().finally(() => {
      if (this.#creating.get(key) === creation) this.#creating.delete(key);
    });
    this.#creating.set(key, creation);
    return creation;
  }

  /** Registers a cache built elsewhere (e.g. a provider's fallback); an occupied key is a `ConfigurationError`. */
  register(key: string, cache: CacheInterface, o: { fallback?: boolean } = {}): void {
    if (this.#entries.has(key) || this.#creating.has(key)) {
      throw new ConfigurationError(`A cache is already registered under ${JSON.stringify(key)}`, { code: 'CACHE_KEY_TAKEN', context: { cache_key: key } });
    }
    this.#entries.set(key, { cache, createdAt: new Date(), fallback: o.fallback ?? this.#isFallback(cache) });
  }

  /** The cache under `key`, without creating one. */
  peek(key: string): CacheInterface | undefined {
    return this.#entries.get(key)?.cache;
  }

  /** Keys of the registered caches. */
  keys(): string[] {
    return [...this.#entries.keys()];
  }

  /** True when `cache` was registered as a fallback. */
  isFallback(cache: CacheInterface): boolean {
    for (const entry of this.#entries.values()) if (entry.cache === cache) return entry.fallback;
    return false;
  }

  /**
   * Lets every registered cache finish its pending work — background refreshes started by
   * `getOrSet` (soft timeouts, grace), invalidations Redis has not applied yet — waiting at most
   * `timeoutMs` (default `shutdownTimeoutMs`) in all. Caches stay open and usable. Never throws.
   */
  async drain(timeoutMs: number = this.#timeoutMs): Promise<DrainStats> {
    return this.#drain([...this.#entries], performance.now() + timeoutMs);
  }

  async #drain(entries: Array<[string, Entry]>, deadline: number): Promise<DrainStats> {
    const drainable = entries.filter(([, e]) => hasDrain(e.cache));
    const unfinished: string[] = [];
    await Promise.all(
      drainable.map(async ([key, { cache }]) => {
        const budget = Math.max(0, deadline - performance.now());
        try {
          const finished = await bounded((cache as CacheInterface & Drainable).drain(budget), budget);
          if (finished !== true) unfinished.push(key);
        } catch {
          unfinished.push(key);
        }
      }),
    );
    return { drainableCaches: drainable.length, unfinished: unfinished.sort() };
  }

  /**
   * Graceful shutdown, bounded by `shutdownTimeoutMs`: waits for creations in flight, lets every
   * cache finish its pending work ({@link drain}), then disconnects every cache that has
   * `disconnect()` — a Redis cache quits, letting commands already sent finish (at least 1 s for
   * that, however long draining took) — and clears the registry. Work still pending at the bound
   * is reported in `errors`. Never throws; a second call returns zeros.
   */
  async cleanup(): Promise<CleanupStats> {
    const deadline = performance.now() + this.#timeoutMs;
    const creating = [...this.#creating.values()];
    if (creating.length > 0) await bounded(Promise.allSettled(creating), this.#timeoutMs);
    this.#generation++;
    const entries = [...this.#entries];
    this.#entries.clear();
    const errors: string[] = [];
    const { unfinished } = await this.#drain(entries, deadline);
    for (const key of unfinished) errors.push(`Cache ${key} did not finish its pending work within ${this.#timeoutMs} ms`);
    let disconnected = 0;
    const active = entries.filter(([, e]) => hasDisconnect(e.cache));
    await Promise.all(
      active.map(async ([key, { cache }]) => {
        try {
          const outcome = await bounded((cache as CacheInterface & { disconnect(): Promise<unknown> }).disconnect(), Math.max(deadline - performance.now(), DISCONNECT_FLOOR_MS));
          if (outcome === 'timeout') errors.push(`Failed to disconnect cache ${key}: timed out after ${this.#timeoutMs} ms`);
          else disconnected++;
        } catch (error) {
          errors.push(`Failed to disconnect cache ${key}: ${sanitizeError(error).message}`);
        }
      }),
    );
    for (const line of errors) this.#logger.warn(line);
    return { totalEntries: entries.length, activeCaches: active.length, disconnectedCaches: disconnected, errors };
  }

  /** `cleanup()`, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.cleanup();
  }
}
