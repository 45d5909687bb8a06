import type { GetOrSetOptions } from './cache-interface.js';
import { parseDuration } from './duration.js';
import { ValidationError } from './errors.js';
import type { LeaseRequestOptions } from './read-through.js';
import { MAX_TTL_SECONDS, resolveTags, resolveTtlSeconds } from './validation.js';

// getOrSet's options: checked in place on every call (the hit path) and resolved by the engine on a miss.

/** Largest timeout `setTimeout` honours, ms. */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * Throws the `ValidationError` an invalid `options` is rejected with (the first problem, in the
 * order of {@link assertOptionValues}) and allocates nothing when every option present is a number, a
 * boolean, a function or a signal: the hit path checks options without resolving them. Options that
 * hold at most a TTL in whole seconds pass without the full check, which stays out of line so that
 * the hit path keeps the storage's lookup inlined.
 */
export function assertOptions(options: unknown): asserts options is GetOrSetOptions<unknown> {
  if (typeof options !== 'object' || options === null) throw invalid('INVALID_OPTIONS', 'getOrSet options must be an object', { options_type: options === null ? 'null' : typeof options });
  const { ttl, grace, timeout, hardTimeout, signal, forceRefresh, cacheIf, lock, tags } = options as GetOrSetOptions<unknown>;
  if (
    (ttl === undefined || (typeof ttl === 'number' && Number.isInteger(ttl) && ttl >= 1 && ttl <= MAX_TTL_SECONDS)) &&
    grace === undefined && timeout === undefined && hardTimeout === undefined && signal === undefined &&
    forceRefresh === undefined && cacheIf === undefined && lock === undefined && tags === undefined
  ) return;
  assertOptionValues(options, ttl, grace, timeout, hardTimeout, signal, forceRefresh, cacheIf, lock, tags);
}

/** Checks the option values {@link assertOptions} read once, in this order; throws the first problem's `ValidationError`. */
function assertOptionValues(options: object, ttl: unknown, grace: unknown, timeout: unknown, hardTimeout: unknown, signal: unknown, forceRefresh: unknown, cacheIf: unknown, lock: unknown, tags: unknown): void {
  if (signal !== undefined && !isAbortSignal(signal)) throw invalid('INVALID_OPTIONS', 'getOrSet signal must be an AbortSignal', { option: 'signal' });
  if (forceRefresh !== undefined && typeof forceRefresh !== 'boolean') throw invalid('INVALID_OPTIONS', 'getOrSet forceRefresh must be a boolean', { option: 'forceRefresh' });
  if (cacheIf !== undefined && typeof cacheIf !== 'function') throw invalid('INVALID_OPTIONS', 'getOrSet cacheIf must be a function', { option: 'cacheIf' });
  if (ttl !== undefined) resolveTtlSeconds(ttl, 1);
  if (grace !== undefined) graceSeconds(grace);
  if (timeout !== undefined) timeoutMs(timeout, 'timeout');
  if (hardTimeout !== undefined) timeoutMs(hardTimeout, 'hardTimeout');
  if (lock !== undefined) lockOptions(lock);
  if (tags !== undefined) resolveTags(options);
}

/** No tags (a shared frozen list). */
export const NO_TAGS: readonly string[] = Object.freeze([]);
/** No `lock` option: the lease's defaults. */
export const NO_LOCK: LeaseRequestOptions = Object.freeze({ ttlMs: undefined, waitMs: undefined });

/** The validated `lock` option, in ms; else its `ValidationError`. */
export function lockOptions(lock: unknown): LeaseRequestOptions {
  if (lock === undefined) return NO_LOCK;
  if (typeof lock !== 'object' || lock === null) throw invalid('INVALID_OPTIONS', 'getOrSet lock must be an object { ttl?, wait? } (milliseconds)', { option: 'lock' });
  const { ttl, wait } = lock as { ttl?: unknown; wait?: unknown };
  const ttlMs = timeoutMs(ttl, 'lock.ttl');
  if (ttlMs === 0) throw invalid('INVALID_TIMEOUT', 'Invalid lock.ttl 0: a lease must live at least 1 ms', { 'lock.ttl': 0 });
  return { ttlMs, waitMs: timeoutMs(wait, 'lock.wait') };
}

/** The validated `grace` option in whole seconds (0 when absent); else `INVALID_GRACE`. */
export function graceSeconds(grace: unknown): number {
  if (grace === undefined) return 0;
  const seconds = typeof grace === 'string' ? parseDuration(grace, 's') : grace;
  if (typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= 0 && seconds <= MAX_TTL_SECONDS) return seconds;
  throw invalid('INVALID_GRACE', `Invalid grace ${JSON.stringify(String(grace))}: use whole seconds from 0 to ${MAX_TTL_SECONDS} or a duration such as '10m'`, { grace: shown(grace) });
}

/** A validated timeout option in ms (`undefined` when absent); else `INVALID_TIMEOUT`. */
export function timeoutMs(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' ? parseDuration(value, 'ms') : value;
  if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 && ms <= MAX_TIMEOUT_MS) return ms;
  throw invalid('INVALID_TIMEOUT', `Invalid ${name} ${JSON.stringify(String(value))}: use milliseconds from 0 to ${MAX_TIMEOUT_MS} or a duration such as '2s'`, { [name]: shown(value) });
}

function shown(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'string' ? value : typeof value;
}

/** A `ValidationError` with `code` and `context`. */
export function invalid(code: string, message: string, context: Record<string, unknown>): ValidationError {
  return new ValidationError(message, { code, context });
}

function isAbortSignal(x: unknown): x is AbortSignal {
  return typeof x === 'object' && x !== null && typeof (x as AbortSignal).aborted === 'boolean' && typeof (x as AbortSignal).addEventListener === 'function';
}
