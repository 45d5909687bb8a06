import {
  ConfigurationError,
  InfrastructureError,
  isConfigurationError,
  isValidationError,
  redactUrl,
  sanitizeError,
  type CacheInterface,
  type Logger,
} from '@cache/core';
import type { GenericRedisCache } from '@cache/redis';
import type { CacheKind } from './options.js';

/** Words for each kind in messages: "Redis connection failed for web application cache". */
export const KIND_LABEL: Readonly<Record<CacheKind, string>> = Object.freeze({
  web_app: 'web application cache',
  ai_app: 'AI application cache',
  llm_app: 'LLM application cache',
  testing: 'testing cache',
});

/** What {@link connectOrFallback} needs besides the two builders. */
export interface ConnectPlan {
  kind: CacheKind;
  redisUrl: string;
  failOnConnectionError: boolean;
  connectTimeoutMs: number;
  logger: Logger;
}

/** Extra time past the cache's own connect bound before the factory gives up on `connect()`. */
const CONNECT_SLACK_MS = 1000;

const reasonOf = (error: unknown): string => sanitizeError(error).message;

/**
 * Constructs the Redis cache, connects it, and returns it when ready. Construction errors that are
 * `ValidationError`/`ConfigurationError` propagate unchanged; a connection the server or TLS refused
 * (authentication, certificate: the connection state is `failed`) is a `ConfigurationError`
 * `REDIS_CONNECTION_REFUSED`, never a fallback. Any other failure (unreachable, timeout) is an
 * `InfrastructureError` with `failOnConnectionError`, else `fallback()` after a warning. Before
 * throwing or falling back, the half-built cache is disconnected, so no client keeps retrying; the
 * fallback receives it (closed: no socket, no timer; its L1 still works in-process), or undefined
 * when construction itself failed.
 */
export async function connectOrFallback(
  plan: ConnectPlan,
  construct: () => GenericRedisCache,
  fallback: (halfBuilt: GenericRedisCache | undefined) => CacheInterface,
): Promise<{ cache: CacheInterface; fallback: boolean }> {
  const label = KIND_LABEL[plan.kind];
  const redisUrl = redactUrl(plan.redisUrl);
  let cache: GenericRedisCache;
  try {
    cache = construct();
  } catch (error) {
    if (isValidationError(error) || isConfigurationError(error)) throw error;
    const reason = reasonOf(error);
    if (plan.failOnConnectionError) {
      throw new InfrastructureError(`Failed to create ${label}: ${reason}`, {
        code: 'CACHE_CREATION_FAILED',
        context: { redis_url: redisUrl, cache_type: plan.kind, original_error: reason },
        cause: sanitizeError(error),
      });
    }
    plan.logger.warn(`Failed to create ${label} (${reason}); serving from an in-memory fallback`, { redis_url: redisUrl, cache_type: plan.kind });
    return { cache: fallback(undefined), fallback: true };
  }

  let lastError: string | undefined;
  const unsubscribe = cache.on('connection_state', (_state, _previous, error) => {
    if (error !== undefined) lastError = error;
  });
  let outcome: boolean | 'timeout';
  let thrown: unknown;
  let timer: NodeJS.Timeout | undefined;
  try {
    const bound = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), plan.connectTimeoutMs + CONNECT_SLACK_MS);
    });
    outcome = await Promise.race([cache.connect(), bound]);
  } catch (error) {
    outcome = false;
    thrown = error;
  } finally {
    clearTimeout(timer);
    unsubscribe();
  }
  if (outcome === true) return { cache, fallback: false };

  const refused = cache.connectionState === 'failed';
  await cache.disconnect().catch(() => undefined);
  const reason = lastError ?? (thrown === undefined ? `not ready within ${plan.connectTimeoutMs} ms` : reasonOf(thrown));
  if (refused) {
    throw new ConfigurationError(
      `Redis refused the connection for ${label} (${reason}); check the credentials, ACL user and TLS certificates — a security refusal never falls back to memory`,
      { code: 'REDIS_CONNECTION_REFUSED', context: { redis_url: redisUrl, cache_type: plan.kind, reason } },
    );
  }
  if (plan.failOnConnectionError) {
    throw new InfrastructureError(`Redis connection failed for ${label}`, {
      code: 'REDIS_CONNECTION_FAILED',
      context: { redis_url: redisUrl, cache_type: plan.kind, fail_on_connection_error: true, reason },
      cause: thrown === undefined ? new Error(reason) : sanitizeError(thrown),
    });
  }
  plan.logger.warn(`Redis connection failed for ${label} (${reason}); serving from an in-memory fallback`, {
    redis_url: redisUrl,
    cache_type: plan.kind,
  });
  return { cache: fallback(cache), fallback: true };
}
