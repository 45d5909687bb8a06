import { ValidationError, assertValidKey, keyFingerprint } from '@cache/core';
import type { InMemoryCache } from '@cache/memory';
import type { RedisConnection } from './connection.js';
import type { EventHub } from './events.js';
import type { KeyCoordinator } from './key-coordinator.js';
import { cloneJson, deepFreeze, type L1Mode } from './l1-values.js';
import type { L1Coherence } from './l1-coherence.js';
import type { MetricsReporter } from './metrics-reporter.js';
import type { Namespace } from './namespace.js';
import type { OperationReport } from './operation-report.js';
import type { ResolvedOptions } from './options.js';
import type { InvalidationLedger } from './pending-invalidations.js';
import type { ProblemReporter } from './problems.js';
import type { StatsCollector } from './stats.js';
import type { WireFormatConfig } from './wire-format.js';

/**
 * True when L1 may answer: its coherence channel is confirmed, or Redis is unreachable (L1 then
 * holds only this instance's own writes since the channel was lost).
 */
export function l1Readable(parts: CacheParts): boolean {
  return parts.coherence === null || parts.coherence.trusted || parts.conn.readyClient === null;
}

/** The pieces one `GenericRedisCache` is made of, shared by its read path, write path and invalidation engine. */
export interface CacheParts {
  readonly o: ResolvedOptions;
  readonly keyPrefix: string;
  /** Physical key layout (namespace generation) of every command. */
  readonly namespace: Namespace;
  readonly wire: WireFormatConfig;
  readonly l1: InMemoryCache | null;
  /** How L1 keeps and hands out values, decided once from the options (`l1Mode` in l1-values.ts). */
  readonly l1Mode: L1Mode;
  /** Keeps L1 coherent across instances; null without L1. */
  readonly coherence: L1Coherence | null;
  readonly conn: RedisConnection;
  readonly stats: StatsCollector;
  readonly events: EventHub;
  readonly metrics: MetricsReporter;
  readonly report: OperationReport;
  readonly problems: ProblemReporter;
  readonly keys: KeyCoordinator;
  readonly ledger: InvalidationLedger;
  /** The one implicit connect of an idle cache that its first operation awaits, or null. */
  startupGate(): Promise<unknown> | null;
}

const MAX_KEY_BYTES = 8192;

/** Core's key rule plus Redis' size guard: at most 8192 UTF-8 bytes, else `ValidationError` `INVALID_KEY`. */
export function assertRedisKey(key: unknown): asserts key is string {
  assertValidKey(key);
  if (key.length * 3 > MAX_KEY_BYTES && Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw new ValidationError(`Invalid cache key: longer than ${MAX_KEY_BYTES} UTF-8 bytes`, {
      code: 'INVALID_KEY',
      context: { key_type: 'string', key_bytes: Buffer.byteLength(key, 'utf8'), max_key_bytes: MAX_KEY_BYTES },
    });
  }
}

/** A Redis glob string, else `ValidationError` `INVALID_PATTERN`. */
export function assertPattern(pattern: unknown): asserts pattern is string {
  if (typeof pattern === 'string') return;
  throw new ValidationError(`Invalid invalidation pattern (${pattern === null ? 'null' : typeof pattern}): use a Redis glob string`, {
    code: 'INVALID_PATTERN',
    context: { pattern_type: pattern === null ? 'null' : typeof pattern },
  });
}

/**
 * Writes L1 through memory's synchronous path; a failure removes the key from L1 (never leaves an
 * older value) and warns, rate-limited. With the JSON codec L1 keeps its own JSON tree: a decode of
 * `codecBytes` (the bytes sent to Redis) when given, else `value` — a fresh decode the caller also
 * receives, so it is frozen in place (frozen mode) or copied (clone mode). `tags` label the L1
 * entry for `invalidateTags`.
 */
export function writeL1(parts: CacheParts, l1: InMemoryCache, key: string, value: unknown, ttlSeconds: number, codecBytes?: Uint8Array, tags?: readonly string[]): void {
  try {
    const mode = parts.l1Mode;
    let stored = value;
    if (mode !== 'codec') {
      stored = codecBytes !== undefined ? parts.o.codec.decode(codecBytes) : mode === 'clone' ? cloneJson(value) : value;
      if (mode === 'frozen') deepFreeze(stored);
    }
    l1.setSync(key, stored, tags === undefined || tags.length === 0 ? ttlSeconds : { ttl: ttlSeconds, tags });
    parts.coherence?.noteL1Write(key);
  } catch (error) {
    l1.deleteSync(key);
    parts.problems.warn('l1_write_failed', 'L1 write failed; entry removed from L1', {
      keyFingerprint: keyFingerprint(key),
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
