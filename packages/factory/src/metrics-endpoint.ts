import type { registerPrometheusMetrics } from '@cache/monitoring/prometheus';
import type { CacheServiceKind, CacheServiceProvider } from './provider.js';

/** A prom-client `Registry` (the caller's, or a new one when omitted). */
export type MetricsRegistry = Parameters<typeof registerPrometheusMetrics>[1];

/** Options of the `/metrics` route of every adapter. */
export interface MetricsRouteOptions {
  /** Registry to expose (other metrics of the app included); default a new prom-client `Registry`. */
  registry?: MetricsRegistry;
  /** Route path; default `/metrics`. */
  path?: string;
}

/** What a scrape answers. */
export interface MetricsScrape {
  contentType: string;
  text: string;
}

const escapeLabel = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * The Prometheus text of the provider's factory monitor (via `@cache/monitoring/prometheus`, loaded
 * on first scrape, so prom-client is needed only when the route is used) plus two gauges per
 * registered service: `cache_fallback_active` (1 while it is an in-memory fallback) and
 * `cache_redis_ready` (1 while its Redis connection is `ready`).
 */
export function createMetricsScraper(provider: CacheServiceProvider, kind: CacheServiceKind, o: MetricsRouteOptions = {}): () => Promise<MetricsScrape> {
  let registry: Promise<MetricsRegistry> | undefined;
  const setup = async (): Promise<MetricsRegistry> => {
    const [{ registerPrometheusMetrics: register }, promClient, cache] = await Promise.all([
      import('@cache/monitoring/prometheus'),
      o.registry ? null : import('prom-client'),
      provider.service(kind),
    ]);
    const target = o.registry ?? new (promClient as typeof import('prom-client')).Registry();
    const monitor = provider.factory.performanceMonitor;
    const name = (cache as { name?: unknown }).name;
    if (monitor) register(monitor, target, { cache: typeof name === 'string' ? name : kind });
    return target;
  };
  return async () => {
    registry ??= setup().catch((error: unknown) => {
      registry = undefined;
      throw error;
    });
    const target = await registry;
    const lines = ['# HELP cache_fallback_active 1 while the service is an in-memory fallback because Redis is unreachable', '# TYPE cache_fallback_active gauge'];
    const ready = ['# HELP cache_redis_ready 1 while the service\'s Redis connection is ready', '# TYPE cache_redis_ready gauge'];
    for (const key of provider.registry.keys()) {
      const cache = provider.registry.peek(key);
      if (!cache) continue;
      const label = `{service="${escapeLabel(key)}"}`;
      lines.push(`cache_fallback_active${label} ${provider.registry.isFallback(cache) ? 1 : 0}`);
      const state = (cache as { connectionState?: unknown }).connectionState;
      ready.push(`cache_redis_ready${label} ${state === 'ready' ? 1 : 0}`);
    }
    return { contentType: target.contentType, text: `${await target.metrics()}${[...lines, ...ready].join('\n')}\n` };
  };
}
