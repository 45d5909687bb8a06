export { CachePerformanceMonitor } from './cache-performance-monitor.js';
export type { MemoryUsageInput } from './memory-measurement.js';
export type { CachePerformanceMonitorOptions } from './monitor-options.js';
export type { LlmSavingsTotal } from './llm-savings.js';
export { subscribeCacheOperations } from './cache-operations.js';
export type { CacheOperationEvent, CacheOperationSubscription, SubscribeCacheOperationsOptions } from './cache-operations.js';
export {
  createPerformanceMetric,
  createCompressionMetric,
  createMemoryUsageMetric,
  createInvalidationMetric,
} from './metric-records.js';
export type {
  PerformanceMetric,
  CompressionMetric,
  MemoryUsageMetric,
  InvalidationMetric,
  PerformanceMetricInput,
  CompressionMetricInput,
  MemoryUsageMetricInput,
  InvalidationMetricInput,
} from './metric-records.js';
export { estimateSize } from './estimate-size.js';
export type {
  Severity,
  MemoryAlert,
  InvalidationRecommendation,
  PerformanceStats,
  KeyGenerationStats,
  CacheOperationStats,
  OperationTypeStats,
  CompressionStats,
  MemoryUsageStats,
  MemoryUsageStatsEmpty,
  MemoryUsageStatsReport,
  InvalidationFrequencyStats,
  InvalidationFrequencyStatsEmpty,
  InvalidationFrequencyStatsReport,
  InvalidationAlertLevel,
  SlowOperations,
  SlowPerformanceItem,
  SlowCompressionItem,
  MetricsExport,
  CacheOperationBatch,
} from './report-types.js';
