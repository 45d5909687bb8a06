import { tracingChannel } from 'node:diagnostics_channel';
import { CACHE_TRACING_CHANNELS, type CacheTraceContext, type TracedOperation } from '@cache/core';

/** One finished cache operation, as {@link subscribeCacheOperations} reports it. Never a key or a value. */
export interface CacheOperationEvent {
  readonly operation: TracedOperation;
  /** The cache's name (its metrics label). */
  readonly cache: string;
  /** The cache's kind, e.g. `'memory'`, `'redis'`. */
  readonly kind: string;
  /** When the operation started, epoch ms (fractional; for a span's start time). */
  readonly startTime: number;
  /** How long it took, ms (monotonic). */
  readonly durationMs: number;
  /** Key fingerprint (8 hex of SHA-256) of a single-key operation. */
  readonly keyFingerprint?: string;
  /** Number of keys of a batch operation. */
  readonly keyCount?: number;
  /** Whether a single-key read (`get`, `getOrSet`) found a value. */
  readonly hit?: boolean;
  /** How many keys of a batch read had a value. */
  readonly hits?: number;
  /** Set when the operation rejected: the error's name and, for a `CacheError`, its code (never its message). */
  readonly error?: { readonly name: string; readonly code?: string };
}

/** Handle of {@link subscribeCacheOperations}; `using` it unsubscribes at the end of the scope. */
export interface CacheOperationSubscription extends Disposable {
  /** Stops the listener; once nothing else listens, caches trace at no cost again. Idempotent. */
  unsubscribe(): void;
}

/** Options of {@link subscribeCacheOperations}. */
export interface SubscribeCacheOperationsOptions {
  /** Which caches to report, by name (and kind); default every cache of the process. */
  caches?: ReadonlySet<string> | ((cache: string, kind: string) => boolean);
  /** Told (at most once per subscription) when the listener throws; the cache operation is never affected. Default: nothing. */
  onListenerError?: (error: unknown) => void;
}

const OPERATIONS = Object.keys(CACHE_TRACING_CHANNELS) as TracedOperation[];

/**
 * Turns the `@cache:*` TracingChannels of `node:diagnostics_channel` (published by every `@cache/*`
 * cache) into one event per finished operation: operation, cache, kind, start time, duration,
 * hit/hits and the error's name and code. Feed it to spans, histograms or a sampler. A listener
 * that throws never fails the cache operation. While no one subscribes, caches pay one
 * `hasSubscribers` read per call; `unsubscribe()` restores that.
 */
export function subscribeCacheOperations(listener: (event: CacheOperationEvent) => void, o: SubscribeCacheOperationsOptions = {}): CacheOperationSubscription {
  const filter = o.caches;
  const wanted = filter === undefined ? () => true : typeof filter === 'function' ? filter : (cache: string) => filter.has(cache);
  const started = new WeakMap<object, number>();
  let warned = false;
  const handlers = {
    start(message: unknown): void {
      const ctx = message as CacheTraceContext;
      if (wanted(ctx.cache, ctx.kind)) started.set(ctx, performance.now());
    },
    asyncEnd(message: unknown): void {
      const ctx = message as CacheTraceContext;
      const at = started.get(ctx);
      if (at === undefined) return;
      started.delete(ctx);
      try {
        listener(toEvent(ctx, at));
      } catch (error) {
        if (!warned) {
          warned = true;
          o.onListenerError?.(error);
        }
      }
    },
    // Required by the TracingChannel handler shape; the event is emitted at asyncEnd.
    end(): void {},
    asyncStart(): void {},
    error(): void {},
  };
  const channels = OPERATIONS.map((operation) => tracingChannel(CACHE_TRACING_CHANNELS[operation]));
  for (const channel of channels) channel.subscribe(handlers);
  let active = true;
  const unsubscribe = (): void => {
    if (!active) return;
    active = false;
    for (const channel of channels) channel.unsubscribe(handlers);
  };
  return { unsubscribe, [Symbol.dispose]: unsubscribe };
}

function toEvent(ctx: CacheTraceContext, at: number): CacheOperationEvent {
  const error = ctx.error;
  return {
    operation: ctx.operation,
    cache: ctx.cache,
    kind: ctx.kind,
    startTime: performance.timeOrigin + at,
    durationMs: performance.now() - at,
    ...(ctx.keyFingerprint === undefined ? {} : { keyFingerprint: ctx.keyFingerprint }),
    ...(ctx.keyCount === undefined ? {} : { keyCount: ctx.keyCount }),
    ...(ctx.hit === undefined ? {} : { hit: ctx.hit }),
    ...(ctx.hits === undefined ? {} : { hits: ctx.hits }),
    ...('error' in ctx ? { error: describeError(error) } : {}),
  };
}

function describeError(error: unknown): { name: string; code?: string } {
  if (!(error instanceof Error)) return { name: typeof error };
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? { name: error.name, code } : { name: error.name };
}
