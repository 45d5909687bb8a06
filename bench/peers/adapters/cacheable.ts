// cacheable 2.5. Memory: `Cacheable` with its own memory primary (`createKeyv`) and `useClone: false`
// (its option is `useClone`, not `useClones`): values by reference; lruSize above the working set;
// one Map (`storeHashSize: 1`: the default 10 hashes every key with a new hasher, 5x slower).
// Redis: @keyv/redis as the primary. Two-tier: memory primary (`useClone: true`, a copy per hit) +
// @keyv/redis secondary, blocking writes (its default).
import { createKeyv as createRedisKeyv } from '@keyv/redis';
import { Cacheable, createKeyv as createMemoryKeyv } from 'cacheable';
import { NO_SUCH_API, TTL_MS, type CreateAdapter } from '../contract.js';
import { nodeRedisOptions } from './clients.js';

export const create: CreateAdapter = async (setup) => {
  const memory = (useClone: boolean) => createMemoryKeyv({ lruSize: setup.capacity, useClone, storeHashSize: 1 });
  const redis = () => {
    if (!setup.redis) throw new Error('Redis target missing');
    return createRedisKeyv(nodeRedisOptions(setup.redis));
  };
  const cache =
    setup.mode === 'memory'
      ? new Cacheable({ primary: memory(false), ttl: TTL_MS })
      : setup.mode === 'redis'
        ? new Cacheable({ primary: redis(), ttl: TTL_MS })
        : new Cacheable({ primary: memory(true), secondary: redis(), ttl: TTL_MS });
  const layout = {
    memory: `primary: createKeyv({ lruSize: ${setup.capacity}, useClone: false, storeHashSize: 1 })`,
    redis: 'primary: createKeyv(redis options) from @keyv/redis',
    'two-tier': `primary: createKeyv({ lruSize: ${setup.capacity}, useClone: true, storeHashSize: 1 }), secondary: @keyv/redis`,
  }[setup.mode];
  return {
    config: `new Cacheable({ ${layout}, ttl: 1 h }); getMany, getOrSet(key, fn, { ttl })`,
    get: (key) => cache.get(key),
    set: (key, value) => cache.set(key, value, TTL_MS),
    getMany: (keys) => cache.getMany(keys),
    getOrSet: (key, factory) => cache.getOrSet(key, factory, { ttl: TTL_MS }),
    getSync: NO_SUCH_API,
    setSync: NO_SUCH_API,
    close: () => cache.disconnect(),
  };
};
