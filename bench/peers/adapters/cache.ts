// @cache: InMemoryCache (memory rows) and GenericRedisCache (Redis rows: L1 off; two-tier rows: L1
// on), with encryption on (the default) or opted out (`allowUnencrypted`). getOrSet and getMany are
// looked up at run time: while a build has none, the cell says `n/a (not implemented)`. The sync rows
// call InMemoryCache's getSync/setSync (GenericRedisCache has no sync API).
import { silentLogger, type Logger } from '@cache/core';
import { EncryptedCacheLayer } from '@cache/encryption';
import { InMemoryCache } from '@cache/memory';
import { GenericRedisCache } from '@cache/redis';
import { SecurityConfig } from '@cache/security';
import { NOT_IMPLEMENTED, NO_SUCH_API, TTL_SECONDS, type Adapter, type AdapterSetup, type CreateAdapter, type RedisTarget } from '../contract.js';
import type { JsonObject } from '../values.js';

/** Shapes of the methods other work is adding (core's getOrSet contract; getMany of the batch API). */
interface MaybeReadThrough {
  getOrSet?: (key: string, factory: () => Promise<JsonObject>, options?: Record<string, unknown>) => Promise<unknown>;
  getMany?: (keys: string[]) => Promise<unknown>;
}

/** A logger that is a plain object (not one of core's frozen loggers), as an application passes one. */
const plainLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** getMany's result in the order of `keys`, whether it is an array, a Map or a record. */
function inOrder(result: unknown, keys: string[]): unknown[] {
  if (Array.isArray(result)) return result;
  if (result instanceof Map) return keys.map((key) => result.get(key));
  if (typeof result === 'object' && result !== null) return keys.map((key) => (result as Record<string, unknown>)[key]);
  throw new Error(`getMany returned ${typeof result}`);
}

function readThrough(cache: InMemoryCache | GenericRedisCache, setup: AdapterSetup): Pick<Adapter, 'getMany' | 'getOrSet'> {
  const c = cache as unknown as MaybeReadThrough;
  // The cross-process row asks for the Redis lease explicitly (the contract's `lock` option).
  const options = setup.crossProcess ? { ttl: TTL_SECONDS, lock: { ttl: 5000, wait: 5000 } } : { ttl: TTL_SECONDS };
  return {
    getOrSet: typeof c.getOrSet === 'function' ? (key, factory) => c.getOrSet!(key, factory, options) : NOT_IMPLEMENTED,
    getMany: typeof c.getMany === 'function' ? async (keys) => inOrder(await c.getMany!(keys), keys) : NOT_IMPLEMENTED,
  };
}

function redisCache(setup: AdapterSetup, target: RedisTarget): GenericRedisCache {
  const env = { NODE_ENV: 'test' };
  const securityConfig = new SecurityConfig(
    target.tls
      ? { useTls: true, verifyCertificates: true, tlsCaPath: target.caPath, redisAuth: target.password }
      : { useTls: false, redisAuth: target.password },
    { env, logger: silentLogger },
  );
  const encrypted = setup.variant !== 'unencrypted';
  return new GenericRedisCache({
    redisUrl: target.url,
    securityConfig,
    ...(encrypted
      ? { encryption: new EncryptedCacheLayer({ encryptionKey: setup.encryptionKey, logger: silentLogger }) }
      : { allowUnencrypted: true }),
    env,
    logger: silentLogger,
    enableL1Cache: setup.mode === 'two-tier',
    ...(setup.variant === 'frozen-l1' ? { l1Values: 'frozen' as const } : {}),
    ...(setup.mode === 'two-tier' ? { l1CacheSize: Math.min(setup.capacity, 10_000) } : {}),
  });
}

export const create: CreateAdapter = async (setup) => {
  if (setup.mode === 'memory') {
    const logger = setup.variant === 'plain-logger' ? { logger: plainLogger } : {};
    const cache = new InMemoryCache({ maxSize: setup.capacity, ...logger });
    return {
      config:
        `new InMemoryCache({ maxSize: ${setup.capacity}${setup.variant === 'plain-logger' ? ', logger: { debug() {}, info() {}, warn() {}, error() {} }' : ''} })` +
        ' (defaults: statistics, coarse monotonic clock, values by reference; sync rows: getSync/setSync); set with ttl 3600 s',
      get: (key) => cache.get(key),
      set: (key, value) => cache.set(key, value, TTL_SECONDS),
      ...readThrough(cache, setup),
      getSync: (key) => cache.getSync(key),
      setSync: (key, value) => cache.setSync(key, value, TTL_SECONDS),
      close: async () => cache.clear(),
    };
  }
  if (!setup.redis) throw new Error('Redis target missing');
  const cache = redisCache(setup, setup.redis);
  if (!(await cache.connect())) throw new Error('GenericRedisCache did not connect');
  const l1 =
    setup.mode !== 'two-tier'
      ? 'L1 off'
      : `L1 on (l1CacheSize ${Math.min(setup.capacity, 10_000)}, ${setup.variant === 'frozen-l1' ? "l1Values: 'frozen': one deep-frozen value per entry, returned by reference" : 'a fresh copy per hit'})`;
  return {
    config:
      `new GenericRedisCache({ redisUrl, securityConfig (password${setup.redis.tls ? ', TLS, CA verified' : ''}), ` +
      `${setup.variant === 'unencrypted' ? 'allowUnencrypted: true' : 'encryption (Fernet)'}, ${l1}, logger: silentLogger })`,
    get: (key) => cache.get(key),
    set: (key, value) => cache.set(key, value, TTL_SECONDS),
    ...readThrough(cache, setup),
    getSync: NO_SUCH_API,
    setSync: NO_SUCH_API,
    close: () => cache.disconnect(),
  };
};
