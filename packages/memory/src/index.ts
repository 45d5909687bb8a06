export { InMemoryCache } from './in-memory-cache.js';
export type { InMemoryCacheOptions } from './options.js';
export type { MemoryCacheStats, MemoryCacheStatistics, InvalidationFrequencyStats } from './stats.js';
