import { randomUUID } from 'node:crypto';
import { sanitizeError, systemClock, type CacheInterface, type Clock } from '@cache/core';

/** Outcome of {@link checkCacheHealth}; the body of every adapter's health route. */
export interface CacheHealthStatus {
  /** The cache's class name. */
  cacheType: string;
  status: 'healthy' | 'degraded' | 'unhealthy' | 'error';
  pingAvailable: boolean;
  pingSuccess: boolean;
  operationTest: boolean;
  /** True when the cache is an in-memory fallback for an unreachable Redis. */
  fallback: boolean;
  errors: string[];
  warnings: string[];
  /** The cache's statistics report (`getCacheStats()`, else `getStats()`). */
  statistics: Record<string, unknown>;
  /** ISO-8601 time the check started. */
  checkedAt: string;
  durationMs: number;
}

/** Security-relevant facts about a cache, for dashboards and startup logs (no secrets). */
export interface CacheDescription {
  cacheType: string;
  securityEnabled: boolean;
  encryptionActive: boolean;
  connectionSecure: boolean;
  /** `redis` or `rediss` for a URL-configured Redis cache. */
  connectionScheme?: string;
  fallback: boolean;
}

type Probe = CacheInterface & {
  ping?: () => Promise<boolean>;
  getCacheStats?: () => Promise<unknown>;
  getStats?: () => unknown;
  connectionState?: unknown;
  getSecurityStatus?: () => { valuesEncrypted?: boolean; configuration?: { tlsEnabled?: boolean } };
  redisUrl?: unknown;
};

/** The nearest named class of `cache`, without the `_` prefix bundlers add to classes that refer to themselves. */
const className = (cache: unknown): string => {
  for (let proto: unknown = Object.getPrototypeOf(cache ?? {}); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    const name: unknown = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string' && name !== '') return name.replace(/^_+/, '');
  }
  return typeof cache;
};
const reason = (error: unknown): string => sanitizeError(error).message;
const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? { ...(value as Record<string, unknown>) } : { value };

/**
 * Probes a cache that already exists (never builds one): `ping()` when it has one, else a
 * write/read/delete round trip on a unique `__health__:` key, then its statistics. A fallback
 * cache, or a Redis cache whose connection is not `ready`, is at best `degraded` (with a warning
 * saying why). Never throws: an unexpected failure is status `error`.
 */
export async function checkCacheHealth(cache: CacheInterface, o: { fallback?: boolean; clock?: Clock } = {}): Promise<CacheHealthStatus> {
  const started = performance.now();
  const probe = cache as Probe;
  const h: CacheHealthStatus = {
    cacheType: className(cache),
    status: 'unhealthy',
    pingAvailable: false,
    pingSuccess: false,
    operationTest: false,
    fallback: o.fallback ?? false,
    errors: [],
    warnings: [],
    statistics: {},
    checkedAt: new Date((o.clock ?? systemClock).now()).toISOString(),
    durationMs: 0,
  };
  try {
    if (typeof probe.ping === 'function') {
      h.pingAvailable = true;
      try {
        h.pingSuccess = (await probe.ping()) === true;
        if (h.pingSuccess) h.status = 'healthy';
        else {
          h.status = 'degraded';
          h.warnings.push('Ping failed, but the cache may still serve requests');
        }
      } catch (error) {
        h.status = 'degraded';
        h.errors.push(`Ping operation failed: ${reason(error)}`);
      }
    } else {
      const key = `__health__:${randomUUID()}`;
      try {
        await cache.set(key, 'health_check_value', 60);
        const read = await cache.get(key);
        if (read === 'health_check_value') {
          h.operationTest = true;
          h.status = 'healthy';
        } else {
          h.status = 'degraded';
          h.warnings.push('Data integrity check failed: the value read back differs from the value written');
        }
        try {
          await cache.delete(key);
        } catch (error) {
          h.warnings.push(`Failed to clean up test data: ${reason(error)}`);
        }
      } catch (error) {
        h.status = 'unhealthy';
        h.errors.push(`Operation test failed: ${reason(error)}`);
      }
    }
    try {
      if (typeof probe.getCacheStats === 'function') h.statistics = asRecord(await probe.getCacheStats());
      else if (typeof probe.getStats === 'function') h.statistics = asRecord(probe.getStats());
    } catch (error) {
      h.warnings.push(`Failed to get cache statistics: ${reason(error)}`);
    }
    const capped = (warning: string) => {
      if (h.status === 'healthy') h.status = 'degraded';
      h.warnings.push(warning);
    };
    if (h.fallback) capped('Serving from in-memory fallback; Redis is unavailable');
    if (typeof probe.connectionState === 'string' && probe.connectionState !== 'ready') capped(`Redis connection state: ${probe.connectionState}`);
  } catch (error) {
    h.status = 'error';
    h.errors.push(`Health check failed: ${reason(error)}`);
  }
  h.durationMs = performance.now() - started;
  return h;
}

/**
 * What a cache is and how it is secured: for a Redis-backed cache, security on, whether values are
 * encrypted and the connection uses TLS, and the URL scheme; for an in-memory cache, all false.
 */
export function describeCache(cache: CacheInterface, o: { fallback?: boolean } = {}): CacheDescription {
  const probe = cache as Probe;
  const d: CacheDescription = {
    cacheType: className(cache),
    securityEnabled: false,
    encryptionActive: false,
    connectionSecure: false,
    fallback: o.fallback ?? false,
  };
  if (typeof probe.getSecurityStatus === 'function') {
    const status = probe.getSecurityStatus();
    d.securityEnabled = true;
    d.encryptionActive = status.valuesEncrypted === true;
    d.connectionSecure = status.configuration?.tlsEnabled === true;
    if (typeof probe.redisUrl === 'string') {
      const scheme = /^([a-z]+):\/\//.exec(probe.redisUrl)?.[1];
      if (scheme) d.connectionScheme = scheme;
    }
  }
  return d;
}
