import type { ReadThroughCounters } from '@cache/core';

/** Full statistics of an `InMemoryCache` (`getStats()`). */
export interface MemoryCacheStats {
  /** Entries held, expired-but-unpurged included. */
  totalEntries: number;
  /** Held entries no longer fresh (past their TTL, in a grace period or not yet purged; counted, not removed). */
  expiredEntries: number;
  /** `totalEntries - expiredEntries`. */
  activeEntries: number;
  /** Configured capacity. */
  maxSize: number;
  /** `"<activeEntries>/<maxSize>"`. */
  utilization: string;
  /** `activeEntries / maxSize * 100`, unrounded. */
  utilizationPercent: number;
  /** Configured default TTL, seconds. */
  defaultTtl: number;
  /** `get` hits. */
  hits: number;
  /** `get` misses. */
  misses: number;
  /** Hit rate: hits / lookups, a ratio 0..1 (`0` before any lookup). */
  hitRate: number;
  /** LRU evictions (expiry purges are not evictions). */
  evictions: number;
  /** Estimated bytes held. */
  memoryUsageBytes: number;
  /** Alias of `activeEntries` (compatibility). */
  memoryCacheEntries: number;
  /** Alias of `maxSize` (compatibility). */
  memoryCacheSize: number;
  /** `memoryUsageBytes` as a human string, e.g. `233B`, `1.5KB`, `2.0MB`. */
  memoryUsage: string;
  /** `getOrSet` counters (the lease counters stay 0: no other process shares this cache). */
  readThrough: ReadThroughCounters;
}

/** Short statistics (`getCacheStatistics()`), same formulas as {@link MemoryCacheStats}. */
export interface MemoryCacheStatistics {
  activeEntries: number;
  totalEntries: number;
  memoryUsage: string;
  maxSize: number;
  utilizationPercent: number;
}

/** Invalidation history: always empty, the memory cache keeps none. */
export interface InvalidationFrequencyStats {
  frequency: Record<string, never>;
  patterns: Record<string, never>;
  totalOperations: 0;
  performance: Record<string, never>;
}

const KIB = 1024;
const MIB = 1024 * 1024;

/** `≥ 1 MiB` → one decimal + `MB`; `≥ 1 KiB` → one decimal + `KB`; else whole bytes + `B`. */
export function formatMemoryUsage(bytes: number): string {
  if (bytes >= MIB) return `${(bytes / MIB).toFixed(1)}MB`;
  if (bytes >= KIB) return `${(bytes / KIB).toFixed(1)}KB`;
  return `${Math.round(bytes)}B`;
}
