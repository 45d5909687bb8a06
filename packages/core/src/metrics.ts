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
  /**
   * What one LLM cache hit saved (called by `@cache/redis-ai`'s `LlmRequestCache`, once per hit
   * that served a stored model response): `cache` is the storage cache's name, `model` is
   * `<provider>:<modelId>`, `operation` the call's operation. `inputTokens` counts every input
   * token of the stored call, `cachedInputTokens` the part of them the provider read from its own
   * prompt cache; `costUsd` is what the avoided call would have cost (0 without a price for the
   * model); `modelTimeMs` is the stored model latency. Positional, so a call allocates nothing.
   */
  recordLlmSavings?(
    cache: string,
    model: string,
    operation: string,
    inputTokens: number,
    outputTokens: number,
    cachedInputTokens: number,
    costUsd: number,
    modelTimeMs: number,
  ): void | Promise<void>;
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
