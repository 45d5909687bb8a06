import { isLogLevelEnabled, keyFingerprint } from '@cache/core';
import type { Logger } from '@cache/core';

/**
 * Wraps the injected {@link Logger} so per-operation debug/info lines cost a field read when they
 * would be dropped, and the SHA-256 key fingerprint is computed only for lines actually emitted.
 * Whether a level is enabled is core's {@link isLogLevelEnabled}; for a frozen logger without
 * `isLevelEnabled` (core's default/silent/console loggers) the answer cannot change, so it is
 * decided once here; otherwise (e.g. pino-style loggers whose level changes at run time) it is
 * asked per call. Raw keys and values never reach the logger. Internal to the package.
 */
export class LogGate {
  private readonly fixed: boolean;
  private readonly debugFixed: boolean;
  private readonly infoFixed: boolean;

  constructor(readonly logger: Logger) {
    const probe = (logger as { isLevelEnabled?: unknown }).isLevelEnabled;
    this.fixed = Object.isFrozen(logger) && typeof probe !== 'function';
    this.debugFixed = isLogLevelEnabled(logger, 'debug');
    this.infoFixed = isLogLevelEnabled(logger, 'info');
  }

  /** True when a debug line would be emitted. */
  debugEnabled(): boolean {
    return this.fixed ? this.debugFixed : isLogLevelEnabled(this.logger, 'debug');
  }

  /** True when an info line would be emitted. */
  infoEnabled(): boolean {
    return this.fixed ? this.infoFixed : isLogLevelEnabled(this.logger, 'info');
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
