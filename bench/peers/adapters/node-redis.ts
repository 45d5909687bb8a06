// Raw node-redis 5 (the `redis` package; it pipelines the commands issued in one tick by itself):
// the same minimum as raw ioredis.
import { createClient } from 'redis';
import { NO_SUCH_API, TTL_SECONDS, type CreateAdapter } from '../contract.js';
import { nodeRedisOptions } from './clients.js';

const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

export const create: CreateAdapter = async (setup) => {
  if (setup.mode !== 'redis' || !setup.redis) throw new Error('raw node-redis is Redis only');
  const client = createClient(nodeRedisOptions(setup.redis));
  client.on('error', (error: Error) => console.error(`node-redis: ${error.message}`));
  await client.connect();
  return {
    config: 'createClient({ url, socket: { tls, ca } }) with defaults (RESP2); get = GET + JSON.parse, set = SET EX + JSON.stringify, getMany = MGET',
    get: async (key) => parse(await client.get(key)),
    set: (key, value) => client.set(key, JSON.stringify(value), { expiration: { type: 'EX', value: TTL_SECONDS } }),
    getMany: async (keys) => (await client.mGet(keys)).map(parse),
    getOrSet: NO_SUCH_API,
    getSync: NO_SUCH_API,
    setSync: NO_SUCH_API,
    close: async () => void (await client.close()),
  };
};
