// lru-cache 11: the floor of the in-process rows. Every call goes through one `await` like the
// others' async APIs; entries carry the same 1 h TTL; getOrSet is `fetch` with the factory passed as
// its context (lru-cache coalesces concurrent fetches of one key). The sync rows call get/set directly.
import { LRUCache } from 'lru-cache';
import { TTL_MS, type CreateAdapter } from '../contract.js';
import type { JsonObject } from '../values.js';

type Factory = () => Promise<JsonObject>;

export const create: CreateAdapter = async (setup) => {
  if (setup.mode !== 'memory') throw new Error('lru-cache is in-process only');
  const lru = new LRUCache<string, JsonObject, Factory>({
    max: setup.capacity,
    ttl: TTL_MS,
    fetchMethod: (_key, _stale, { context }) => context(),
  });
  return {
    config: `new LRUCache({ max: ${setup.capacity}, ttl: 1 h, fetchMethod }), values by reference; each call wrapped in one async function (sync rows: get/set called directly)`,
    get: async (key) => lru.get(key),
    set: async (key, value) => lru.set(key, value),
    getMany: async (keys) => keys.map((key) => lru.get(key)),
    getOrSet: (key, factory) => lru.fetch(key, { context: factory }),
    getSync: (key) => lru.get(key),
    setSync: (key, value) => lru.set(key, value),
    close: async () => lru.clear(),
  };
};
