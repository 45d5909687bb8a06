import type { CacheInterface } from '@cache/core';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { healthResponse } from './http.js';
import { createMetricsScraper, type MetricsRouteOptions } from './metrics-endpoint.js';
import type { CacheServiceKind, CacheServiceProvider } from './provider.js';

/** Options of {@link cachePlugin}. */
export interface CachePluginOptions {
  /** Where the cache service comes from; the plugin shuts it down when Fastify closes. */
  provider: CacheServiceProvider;
  /** Which service to decorate with; default `'main'`. */
  kind?: CacheServiceKind;
  /** Decorator name; default `'cache'` (typed as `fastify.cache`). */
  decorateAs?: string;
  /** Path of a GET health route (e.g. `/cache/health`); none when omitted. */
  healthPath?: string;
  /** Adds a GET Prometheus route (`/metrics` unless `path` is given); needs prom-client. */
  metrics?: MetricsRouteOptions | boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The cache service decorated by `@cache/factory/fastify` (under the default name). */
    cache: CacheInterface;
  }
}

const plugin: FastifyPluginAsync<CachePluginOptions> = async (app: FastifyInstance, o: CachePluginOptions) => {
  const kind = o.kind ?? 'main';
  app.decorate(o.decorateAs ?? 'cache', await o.provider.service(kind));
  app.addHook('onClose', async () => {
    await o.provider.shutdown();
  });
  if (o.healthPath !== undefined) {
    app.get(o.healthPath, async (_request, reply) => {
      const { statusCode, body } = await healthResponse(o.provider, kind);
      return reply.code(statusCode).send(body);
    });
  }
  if (o.metrics) {
    const options = o.metrics === true ? {} : o.metrics;
    const scrape = createMetricsScraper(o.provider, kind, options);
    app.get(options.path ?? '/metrics', async (_request, reply) => {
      const { contentType, text } = await scrape();
      return reply.type(contentType).send(text);
    });
  }
};

/**
 * Fastify plugin (not encapsulated, like `fastify-plugin`): resolves the provider's service once
 * while registering and decorates the instance with it (`fastify.cache`), adds the optional
 * health (200 healthy/degraded, 503 otherwise) and Prometheus routes, and shuts the provider
 * down in `onClose`, so `await app.close()` leaves no connection open.
 */
export const cachePlugin: FastifyPluginAsync<CachePluginOptions> = Object.assign(plugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: '@cache/factory',
  [Symbol.for('plugin-meta')]: { name: '@cache/factory', fastify: '5.x' },
});
