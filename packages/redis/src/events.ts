import { ValidationError, type Logger } from '@cache/core';
import type { ConnectionState } from './connection-state.js';
import type { RedisProblemKind } from './redis-errors.js';
import type { DecodeFailure } from './wire-format.js';

/**
 * Why a `get` missed. `invalidation_pending`: this instance has an invalidation of the key that
 * Redis has not applied yet, so Redis' copy is not served. `stale`: the value is past its fresh
 * time, kept only for a `getOrSet` grace period.
 */
export type GetMissReason = 'not_found' | 'redis_unavailable' | 'redis_error' | 'decode_error' | 'invalidation_pending' | 'stale';
/** Kind of invalidation: `manual` (invalidatePattern), `clear`, or `operation_specific` (subclasses). */
export type InvalidationType = 'manual' | 'operation_specific' | 'clear';

/** Payload of the `invalidation` event. */
export interface InvalidationEvent {
  pattern: string;
  type: InvalidationType;
  context: string;
  /** Keys removed from L1. */
  l1: number;
  /** Keys removed from Redis. */
  redis: number;
  /** Distinct logical keys removed from either tier. */
  total: number;
  /** `partial` when Redis did not take it now: it stays pending (its keys are misses here) until Redis applies it. */
  status: 'success' | 'partial';
}

/**
 * Payload of the `redis_error` event: a Redis command failed or was refused. Emitted at most once
 * per kind and command per minute; `suppressed` counts the occurrences not emitted since.
 */
export interface RedisErrorEvent {
  /** The cache operation, e.g. `set`, `delete`, `invalidate`, `replay`. */
  operation: string;
  /** The Redis command, upper case. */
  command: string;
  kind: RedisProblemKind;
  /** True when retrying cannot help (ACL, read-only replica, disabled command). */
  permanent: boolean;
  message: string;
  /** How to fix it, when known. */
  hint?: string;
  suppressed: number;
}

/** Typed events of `GenericRedisCache`; listeners run synchronously before the operation resolves. */
export interface CacheEventMap {
  get_success: (key: string, value: unknown, meta: { tier: 'l1' | 'redis'; durationMs: number }) => void;
  get_miss: (key: string, meta: { reason: GetMissReason; durationMs: number }) => void;
  set_success: (key: string, value: unknown, meta: { ttl: number; stored: 'redis' | 'l1_only'; bytes: number; durationMs: number }) => void;
  set_failed: (key: string, meta: { reason: 'redis_unavailable' | 'redis_error'; error?: string }) => void;
  delete_success: (key: string, meta: { degraded: boolean }) => void;
  decode_error: (key: string, meta: { reason: DecodeFailure }) => void;
  invalidation: (e: InvalidationEvent) => void;
  connection_state: (state: ConnectionState, previous: ConnectionState, error?: string) => void;
  redis_error: (e: RedisErrorEvent) => void;
}

/** Every event name, for validation. */
export const CACHE_EVENT_NAMES: ReadonlySet<string> = new Set<keyof CacheEventMap>([
  'get_success', 'get_miss', 'set_success', 'set_failed', 'delete_success', 'decode_error', 'invalidation', 'connection_state', 'redis_error',
]);

type AnyListener = (...args: never[]) => unknown;

/**
 * Listener registry with isolation: a listener that throws or rejects is logged once per failure,
 * counted through `onFailure`, and never changes the operation's result.
 */
export class EventHub {
  readonly #listeners = new Map<keyof CacheEventMap, AnyListener[]>();
  readonly #logger: Logger;
  readonly #onFailure: () => void;

  constructor(logger: Logger, onFailure: () => void) {
    this.#logger = logger;
    this.#onFailure = onFailure;
  }

  /** Adds a listener; returns its unsubscribe function. */
  on<E extends keyof CacheEventMap>(event: E, listener: CacheEventMap[E]): () => void {
    this.#check(event, listener);
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
    return () => this.off(event, listener);
  }

  /** Removes the first registration of `listener` for `event`. */
  off<E extends keyof CacheEventMap>(event: E, listener: CacheEventMap[E]): void {
    this.#check(event, listener);
    const current = this.#listeners.get(event);
    if (!current) return;
    const index = current.indexOf(listener);
    if (index === -1) return;
    const next = current.filter((_, i) => i !== index);
    if (next.length === 0) this.#listeners.delete(event);
    else this.#listeners.set(event, next);
  }

  /** True when `event` has a listener (lets callers skip building payloads). */
  has(event: keyof CacheEventMap): boolean {
    return this.#listeners.has(event);
  }

  /** Calls each listener of `event` in registration order, isolating failures. */
  emit<E extends keyof CacheEventMap>(event: E, ...args: Parameters<CacheEventMap[E]>): void {
    const listeners = this.#listeners.get(event);
    if (!listeners) return;
    for (const listener of listeners) {
      try {
        const result = (listener as (...a: Parameters<CacheEventMap[E]>) => unknown)(...args);
        if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
          (result as PromiseLike<unknown>).then(undefined, (error: unknown) => this.#fail(event, error));
        }
      } catch (error) {
        this.#fail(event, error);
      }
    }
  }

  #fail(event: string, error: unknown): void {
    this.#onFailure();
    this.#logger.warn(`Callback for event '${event}' failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  #check(event: unknown, listener: unknown): void {
    if (typeof event !== 'string' || !CACHE_EVENT_NAMES.has(event)) {
      throw new ValidationError(`Unknown cache event ${JSON.stringify(String(event))}; expected one of ${[...CACHE_EVENT_NAMES].join(', ')}`, {
        code: 'INVALID_EVENT',
        context: { event: String(event) },
      });
    }
    if (typeof listener !== 'function') {
      throw new ValidationError(`Listener for event '${event}' must be a function (got ${listener === null ? 'null' : typeof listener})`, {
        code: 'INVALID_LISTENER',
        context: { event, listener_type: listener === null ? 'null' : typeof listener },
      });
    }
  }
}
