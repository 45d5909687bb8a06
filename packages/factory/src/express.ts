import type { CacheInterface } from '@cache/core';
import { healthResponse } from './http.js';
import { createMetricsScraper, type MetricsRouteOptions } from './metrics-endpoint.js';
import type { CacheServiceKind, CacheServiceProvider } from './provider.js';
import type { CleanupStats } from './registry.js';

/** The parts of an Express response the adapter uses (structural: no dependency on express or its types). */
export interface ExpressLikeResponse {
  locals: Record<string, unknown>;
  status(code: number): { json(body: unknown): unknown; send(body: string): unknown };
  set(field: string, value: string): unknown;
}

/** An Express-compatible handler. */
export type ExpressLikeHandler = (req: unknown, res: ExpressLikeResponse, next: (error?: unknown) => void) => void;

/** Sets `res.locals.cache` to the provider's `kind` service (resolved once, retried after a failure). */
export function cacheMiddleware(provider: CacheServiceProvider, o: { kind?: CacheServiceKind } = {}): ExpressLikeHandler {
  let cache: Promise<CacheInterface> | undefined;
  return (_req, res, next) => {
    cache ??= provider.service(o.kind ?? 'main').catch((error: unknown) => {
      cache = undefined;
      throw error;
    });
    cache.then((c) => {
      res.locals['cache'] = c;
      next();
    }, next);
  };
}

/** GET handler: the service's health, 200 for healthy/degraded, 503 otherwise, 500 for a configuration problem. */
export function healthHandler(provider: CacheServiceProvider, o: { kind?: CacheServiceKind } = {}): ExpressLikeHandler {
  return (_req, res, next) => {
    healthResponse(provider, o.kind).then(({ statusCode, body }) => res.status(statusCode).json(body), next);
  };
}

/** GET handler: Prometheus text of the factory's monitor plus the fallback/ready gauges (needs prom-client). */
export function metricsHandler(provider: CacheServiceProvider, o: MetricsRouteOptions & { kind?: CacheServiceKind } = {}): ExpressLikeHandler {
  const scrape = createMetricsScraper(provider, o.kind ?? 'main', o);
  return (_req, res, next) => {
    scrape().then(({ contentType, text }) => {
      res.set('Content-Type', contentType);
      res.status(200).send(text);
    }, next);
  };
}

/** Shuts the provider down when `server` emits `close`; resolves with the cleanup statistics then. */
export function closeOnShutdown(server: { once(event: 'close', listener: () => void): unknown }, provider: CacheServiceProvider): Promise<CleanupStats> {
  return new Promise((resolve) => server.once('close', () => void provider.shutdown().then(resolve)));
}
