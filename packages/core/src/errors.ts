/** Structured, frozen context attached to every {@link CacheError}. */
export type ErrorContext = Readonly<Record<string, unknown>>;

/** Options accepted by every {@link CacheError} subclass constructor. */
export interface CacheErrorOptions {
  /** Stable UPPER_SNAKE discriminator; defaults per class. */
  code?: string;
  /** Structured details (snake_case keys); never secrets. Frozen; `{}` when omitted. */
  context?: Record<string, unknown>;
  /** The underlying error, kept as the ES2022 `cause`. */
  cause?: unknown;
}

/** Global brand: the same symbol in every installed copy of `@cache/core`. */
const BRAND: unique symbol = Symbol.for('@cache/core/error') as never;

type ErrorClass = { readonly name: string; readonly errorName?: string; readonly defaultCode?: string };

/**
 * Root of every error thrown across a `@cache/*` public API. Carries a stable `code`, a frozen
 * `context` and the original error as `cause`. Recognised by {@link CacheError.isCacheError} even
 * when two copies of `@cache/core` are installed.
 */
export abstract class CacheError extends Error {
  /** Code used when the constructor is given none. */
  static readonly defaultCode: string = 'CACHE_ERROR';
  /** Stable, UPPER_SNAKE error code, e.g. `INVALID_TTL`. */
  readonly code: string;
  /** Structured details; never undefined (`{}` when not given) and frozen. */
  readonly context: ErrorContext;
  constructor(message: string, options: CacheErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const lineage: string[] = [];
    for (let c = new.target as unknown as ErrorClass | null; c && c !== (Error as unknown); c = Object.getPrototypeOf(c)) {
      lineage.push(Object.hasOwn(c, 'errorName') ? (c.errorName as string) : c.name);
    }
    Object.defineProperty(this, 'name', { value: lineage[0], enumerable: false, configurable: true, writable: true });
    Object.defineProperty(this, BRAND, { value: Object.freeze(lineage), enumerable: false });
    this.code = options.code ?? (new.target as unknown as ErrorClass).defaultCode ?? 'CACHE_ERROR';
    this.context = Object.freeze({ ...(options.context ?? {}) });
  }

  /** Structured form for logs: name, code, message and context (no stack). */
  toJSON(): { name: string; code: string; message: string; context: ErrorContext } {
    return { name: this.name, code: this.code, message: this.message, context: this.context };
  }

  /** True for any `CacheError`, including one created by another installed copy of core. */
  static isCacheError(e: unknown): e is CacheError {
    return hasLineage(e, 'CacheError');
  }
}
Object.defineProperty(CacheError, 'errorName', { value: 'CacheError' });

function hasLineage(e: unknown, name: string): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const lineage = (e as { [BRAND]?: unknown })[BRAND];
  return Array.isArray(lineage) && lineage.includes(name);
}

/** Invalid configuration (constructor options, environment variables). Default code `CONFIGURATION_ERROR`. */
export class ConfigurationError extends CacheError {
  static override readonly defaultCode: string = 'CONFIGURATION_ERROR';
  static readonly errorName = 'ConfigurationError';
}

/** Invalid call arguments or data (keys, TTLs, values, tokens). Default code `VALIDATION_ERROR`. */
export class ValidationError extends CacheError {
  static override readonly defaultCode: string = 'VALIDATION_ERROR';
  static readonly errorName = 'ValidationError';
}

/** A backend or I/O failure (Redis down, timeouts). Default code `INFRASTRUCTURE_ERROR`. */
export class InfrastructureError extends CacheError {
  static override readonly defaultCode: string = 'INFRASTRUCTURE_ERROR';
  static readonly errorName = 'InfrastructureError';
}

/** True for a {@link ConfigurationError} (or subclass) from any installed copy of core. */
export function isConfigurationError(e: unknown): e is ConfigurationError {
  return hasLineage(e, 'ConfigurationError');
}

/** True for a {@link ValidationError} (or subclass) from any installed copy of core. */
export function isValidationError(e: unknown): e is ValidationError {
  return hasLineage(e, 'ValidationError');
}

/** True for an {@link InfrastructureError} (or subclass) from any installed copy of core. */
export function isInfrastructureError(e: unknown): e is InfrastructureError {
  return hasLineage(e, 'InfrastructureError');
}

/**
 * A `getOrSet` factory failed (threw, rejected, or its `cacheIf` threw). The factory's error is
 * the `cause`; every caller waiting on that factory call receives it, and nothing is stored.
 * Default code `FACTORY_ERROR`.
 */
export class FactoryError extends CacheError {
  static override readonly defaultCode: string = 'FACTORY_ERROR';
  static readonly errorName = 'FactoryError';
}

/** A `getOrSet` caller's `hardTimeout` passed before the factory answered. Default code `FACTORY_TIMEOUT`. */
export class FactoryTimeoutError extends CacheError {
  static override readonly defaultCode: string = 'FACTORY_TIMEOUT';
  static readonly errorName = 'FactoryTimeoutError';
}

/** A caller's `AbortSignal` fired: that call was abandoned (the signal's reason is the `cause`). Default code `ABORTED`. */
export class AbortedError extends CacheError {
  static override readonly defaultCode: string = 'ABORTED';
  static readonly errorName = 'AbortedError';
}

/** True for a {@link FactoryError} from any installed copy of core. */
export function isFactoryError(e: unknown): e is FactoryError {
  return hasLineage(e, 'FactoryError');
}

/** True for a {@link FactoryTimeoutError} from any installed copy of core. */
export function isFactoryTimeoutError(e: unknown): e is FactoryTimeoutError {
  return hasLineage(e, 'FactoryTimeoutError');
}

/** True for an {@link AbortedError} from any installed copy of core. */
export function isAbortedError(e: unknown): e is AbortedError {
  return hasLineage(e, 'AbortedError');
}
