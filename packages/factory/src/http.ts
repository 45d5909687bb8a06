import { isConfigurationError } from '@cache/core';
import type { CacheHealthStatus } from './health.js';
import type { CacheServiceKind, CacheServiceProvider } from './provider.js';

/** Status code and JSON body of a health request, the same in every adapter. */
export interface HealthResponse {
  /** 200 for `healthy`/`degraded`, 503 for `unhealthy`/`error`, 500 for a configuration problem. */
  statusCode: number;
  body: CacheHealthStatus | { error: string; validationErrors?: unknown; warnings?: unknown; message?: string };
}

/**
 * Validates the provider's configuration, then probes the `kind` service (built once, then only
 * inspected). Never throws: an invalid configuration is 500 `{ error: 'Invalid cache configuration',
 * validationErrors, warnings }`, any other failure 500 `{ error: 'Configuration validation failed', message }`.
 */
export async function healthResponse(provider: CacheServiceProvider, kind: CacheServiceKind = 'main'): Promise<HealthResponse> {
  try {
    provider.validateConfiguration();
    const health = await provider.getHealthStatus(kind);
    return { statusCode: health.status === 'healthy' || health.status === 'degraded' ? 200 : 503, body: health };
  } catch (error) {
    if (isConfigurationError(error) && error.message === 'Invalid cache configuration') {
      return { statusCode: 500, body: { error: 'Invalid cache configuration', validationErrors: error.context['validation_errors'], warnings: error.context['warnings'] } };
    }
    return { statusCode: 500, body: { error: 'Configuration validation failed', message: error instanceof Error ? error.message : String(error) } };
  }
}
