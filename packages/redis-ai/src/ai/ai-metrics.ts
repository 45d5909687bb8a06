import type { TextTier } from './text.js';

/** A tier, or `unknown` when a key's text size cannot be known. */
export type TierLabel = TextTier | 'unknown';

/** One AI cache operation as recorded by the metrics listeners. */
export interface AiOperationRecord {
  operation: string;
  cacheOperation: 'get' | 'set';
  textTier: TierLabel;
  /** Epoch ms (the cache's clock). */
  timestamp: number;
  durationMs: number;
  /** Hit for a get; stored for a set. */
  success: boolean;
  bytes?: number;
  ttl?: number;
}

/** Deep copy of the AI metrics (see `AIResponseCache.getAiMetrics`). */
export interface AiMetricsSnapshot {
  cacheHitsByOperation: Record<string, number>;
  cacheMissesByOperation: Record<string, number>;
  textTierDistribution: Record<string, number>;
  invalidationsByOperation: Record<string, number>;
  /** Newest 1000 records, oldest first. */
  operationPerformance: AiOperationRecord[];
}

const RECORD_LIMIT = 1000;

/** A map without a prototype, so operation names such as `__proto__` or `constructor` are plain keys. */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function bump(map: Record<string, number>, name: string, by = 1): void {
  map[name] = (map[name] ?? 0) + by;
}

/** Counters per operation and tier plus a ring of the newest 1000 operation records. */
export class AiMetrics {
  readonly hits: Record<string, number> = dict();
  readonly misses: Record<string, number> = dict();
  readonly tiers: Record<string, number> = dict();
  readonly invalidations: Record<string, number> = dict();
  readonly #records: AiOperationRecord[] = [];
  #next = 0;

  /** A get of an AI key: a hit or a miss for `operation`, counted under `tier`. */
  recordGet(operation: string, tier: TierLabel, hit: boolean, durationMs: number, timestamp: number): void {
    bump(hit ? this.hits : this.misses, operation);
    bump(this.tiers, tier);
    this.#push({ operation, cacheOperation: 'get', textTier: tier, timestamp, durationMs, success: hit });
  }

  /** A successful set of an AI key. */
  recordSet(operation: string, tier: TierLabel, durationMs: number, timestamp: number, bytes: number, ttl: number): void {
    this.#push({ operation, cacheOperation: 'set', textTier: tier, timestamp, durationMs, success: true, bytes, ttl });
  }

  /** Keys removed by an operation-scoped invalidation (recorded even for 0). */
  recordInvalidation(operation: string, count: number): void {
    bump(this.invalidations, operation, count);
  }

  /** The kept records, oldest first (a new array; records are shared). */
  records(): AiOperationRecord[] {
    const r = this.#records;
    return r.length < RECORD_LIMIT ? [...r] : [...r.slice(this.#next), ...r.slice(0, this.#next)];
  }

  /** Deep copy of everything. */
  snapshot(): AiMetricsSnapshot {
    return {
      cacheHitsByOperation: { ...this.hits },
      cacheMissesByOperation: { ...this.misses },
      textTierDistribution: { ...this.tiers },
      invalidationsByOperation: { ...this.invalidations },
      operationPerformance: this.records().map((record) => ({ ...record })),
    };
  }

  #push(record: AiOperationRecord): void {
    if (this.#records.length < RECORD_LIMIT) this.#records.push(record);
    else this.#records[this.#next] = record;
    this.#next = (this.#next + 1) % RECORD_LIMIT;
  }
}
