import { ConfigurationError, MAX_TTL_SECONDS, coarseClock, defaultLogger, parseDuration } from '@cache/core';
import type { Clock, Codec, Duration, KeyGenerator, Logger } from '@cache/core';

/** Constructor options of `InMemoryCache`; every field is optional. */
export interface InMemoryCacheOptions {
  /** Name of this cache in statistics and metrics (the `cache` label); default `'memory'`. */
  name?: string;
  /** Default TTL: whole seconds 1..31 536 000 (bare number) or a duration string such as `'10m'`; default 3600. */
  defaultTtl?: Duration;
  /** Maximum number of entries, integer 1..10 000 000; default 1000. */
  maxSize?: number;
  /** Accepted for option parity with Redis caches; never changes behaviour. */
  failOnConnectionError?: boolean;
  /** Source of time (ms) for expiry; default core's `coarseClock` (monotonic, read at most once per ms; pass `monotonicClock` for an exact read per operation). */
  clock?: Clock;
  /** Where log lines go; default core's `defaultLogger` (warn and error only). */
  logger?: Logger;
  /** Key generator used by `buildKey` (e.g. `new CacheKeyGenerator()` from `@cache/redis-ai`). */
  keyGenerator?: KeyGenerator;
  /** When set, values are stored encoded and decoded into a fresh copy on every read. */
  codec?: Codec;
}

/** Default TTL, seconds. */
const DEFAULT_TTL_SECONDS = 3600;
/** Default capacity, entries. */
const DEFAULT_MAX_SIZE = 1000;
/** Largest `maxSize`, entries. */
const MAX_MAX_SIZE = 10_000_000;

/** Options after defaults and validation. */
export interface ResolvedMemoryOptions {
  name: string;
  defaultTtl: number;
  maxSize: number;
  clock: Clock;
  logger: Logger;
  keyGenerator: KeyGenerator | undefined;
  codec: Codec | undefined;
}

/**
 * Applies defaults and validates: type before range, `defaultTtl` before `maxSize`, then the
 * injected collaborators. Throws `ConfigurationError` `INVALID_CONFIGURATION` naming the parameter.
 */
export function resolveMemoryOptions(options: InMemoryCacheOptions | undefined): ResolvedMemoryOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw invalid('InMemoryCache options must be an object (or omitted)', { options: describe(options) });
  }
  const o = options ?? {};
  if (o.name !== undefined && (typeof o.name !== 'string' || o.name.trim() === '')) {
    throw invalid('name must be a non-empty string', { name: describe(o.name) });
  }
  const defaultTtl = integerInRange(o.defaultTtl, DEFAULT_TTL_SECONDS, 'defaultTtl', 'default_ttl', MAX_TTL_SECONDS, 'duration');
  const maxSize = integerInRange(o.maxSize, DEFAULT_MAX_SIZE, 'maxSize', 'max_size', MAX_MAX_SIZE, 'entries');
  if (o.failOnConnectionError !== undefined && typeof o.failOnConnectionError !== 'boolean') {
    throw invalid('failOnConnectionError must be a boolean', { fail_on_connection_error: describe(o.failOnConnectionError) });
  }
  assertMethods(o.clock, 'clock', ['now']);
  assertMethods(o.logger, 'logger', ['debug', 'info', 'warn', 'error']);
  assertMethods(o.keyGenerator, 'keyGenerator', ['generateCacheKey']);
  assertMethods(o.codec, 'codec', ['encode', 'decode']);
  return {
    name: o.name ?? 'memory',
    defaultTtl,
    maxSize,
    clock: o.clock ?? coarseClock,
    logger: o.logger ?? defaultLogger,
    keyGenerator: o.keyGenerator,
    codec: o.codec,
  };
}

/**
 * `given` as an integer in 1..`max`; with unit `duration` a duration string is read as seconds
 * first. The error context keeps `given`.
 */
function integerInRange(given: unknown, fallback: number, name: string, contextKey: string, max: number, unit: 'duration' | 'entries'): number {
  if (given === undefined) return fallback;
  const value = unit === 'duration' && typeof given === 'string' ? (parseDuration(given, 's') ?? given) : given;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalid(`${name} must be an integer, got ${describe(given)}`, { [contextKey]: given });
  }
  if (value < 1 || value > max) {
    const shown = unit === 'duration' ? "seconds (or a duration such as '10m')" : unit;
    throw invalid(`${name} must be between 1 and ${max} ${shown}, got ${describe(given)}`, { [contextKey]: given });
  }
  return value;
}

function assertMethods(value: unknown, name: string, methods: readonly string[]): void {
  if (value === undefined) return;
  const ok =
    typeof value === 'object' &&
    value !== null &&
    methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
  if (!ok) throw invalid(`${name} must be an object with ${methods.map((m) => `${m}()`).join(', ')}`, { [name]: describe(value) });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value;
}

function invalid(message: string, context: Record<string, unknown>): ConfigurationError {
  return new ConfigurationError(message, { code: 'INVALID_CONFIGURATION', context });
}
