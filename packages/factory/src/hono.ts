import type { CacheInterface } from '@cache/core';
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { healthResponse } from './http.js';
import { createMetricsScraper, type MetricsRouteOptions } from './metrics-endpoint.js';
import type { CacheServiceKind, CacheServiceProvider } from './provider.js';

/** Hono environment with the `cache` variable set by {@link cacheMiddleware}. */
export interface CacheVariables {
  Variables: { cache: CacheInterface };
}

/** Middleware: `c.set('cache', service)` (resolved once, retried after a failure). */
export function cacheMiddleware(provider: CacheServiceProvider, o: { kind?: CacheServiceKind } = {}): MiddlewareHandler<CacheVariables> {
  let cache: Promise<CacheInterface> | undefined;
  return async (c, next) => {
    cache ??= provider.service(o.kind ?? 'main').catch((error: unknown) => {
      cache = undefined;
      throw error;
    });
    c.set('cache', await cache);
    await next();
  };
}

/** Handler: the service's health as JSON, 200 for healthy/degraded, 503 otherwise, 500 for a configuration problem. */
export function healthHandler(provider: CacheServiceProvider, o: { kind?: CacheServiceKind } = {}): (c: Context) => Promise<Response> {
  return async (c) => {
    const { statusCode, body } = await healthResponse(provider, o.kind);
    return c.json(body, statusCode as ContentfulStatusCode);
  };
}

/** Handler: Prometheus text of the factory's monitor plus the fallback/ready gauges (needs prom-client). */
export function metricsHandler(provider: CacheServiceProvider, o: MetricsRouteOptions & { kind?: CacheServiceKind } = {}): (c: Context) => Promise<Response> {
  const scrape = createMetricsScraper(provider, o.kind ?? 'main', o);
  return async (c) => {
    const { contentType, text } = await scrape();
    return c.body(text, 200, { 'Content-Type': contentType });
  };
}
