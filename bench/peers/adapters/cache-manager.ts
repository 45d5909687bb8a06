// cache-manager 7 over Keyv 5 stores. Memory: a Keyv memory store (cacheable's KeyvCacheableMemory
// through `createKeyv`, `useClone: false`: values by reference, no serialization), lruSize above the
// working set, one Map (`storeHashSize: 1`; the default 10 hashes every key: 5x slower). Redis:
// @keyv/redis (node-redis 5 underneath, Keyv's JSON serialization). Two-tier: the memory store
// with `useClone: true` (a copy per hit) then @keyv/redis. getOrSet is `wrap`.
import { createKeyv as createRedisKeyv } from '@keyv/redis';
import { createCache } from 'cache-manager';
import { createKeyv as createMemoryKeyv } from 'cacheable';
import type { Keyv } from 'keyv';
import { NO_SUCH_API, TTL_MS, type CreateAdapter } from '../contract.js';
import { nodeRedisOptions } from './clients.js';

export const create: CreateAdapter = async (setup) => {
  const stores: Keyv[] = [];
  const parts: string[] = [];
  if (setup.mode !== 'redis') {
    const useClone = setup.mode === 'two-tier';
    stores.push(createMemoryKeyv({ lruSize: setup.capacity, useClone, storeHashSize: 1 }) as unknown as Keyv);
    parts.push(`createKeyv({ lruSize: ${setup.capacity}, useClone: ${useClone}, storeHashSize: 1 }) (cacheable's Keyv memory store)`);
  }
  if (setup.mode !== 'memory') {
    if (!setup.redis) throw new Error('Redis target missing');
    stores.push(createRedisKeyv(nodeRedisOptions(setup.redis)) as unknown as Keyv);
    parts.push('createKeyv(redis options) from @keyv/redis');
  }
  const cache = createCache({ stores, ttl: TTL_MS });
  return {
    config: `createCache({ stores: [${parts.join(', ')}], ttl: 1 h }); getMany = mget, getOrSet = wrap`,
    get: (key) => cache.get(key),
    set: (key, value) => cache.set(key, value, TTL_MS),
    getMany: (keys) => cache.mget(keys),
    getOrSet: (key, factory) => cache.wrap(key, factory, TTL_MS),
    getSync: NO_SUCH_API,
    setSync: NO_SUCH_API,
    close: async () => void (await cache.disconnect()),
  };
};
