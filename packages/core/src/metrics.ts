import type { Logger } from './logger.js';

/**
 * Receives per-operation measurements from caches (implemented by `@cache/monitoring`).
 * Hooks are positional so a call allocates nothing; durations are milliseconds. A recorder that
 * throws or rejects never fails the calling cache operation (see {@link guardRecorderCall}).
 */
export interface CacheMetricsRecorder {
  recordOperation(name: string, durationMs: number, success: boolean): void | Promise<void>;
  recordCacheOperationTime?(
    operation: string,
    durationMs: number,
    cacheHit: boolean,
    textLength?: number,
    extra?: Record<string, unknown>,
  ): void;
  recordKeyGenerationTime?(
    durationMs: number,
    textLength: number,
    operationType?: string,
    extra?: Record<string, unknown>,
  ): void;
  recordCompressionRatio?(
    originalSize: number,
    compressedSize: number,
    compressionTimeMs: number,
    operationType?: string,
  ): void;
  recordInvalidationEvent?(
    pattern: string,
    keysInvalidated: number,
    durationMs: number,
    invalidationType?: string,
    operationContext?: string,
    extra?: Record<string, unknown>,
  ): void;
}

/**
 * Makes a recorder hook's outcome harmless: a rejected promise is caught and logged at debug.
 * Call it with the hook's return value inside a `try` whose `catch` calls {@link logRecorderFailure}.
 */
export function guardRecorderCall(result: unknown, logger: Logger): void {
  if (result !== null && typeof result === 'object' && typeof (result as Promise<unknown>).then === 'function') {
    (result as Promise<unknown>).then(undefined, (error: unknown) => logRecorderFailure(logger, error));
  }
}

/** Logs (at debug) that a metrics recorder failed; the cache operation carries on. */
export function logRecorderFailure(logger: Logger, error: unknown): void {
  logger.debug('metrics recorder failed; ignored', {
    error_type: error instanceof Error ? error.name : typeof error,
  });
}
