import type { ReadThroughCounters } from '@cache/core';
import type { ConnectionState } from './connection-state.js';
import type { L1CoherenceStatus } from './l1-coherence.js';

/** The resettable counters of {@link RedisCacheStats}. */
export interface Counters {
  /** Connection attempts started (first connect and every back-off retry). */
  connects: number;
  /** Attempts that ended before the connection became usable. */
  connectFailures: number;
  /** Retries scheduled by the back-off strategy. */
  reconnects: number;
  gets: number;
  hitsL1: number;
  hitsRedis: number;
  misses: number;
  sets: number;
  setsRedis: number;
  setsL1Only: number;
  setsDropped: number;
  deletes: number;
  deletesDegraded: number;
  invalidations: number;
  invalidationsDegraded: number;
  /** Invalidations Redis refused permanently or too often, set aside (they keep fencing reads). */
  invalidationsQuarantined: number;
  /** Times the pending backlog outgrew `pendingInvalidationLimit` and was folded into coarser invalidations. */
  pendingInvalidationsWidened: number;
  /** Failed or refused Redis commands (each also classified in a `redis_error` event, rate-limited). */
  redisErrors: number;
  decodeErrors: number;
  callbackErrors: number;
}

/**
 * Counters of `GenericRedisCache.getStats()`, since construction or `resetStats()`, plus the
 * live state. Invariants: `gets = hitsL1 + hitsRedis + misses`, `sets = setsRedis + setsL1Only + setsDropped`.
 */
export interface RedisCacheStats extends Counters {
  /** The cache's `name` option. */
  name: string;
  connectionState: ConnectionState;
  /** Last connection error text (no credentials), if any. */
  lastConnectionError?: string;
  /** `(hitsL1 + hitsRedis) / gets`, a ratio 0..1; 0 without gets. */
  hitRate: number;
  /** Invalidations Redis has not applied yet (their keys are misses in Redis meanwhile), quarantined ones included. */
  pendingInvalidations: number;
  /** Of those, the ones set aside after permanent refusals; retried on every reconnect and once a minute. */
  quarantinedInvalidations: number;
  l1: { enabled: boolean; size: number; maxSize: number };
  /** How L1 stays coherent across instances (mode, trust, notification counters). */
  l1Coherence: L1CoherenceStatus;
  /** Mean duration of the last 10 get/set/delete operations, ms. */
  recentAvgOperationMs: number;
  /** `getOrSet` counters (factory calls, coalesced callers in this process and across processes, grace hits, timeouts, lease waits). */
  readThrough: ReadThroughCounters;
}

/**
 * `getCacheStats()`'s report: the shared shape (a `cache` identity, `performance` with a 0..1
 * `hitRate` over lookups), a `memory` section only when the L1 tier exists, and a `redis` section.
 */
export interface RedisCacheStatsReport {
  cache: { name: string; kind: 'redis' };
  performance: { hitRate: number; hits: number; misses: number; totalOperations: number };
  /** The L1 tier; absent when L1 is disabled. */
  memory?: { entries: number; maxEntries: number; bytes: number; coherence?: L1CoherenceStatus };
  redis: {
    status: ConnectionState;
    pendingInvalidations: number;
    quarantinedInvalidations: number;
    /** `used_memory` summed over every master; absent unless ready (or when INFO is refused). */
    usedMemoryBytes?: number;
  };
  [section: string]: unknown;
}

const RECENT = 10;

/** Mutable counters plus a ring of the last 10 operation durations. */
export class StatsCollector {
  counters: Counters = StatsCollector.#zero();
  readonly #recent = new Float64Array(RECENT);
  #recentCount = 0;
  #recentNext = 0;

  static #zero(): Counters {
    return {
      connects: 0, connectFailures: 0, reconnects: 0, gets: 0, hitsL1: 0, hitsRedis: 0, misses: 0,
      sets: 0, setsRedis: 0, setsL1Only: 0, setsDropped: 0, deletes: 0, deletesDegraded: 0,
      invalidations: 0, invalidationsDegraded: 0, invalidationsQuarantined: 0, pendingInvalidationsWidened: 0,
      redisErrors: 0, decodeErrors: 0, callbackErrors: 0,
    };
  }

  /** Records one get/set/delete duration. */
  recordDuration(ms: number): void {
    this.#recent[this.#recentNext] = ms;
    this.#recentNext = (this.#recentNext + 1) % RECENT;
    if (this.#recentCount < RECENT) this.#recentCount++;
  }

  /** Mean of the recorded durations (0 when none). */
  recentAverage(): number {
    if (this.#recentCount === 0) return 0;
    let sum = 0;
    for (let i = 0; i < this.#recentCount; i++) sum += this.#recent[i] ?? 0;
    return sum / this.#recentCount;
  }

  /** Zeroes every counter and the duration ring. */
  reset(): void {
    this.counters = StatsCollector.#zero();
    this.#recentCount = 0;
    this.#recentNext = 0;
  }
}
