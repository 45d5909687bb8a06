// BentoCache 1.6 (on the bench's ioredis 6, see pnpm-workspace.yaml). Memory rows: memory driver
// with maxItems above the working set (its default is 1 000) and `serialize: false` (values by
// reference, as @cache and lru-cache). Two-tier rows: memory driver with its default
// `serialize: true` (a fresh copy per L1 hit) in front of the Redis driver. No bus.
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisDriver } from 'bentocache/drivers/redis';
import { NO_SUCH_API, type CreateAdapter } from '../contract.js';
import { connectIoredis } from './clients.js';

export const create: CreateAdapter = async (setup) => {
  let store = bentostore();
  const parts: string[] = [];
  if (setup.mode !== 'redis') {
    const serialize = setup.mode === 'two-tier';
    store = store.useL1Layer(memoryDriver({ maxItems: setup.capacity, serialize }));
    parts.push(`L1 memoryDriver({ maxItems: ${setup.capacity}, serialize: ${serialize} })`);
  }
  if (setup.mode !== 'memory') {
    if (!setup.redis) throw new Error('Redis target missing');
    store = store.useL2Layer(redisDriver({ connection: await connectIoredis(setup.redis) }));
    parts.push('L2 redisDriver({ connection: ioredis 6 client })');
  }
  const bento = new BentoCache({ default: 'store', stores: { store }, ttl: '1h' });
  return {
    config: `new BentoCache({ stores: { store: bentostore() ${parts.join(' + ')} }, ttl: '1h' }); getOrSet({ key, factory, ttl })`,
    get: (key) => bento.get({ key }),
    set: (key, value) => bento.set({ key, value, ttl: '1h' }),
    getMany: NO_SUCH_API,
    getOrSet: (key, factory) => bento.getOrSet({ key, factory, ttl: '1h' }),
    getSync: NO_SUCH_API,
    setSync: NO_SUCH_API,
    close: () => bento.disconnect(),
  };
};
