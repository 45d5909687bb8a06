// Raw ioredis 6: the floor of the Redis rows. The minimum a caller does to cache a JSON value:
// SET with EX and JSON.stringify, GET and JSON.parse, MGET for getMany.
import { NO_SUCH_API, TTL_SECONDS, type CreateAdapter } from '../contract.js';
import { connectIoredis } from './clients.js';

const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

export const create: CreateAdapter = async (setup) => {
  if (setup.mode !== 'redis' || !setup.redis) throw new Error('raw ioredis is Redis only');
  const client = await connectIoredis(setup.redis);
  return {
    config: 'new Redis(url, { tls: { ca } }) with defaults (RESP3, no auto-pipelining); get = GET + JSON.parse, set = SET EX + JSON.stringify, getMany = MGET',
    get: async (key) => parse(await client.get(key)),
    set: (key, value) => client.set(key, JSON.stringify(value), 'EX', TTL_SECONDS),
    getMany: async (keys) => (await client.mget(keys)).map(parse),
    getOrSet: NO_SUCH_API,
    getSync: NO_SUCH_API,
    setSync: NO_SUCH_API,
    close: async () => void (await client.quit()),
  };
};
