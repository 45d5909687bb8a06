import { keyFingerprint, silentLogger } from '@cache/core';
import type { Logger } from '@cache/core';

/**
 * Core's console loggers share one no-op function for every disabled level; `silentLogger.debug`
 * is that function. Comparing against it tells, for free, that a line would be dropped.
 */
const DROPPED = silentLogger.debug;

type LevelProbe = (level: string) => boolean;

/**
 * Wraps the injected {@link Logger} so per-operation debug/info lines cost one comparison when
 * they would be dropped, and the SHA-256 key fingerprint is computed only for lines actually
 * emitted. A disabled level is recognised as core's no-op (default/silent/console loggers) or,
 * for pino-style loggers, through their `isLevelEnabled(level)`. Raw keys and values are never
 * passed to the logger. Internal to the package.
 */
export class LogGate {
  private readonly probe: LevelProbe | undefined;

  constructor(readonly logger: Logger) {
    const candidate = (logger as { isLevelEnabled?: unknown }).isLevelEnabled;
    this.probe = typeof candidate === 'function' ? (candidate as LevelProbe).bind(logger) : undefined;
  }

  /** True when a `level` line would be emitted. */
  enabled(level: 'debug' | 'info'): boolean {
    if (this.logger[level] === DROPPED) return false;
    return this.probe === undefined || this.probe(level);
  }

  /** Emits a debug line about `key` (as its fingerprint), plus one `field: value`, if debug is enabled. */
  debugKey(message: string, key: string, field?: string, value?: unknown): void {
    if (this.enabled('debug')) this.logger.debug(message, meta(key, field, value));
  }

  /** Emits an info line about `key` (as its fingerprint), plus one `field: value`, if info is enabled. */
  infoKey(message: string, key: string, field?: string, value?: unknown): void {
    if (this.enabled('info')) this.logger.info(message, meta(key, field, value));
  }
}

function meta(key: string, field: string | undefined, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { keyFingerprint: keyFingerprint(key) };
  if (field !== undefined) out[field] = value;
  return out;
}
