import { guardRecorderCall, logRecorderFailure, type CacheMetricsRecorder, type Logger } from '@cache/core';

/** Where an operation was answered. */
export type OperationTier = 'l1' | 'redis' | 'none';

type Extra = Readonly<{ tier: OperationTier; reason: string }>;

/**
 * Reports to core's `CacheMetricsRecorder`: the rich hooks when present, else
 * `recordOperation`. Per-operation `extra` objects are frozen and reused, never built per call;
 * recorder failures are swallowed (core rule 23).
 */
export class MetricsReporter {
  readonly #recorder: CacheMetricsRecorder | undefined;
  readonly #logger: Logger;
  readonly #extras = new Map<string, Extra>();

  constructor(recorder: CacheMetricsRecorder | undefined, logger: Logger) {
    this.#recorder = recorder;
    this.#logger = logger;
  }

  #extra(tier: OperationTier, reason: string): Extra {
    const id = `${tier}:${reason}`;
    let extra = this.#extras.get(id);
    if (!extra) {
      extra = Object.freeze({ tier, reason });
      this.#extras.set(id, extra);
    }
    return extra;
  }

  /** One get/set/delete/exists measurement; `cacheHit`: get = hit, set = stored anywhere, delete = existed, exists = its result. */
  operation(operation: string, durationMs: number, cacheHit: boolean, tier: OperationTier, reason: string): void {
    const recorder = this.#recorder;
    if (!recorder) return;
    try {
      if (recorder.recordCacheOperationTime) {
        recorder.recordCacheOperationTime(operation, durationMs, cacheHit, undefined, this.#extra(tier, reason));
      } else {
        guardRecorderCall(recorder.recordOperation(operation, durationMs, cacheHit), this.#logger);
      }
    } catch (error) {
      logRecorderFailure(this.#logger, error);
    }
  }

  /** A compression measurement. */
  compression(originalSize: number, compressedSize: number, compressionMs: number): void {
    const recorder = this.#recorder;
    if (!recorder?.recordCompressionRatio) return;
    try {
      recorder.recordCompressionRatio(originalSize, compressedSize, compressionMs, 'set');
    } catch (error) {
      logRecorderFailure(this.#logger, error);
    }
  }

  /** One invalidation, including 0 matches and degraded ones. */
  invalidation(
    pattern: string,
    keysInvalidated: number,
    durationMs: number,
    type: string,
    context: string,
    extra: Record<string, unknown>,
  ): void {
    const recorder = this.#recorder;
    if (!recorder) return;
    try {
      if (recorder.recordInvalidationEvent) {
        recorder.recordInvalidationEvent(pattern, keysInvalidated, durationMs, type, context, extra);
      } else {
        guardRecorderCall(recorder.recordOperation('invalidate', durationMs, extra.status === 'success'), this.#logger);
      }
    } catch (error) {
      logRecorderFailure(this.#logger, error);
    }
  }
}
