import { tracingChannel, type TracingChannel } from 'node:diagnostics_channel';
import { keyFingerprint } from './fingerprint.js';

/** The operations traced, one `node:diagnostics_channel` TracingChannel each. */
export type TracedOperation = 'get' | 'set' | 'delete' | 'getOrSet' | 'getMany' | 'setMany';

/**
 * What a subscriber of a cache TracingChannel receives (the same object at `start`, `end`,
 * `asyncStart`, `asyncEnd` and `error`). It names the cache and fingerprints the key(s), never
 * carries a key or a value: `result` is never set.
 */
export interface CacheTraceContext {
  /** The operation, e.g. `'get'`. */
  readonly operation: TracedOperation;
  /** The cache's `name` (its metrics label). */
  readonly cache: string;
  /** The cache's kind, e.g. `'memory'`, `'redis'`. */
  readonly kind: string;
  /** Key fingerprint (core `keyFingerprint`) of a single-key operation. */
  readonly keyFingerprint?: string;
  /** Number of keys of a batch operation (`getMany`, `setMany`). */
  readonly keyCount?: number;
  /** Set when the operation resolved: for reads, whether it found a value (for a batch, how many). */
  hit?: boolean;
  /** Set for a batch read when it resolved: how many keys had a value. */
  hits?: number;
  /** Set at `error`: what the operation rejected with. */
  error?: unknown;
}

/**
 * Channel names, `@cache:<operation>`: subscribe with
 * `diagnostics_channel.tracingChannel('@cache:get').subscribe({ start, asyncEnd, error, … })`.
 * Node derives the event channels `tracing:@cache:get:start` and so on.
 */
export const CACHE_TRACING_CHANNELS: Readonly<Record<TracedOperation, string>> = Object.freeze({
  get: '@cache:get',
  set: '@cache:set',
  delete: '@cache:delete',
  getOrSet: '@cache:getOrSet',
  getMany: '@cache:getMany',
  setMany: '@cache:setMany',
});

type CacheChannel = TracingChannel<unknown, CacheTraceContext>;

const channels = new Map<TracedOperation, CacheChannel>();
for (const [operation, name] of Object.entries(CACHE_TRACING_CHANNELS) as Array<[TracedOperation, string]>) {
  channels.set(operation, tracingChannel<unknown, CacheTraceContext>(name));
}

/** The TracingChannel of `operation` (the same object for every cache). */
export function cacheTracingChannel(operation: TracedOperation): TracingChannel<unknown, CacheTraceContext> {
  return channels.get(operation) as CacheChannel;
}

/**
 * Runs `run` traced on the operation's channel when someone subscribes, else just runs it: the
 * check is one property read, so tracing costs nothing while nobody listens. `outcome` fills
 * `hit`/`hits` from the result; the result itself is never put on the context.
 */
export function traceCacheOperation<R>(
  operation: TracedOperation,
  cache: { readonly name: string; readonly kind: string },
  keys: unknown,
  run: () => Promise<R>,
  outcome?: (result: R, context: CacheTraceContext) => void,
): Promise<R> {
  const channel = channels.get(operation) as CacheChannel;
  if (!channel.hasSubscribers) return run();
  // `keys` is not validated yet (the operation does that, and rejects): describe only what is safe.
  const context: CacheTraceContext =
    typeof keys === 'string'
      ? { operation, cache: cache.name, kind: cache.kind, keyFingerprint: keyFingerprint(keys) }
      : Array.isArray(keys)
        ? { operation, cache: cache.name, kind: cache.kind, keyCount: keys.length }
        : { operation, cache: cache.name, kind: cache.kind };
  let result: R;
  return channel
    .tracePromise(async () => {
      result = await run();
      outcome?.(result, context);
    }, context)
    .then(() => result);
}
