import { keyFingerprint, silentLogger } from '@cache/core';
import type { Logger } from '@cache/core';

/**
 * Core's console loggers share one no-op function for every disabled level; `silentLogger.debug`
 * is that function. Comparing against it tells, for free, that a line would be dropped.
 */
const DROPPED = silentLogger.debug;

type LevelProbe = (level: string) => boolean;

/**
 * Wraps the injected {@link Logger} so per-operation debug/info lines cost a field read when they
 * would be dropped, and the SHA-256 key fingerprint is computed only for lines actually emitted.
 * A disabled level is recognised as core's shared no-op (default/silent/console loggers, decided
 * once when the logger is frozen as core's are) or, for pino-style loggers whose level can change
 * at run time, per call through `isLevelEnabled(level)`. Raw keys and values never reach the
 * logger. Internal to the package.
 */
export class LogGate {
  private readonly fixed: boolean;
  private readonly debugFixed: boolean;
  private readonly infoFixed: boolean;
  private readonly probe: LevelProbe | undefined;

  constructor(readonly logger: Logger) {
    const candidate = (logger as { isLevelEnabled?: unknown }).isLevelEnabled;
    this.probe = typeof candidate === 'function' ? (candidate as LevelProbe).bind(logger) : undefined;
    this.fixed = Object.isFrozen(logger) && this.probe === undefined;
    this.debugFixed = logger.debug !== DROPPED;
    this.infoFixed = logger.info !== DROPPED;
  }

  /** True when a debug line would be emitted. */
  debugEnabled(): boolean {
    if (this.fixed) return this.debugFixed;
    return this.logger.debug !== DROPPED && (this.probe === undefined || this.probe('debug'));
  }

  /** True when an info line would be emitted. */
  infoEnabled(): boolean {
    if (this.fixed) return this.infoFixed;
    return this.logger.info !== DROPPED && (this.probe === undefined || this.probe('info'));
  }

  /** Emits a debug line about `key` (as its fingerprint) plus one `field: value`; check {@link debugEnabled} first. */
  debugKey(message: string, key: string, field?: string, value?: unknown): void {
    this.logger.debug(message, meta(key, field, value));
  }

  /** Emits an info line about `key` (as its fingerprint) plus one `field: value`; check {@link infoEnabled} first. */
  infoKey(message: string, key: string, field?: string, value?: unknown): void {
    this.logger.info(message, meta(key, field, value));
  }
}

function meta(key: string, field: string | undefined, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { keyFingerprint: keyFingerprint(key) };
  if (field !== undefined) out[field] = value;
  return out;
}
