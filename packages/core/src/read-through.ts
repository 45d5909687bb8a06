import type { Factory, FactoryContext, GetOrSetOptions } from './cache-interface.js';
import { AbortedError, FactoryError, FactoryTimeoutError, isValidationError } from './errors.js';
import { MAX_TIMEOUT_MS, NO_LOCK, NO_TAGS, assertOptions, graceSeconds, invalid, lockOptions, timeoutMs } from './read-through-options.js';
import { assertValidKey, invalidKeyError, resolveTags, resolveTtlSeconds } from './validation.js';

/** What a {@link ReadThroughStorage} lookup found. */
export interface ReadThroughHit {
  /** The caller's value (its own copy whenever the cache's `get` returns copies). */
  readonly value: unknown;
  /** `true` when the value is past its TTL but within its grace period: served only when a refresh fails or times out. */
  readonly stale: boolean;
}

/**
 * The storage primitives a cache lends the {@link ReadThroughEngine}. `P` is the cache's
 * "prepared" form of a value: validated and, when the cache stores encoded values, encoded once.
 */
export interface ReadThroughStorage<P> {
  /**
   * Looks `key` up as `get` would (counting a hit or a miss), but also reports a value within its
   * grace period (`stale: true`) instead of a miss. Resolves `null` when there is neither.
   *
   * The lookup is the key check of `getOrSet`: for a key `assertValidKey` refuses it must throw
   * (or reject with) that same `ValidationError` `INVALID_KEY`, before it counts or changes
   * anything; it may throw a `ValidationError` for keys the cache refuses beyond that (a size
   * limit). A cache that validated every key it holds when storing it may check only a key it does
   * not hold, so a hit costs no key check. Returning a plain (non-promise) answer is the engine's
   * fast path: a fresh hit then resolves with no further work.
   */
  lookup(key: string): ReadThroughHit | null | Promise<ReadThroughHit | null>;
  /** Validates a factory value exactly as `set` would (throws its `ValidationError`) and returns its prepared form. */
  prepare(key: string, value: unknown): P;
  /**
   * Stores a prepared value: fresh for `ttlSeconds`, then kept `graceSeconds` longer for the stale
   * path only. `lease` is the cross-process grant the flight holds, if any (a store that holds a
   * fencing token refuses to overwrite a newer value). Must not throw except `ValidationError`.
   */
  store(key: string, prepared: P, ttlSeconds: number, graceSeconds: number, lease: LeaseGrant | undefined, tags: readonly string[]): void | Promise<void>;
  /** One caller's value from a prepared form (a fresh copy whenever the cache's `get` returns copies). */
  materialize(prepared: P): unknown;
}

/** A cross-process lease held by the flight that runs the factory. */
export interface LeaseGrant {
  /** Fencing token: unique to this grant of the key's lease; the store checks it is still the current holder. */
  readonly token: string;
  /** Gives the lease back (compare-and-delete); called once the value is stored or the factory failed. */
  release(): void | Promise<void>;
}

/** A validated `GetOrSetOptions.lock`, in milliseconds (absent fields: the lease's defaults). */
export interface LeaseRequestOptions {
  readonly ttlMs: number | undefined;
  readonly waitMs: number | undefined;
}

/** What the engine tells a {@link ReadThroughLease} about the flight asking for it. */
export interface LeaseRequest {
  /** Aborted when no local caller waits any more. */
  readonly signal: AbortSignal;
  /** The starting caller's `lock` option, validated. */
  readonly lock: LeaseRequestOptions;
  /** True for `forceRefresh`: a value another process stored meanwhile must not stand in for this flight's factory call. */
  readonly forceRefresh: boolean;
}

/** What a {@link ReadThroughLease} decided for one in-process flight. */
export type LeaseOutcome<P> =
  /** This process computes; `waited` is true when it had to wait for another holder first. */
  | { readonly kind: 'leader'; readonly grant: LeaseGrant; readonly waited: boolean }
  /** Another process computed and stored the value while this one waited: every local caller gets it. */
  | { readonly kind: 'follower'; readonly prepared: P }
  /** Waited `lock.wait` in vain: compute without the lease. */
  | { readonly kind: 'timed_out' }
  /** No coordination possible (backend down): compute in-process only. */
  | { readonly kind: 'unavailable' };

/**
 * Cross-process coordination hook (implemented by `@cache/redis`): called by the leader of an
 * in-process flight, before the factory runs, so that one process computes a key at a time. The
 * engine keeps the algorithm (coalescing, grace, timeouts, abort, storing, counters); the hook only
 * says who computes.
 */
export interface ReadThroughLease<P> {
  /**
   * Acquires the lease of `key` or waits for its holder; must settle soon after `signal` aborts
   * (no local caller waits any more: the engine then gives a grant back and calls no factory).
   * `lock` is the starting caller's `GetOrSetOptions.lock`, validated by the engine.
   */
  acquire(key: string, request: LeaseRequest): Promise<LeaseOutcome<P>>;
}

/** Read-through counters, reported by each cache's `getStats()` under `readThrough`. */
export interface ReadThroughCounters {
  /** Factory calls made by this cache instance. */
  factoryCalls: number;
  /** Factory calls that threw or rejected (or whose `cacheIf` threw). */
  factoryErrors: number;
  /** Callers that joined a factory call already in flight in this process. */
  coalescedLocal: number;
  /** Flights answered by another process's factory call (cross-process lease). */
  coalescedRemote: number;
  /** Callers served a stale value within its grace period (refresh failed or timed out). */
  graceHits: number;
  /** Callers answered with a stale value at their soft `timeout`. */
  softTimeouts: number;
  /** Callers whose `hardTimeout` passed. */
  hardTimeouts: number;
  /** Flights that waited for another process's lease. */
  leaseWaits: number;
  /** Flights that waited for a lease in vain and computed anyway. */
  leaseTimeouts: number;
  /** Flights that computed without a cross-process lease because the backend could not coordinate (in-process coalescing only). */
  leaseUnavailable: number;
}

/** Every counter at 0. */
export function emptyReadThroughCounters(): ReadThroughCounters {
  return {
    factoryCalls: 0, factoryErrors: 0, coalescedLocal: 0, coalescedRemote: 0, graceHits: 0,
    softTimeouts: 0, hardTimeouts: 0, leaseWaits: 0, leaseTimeouts: 0, leaseUnavailable: 0,
  };
}

interface Resolved<T> {
  ttl: number;
  grace: number;
  timeout: number | undefined;
  hardTimeout: number | undefined;
  signal: AbortSignal | undefined;
  forceRefresh: boolean;
  cacheIf: ((value: T) => boolean) | undefined;
  lock: LeaseRequestOptions;
  tags: readonly string[];
}

/** How a flight ended: a prepared value for every waiter, a value `cacheIf` kept out of the cache, or an error. */
type Outcome<P> = { kind: 'prepared'; prepared: P } | { kind: 'unstored'; value: unknown } | { kind: 'failed'; error: unknown };

interface Flight<P> {
  readonly controller: AbortController;
  readonly outcome: Promise<Outcome<P>>;
  waiters: number;
  background: boolean;
  settled: boolean;
  /** The outcome, once settled. */
  result: Outcome<P> | undefined;
}

/** Asynchronous lookups of one key in progress, and the last flight of that key that settled meanwhile. */
interface PendingLookups<P> {
  count: number;
  settled: Flight<P> | undefined;
}

/**
 * The one `getOrSet` algorithm, parameterised by a cache's storage primitives: in-process single
 * flight per engine (one engine per cache instance, so two caches never share a flight), grace,
 * soft and hard timeouts, abort through signals, `forceRefresh`, `cacheIf`, validation of the
 * factory's value like `set`, and {@link ReadThroughCounters}. An optional {@link ReadThroughLease}
 * adds cross-process coordination around the factory call.
 */
export class ReadThroughEngine<P> {
  /** Live counters (read them; `reset()` zeroes them). */
  readonly counters: ReadThroughCounters = emptyReadThroughCounters();
  readonly #flights = new Map<string, Flight<P>>();
  /** Every flight still running, abandoned and background ones included (what `idle` waits for). */
  readonly #running = new Set<Promise<Outcome<P>>>();
  readonly #lookups = new Map<string, PendingLookups<P>>();
  readonly #storage: ReadThroughStorage<P>;
  readonly #defaultTtl: () => number;
  readonly #lease: ReadThroughLease<P> | undefined;

  /** `defaultTtl` is read per call (seconds); `lease`, when given, coordinates processes. */
  constructor(storage: ReadThroughStorage<P>, options: { defaultTtl: () => number; lease?: ReadThroughLease<P> }) {
    this.#storage = storage;
    this.#defaultTtl = options.defaultTtl;
    this.#lease = options.lease;
  }

  /**
   * Resolves true once no factory call is running — background refreshes (a soft timeout, a
   * refresh in grace) and calls no one waits for any more included, each having stored its value —
   * or false after `timeoutMs` (default: no bound). Flights started meanwhile are waited for too.
   * For a graceful shutdown: call it before closing the storage.
   */
  async idle(timeoutMs?: number): Promise<boolean> {
    const settled = (async () => {
      while (this.#running.size > 0) await Promise.all(this.#running);
      return true;
    })();
    if (timeoutMs === undefined) return settled;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), Math.max(0, Math.min(timeoutMs, MAX_TIMEOUT_MS)));
    });
    try {
      return await Promise.race([settled, bound]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Zeroes the counters (flights in progress carry on). */
  reset(): void {
    Object.assign(this.counters, emptyReadThroughCounters());
  }

  /**
   * The `getOrSet` of `CacheInterface` (see there); invalid arguments reject with `ValidationError`,
   * on a hit too, before any factory call and without counting anything; when several are invalid,
   * the key's error comes first, then the factory's, then the options'. The key is checked by the
   * storage's lookup ({@link ReadThroughStorage.lookup}) or, on a path that throws before it or does
   * not look up (`forceRefresh`), by the engine. A fresh hit of a synchronous lookup allocates
   * nothing but its promise: options are validated in place and resolved only when a flight may be
   * joined or started.
   */
  getOrSet<T>(key: string, factory: Factory<T>, options?: GetOrSetOptions<T>): Promise<T> {
    let found: Promise<ReadThroughHit | null>;
    let o: Resolved<T>;
    try {
      if (typeof factory !== 'function') throw invalid('INVALID_FACTORY', 'getOrSet needs a factory function', { factory_type: typeof factory });
      if (options !== undefined) {
        assertOptions(options);
        if (options.signal?.aborted) throw aborted(options.signal);
        if (options.forceRefresh === true) {
          assertValidKey(key);
          return this.#join(key, factory, this.#resolve(options), null);
        }
      }
      const lookup = this.#storage.lookup(key);
      if (!(lookup instanceof Promise)) {
        if (lookup !== null && !lookup.stale) return settledWith(lookup.value as T);
        return this.#afterLookup(key, factory, this.#resolve(options), lookup, undefined);
      }
      found = lookup;
      // Resolved before the answer arrives: what the caller passed counts, not what it changes later.
      o = this.#resolve(options);
    } catch (error) {
      // The lookup checks the key (see ReadThroughStorage.lookup), so a hit pays no check the cache
      // made when it stored the key; an argument error thrown before the lookup yields to the key's.
      return Promise.reject(invalidKeyError(key) ?? error);
    }
    // A remote lookup can miss on data older than a flight that settles before the answer arrives:
    // such a caller takes that flight's value instead of starting a second factory call.
    let pending = this.#lookups.get(key);
    if (pending === undefined) this.#lookups.set(key, (pending = { count: 0, settled: undefined }));
    pending.count++;
    const before = pending.settled;
    const entry = pending;
    const done = (): Flight<P> | undefined => {
      if (--entry.count === 0 && this.#lookups.get(key) === entry) this.#lookups.delete(key);
      return entry.settled === before ? undefined : entry.settled;
    };
    return found.then(
      (hit) => this.#afterLookup(key, factory, o, hit, done()),
      (error: unknown) => {
        done();
        throw error;
      },
    );
  }

  #afterLookup<T>(key: string, factory: Factory<T>, o: Resolved<T>, hit: ReadThroughHit | null, settledMeanwhile: Flight<P> | undefined): Promise<T> {
    if (hit !== null && !hit.stale) return Promise.resolve(hit.value as T);
    if (o.signal?.aborted) return Promise.reject(aborted(o.signal));
    if (settledMeanwhile?.result?.kind === 'prepared' && !this.#flights.has(key)) {
      this.counters.coalescedLocal++;
      return this.#wait<T>(key, settledMeanwhile, o, hit);
    }
    return this.#join(key, factory, o, hit);
  }

  #join<T>(key: string, factory: Factory<T>, o: Resolved<T>, stale: ReadThroughHit | null): Promise<T> {
    let flight = this.#flights.get(key);
    if (flight === undefined) flight = this.#start(key, factory, o, stale);
    else this.counters.coalescedLocal++;
    return this.#wait<T>(key, flight, o, stale);
  }

  #start<T>(key: string, factory: Factory<T>, o: Resolved<T>, stale: ReadThroughHit | null): Flight<P> {
    let settle!: (outcome: Outcome<P>) => void;
    const controller = new AbortController();
    const flight: Flight<P> = { controller, outcome: new Promise((resolve) => (settle = resolve)), waiters: 0, background: false, settled: false, result: undefined };
    this.#flights.set(key, flight);
    this.#running.add(flight.outcome);
    void this.#run(key, factory, o, stale, controller.signal).then((outcome) => {
      this.#running.delete(flight.outcome);
      flight.settled = true;
      flight.result = outcome;
      const pending = this.#lookups.get(key);
      if (pending !== undefined) pending.settled = flight;
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
      settle(outcome);
    });
    return flight;
  }

  /** Runs one flight to its outcome; never rejects. */
  async #run<T>(key: string, factory: Factory<T>, o: Resolved<T>, stale: ReadThroughHit | null, signal: AbortSignal): Promise<Outcome<P>> {
    let grant: LeaseGrant | undefined;
    try {
      if (this.#lease !== undefined) {
        const decision = await this.#lease.acquire(key, { signal, lock: o.lock, forceRefresh: o.forceRefresh });
        if (decision.kind === 'leader') grant = decision.grant;
        if (signal.aborted) return { kind: 'failed', error: signal.reason };
        if (decision.kind === 'unavailable') this.counters.leaseUnavailable++;
        else if (decision.kind !== 'leader' || decision.waited) this.counters.leaseWaits++;
        if (decision.kind === 'follower') {
          this.counters.coalescedRemote++;
          return { kind: 'prepared', prepared: decision.prepared };
        }
        if (decision.kind === 'timed_out') this.counters.leaseTimeouts++;
      }
      this.counters.factoryCalls++;
      let value: T;
      try {
        const ctx: FactoryContext<T> = Object.freeze({ key, signal, staleValue: stale === null ? undefined : (stale.value as T) });
        value = await factory(ctx);
        if (o.cacheIf !== undefined && !o.cacheIf(value)) return { kind: 'unstored', value };
      } catch (error) {
        this.counters.factoryErrors++;
        return { kind: 'failed', error: new FactoryError('The getOrSet factory failed; nothing was stored (the cause is the factory\'s error)', { code: 'FACTORY_ERROR', context: { reason: errorName(error) }, cause: error }) };
      }
      const prepared = this.#storage.prepare(key, value);
      await this.#storage.store(key, prepared, o.ttl, o.grace, grant, o.tags);
      return { kind: 'prepared', prepared };
    } catch (error) {
      return { kind: 'failed', error };
    } finally {
      if (grant !== undefined) await releaseQuietly(grant);
    }
  }

  #wait<T>(key: string, flight: Flight<P>, o: Resolved<T>, stale: ReadThroughHit | null): Promise<T> {
    flight.waiters++;
    return new Promise<T>((resolve, reject) => {
      let done = false;
      let soft: ReturnType<typeof setTimeout> | undefined;
      let hard: ReturnType<typeof setTimeout> | undefined;
      const onAbort = (): void => {
        if (finish(false)) reject(aborted(o.signal as AbortSignal));
      };
      const finish = (background: boolean): boolean => {
        if (done) return false;
        done = true;
        if (soft !== undefined) clearTimeout(soft);
        if (hard !== undefined) clearTimeout(hard);
        o.signal?.removeEventListener('abort', onAbort);
        flight.waiters--;
        if (background) flight.background = true;
        if (flight.waiters === 0 && !flight.background && !flight.settled) this.#abandon(key, flight);
        return true;
      };
      const serveStale = (): void => {
        this.counters.graceHits++;
        resolve((stale as ReadThroughHit).value as T);
      };
      o.signal?.addEventListener('abort', onAbort, { once: true });
      if (o.timeout !== undefined && stale !== null) {
        soft = setTimeout(() => {
          if (!finish(true)) return;
          this.counters.softTimeouts++;
          serveStale();
        }, o.timeout);
        soft.unref?.();
      }
      if (o.hardTimeout !== undefined) {
        const ms = o.hardTimeout;
        hard = setTimeout(() => {
          if (!finish(false)) return;
          this.counters.hardTimeouts++;
          if (stale !== null) serveStale();
          else reject(new FactoryTimeoutError(`The getOrSet factory did not answer within the hard timeout of ${ms} ms`, { code: 'FACTORY_TIMEOUT', context: { hard_timeout_ms: ms } }));
        }, ms);
        hard.unref?.();
      }
      void flight.outcome.then((outcome) => {
        if (!finish(false)) return;
        if (outcome.kind === 'failed') {
          if (stale !== null && !isValidationError(outcome.error)) serveStale();
          else reject(outcome.error);
          return;
        }
        if (outcome.kind === 'unstored') {
          resolve(outcome.value as T);
          return;
        }
        try {
          resolve(this.#storage.materialize(outcome.prepared) as T);
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  /** No caller waits any more: abort the factory and let a new caller start a fresh flight. */
  #abandon(key: string, flight: Flight<P>): void {
    if (this.#flights.get(key) === flight) this.#flights.delete(key);
    flight.controller.abort(new AbortedError('No caller waits for this getOrSet factory call any more', { code: 'ABORTED' }));
  }

  /** The resolved form of `options`, already checked by {@link assertOptions}. */
  #resolve<T>(options: GetOrSetOptions<T> | undefined): Resolved<T> {
    if (options === undefined) return { ttl: this.#defaultTtl(), grace: 0, timeout: undefined, hardTimeout: undefined, signal: undefined, forceRefresh: false, cacheIf: undefined, lock: NO_LOCK, tags: NO_TAGS };
    const { ttl, grace, timeout, hardTimeout, signal, forceRefresh, cacheIf, lock } = options;
    return {
      ttl: resolveTtlSeconds(ttl, this.#defaultTtl()),
      grace: graceSeconds(grace),
      timeout: timeoutMs(timeout, 'timeout'),
      hardTimeout: timeoutMs(hardTimeout, 'hardTimeout'),
      signal,
      forceRefresh: forceRefresh === true,
      cacheIf,
      lock: lockOptions(lock),
      tags: resolveTags(options),
    };
  }
}

/** A promise of `value`: an async function's return costs less than `Promise.resolve` on the hit path. */
async function settledWith<T>(value: T): Promise<T> {
  return value;
}

function aborted(signal: AbortSignal): AbortedError {
  return new AbortedError('getOrSet was aborted by the caller\'s signal', { code: 'ABORTED', cause: signal.reason });
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

async function releaseQuietly(grant: LeaseGrant): Promise<void> {
  try {
    await grant.release();
  } catch {
    // The lease expires on its own; a failed release only delays the next leader.
  }
}
