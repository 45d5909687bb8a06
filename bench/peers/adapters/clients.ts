// Client options shared by the adapters: one connection per contender, the server verified
// against the benchmark's CA over TLS, no retries (a dead server fails the cell instead of hanging).
import { Redis } from 'ioredis';
import type { RedisClientOptions } from 'redis';
import type { RedisTarget } from '../contract.js';

/** An ioredis 6 client for `target` (defaults otherwise: no auto-pipelining, RESP3), connected. */
export async function connectIoredis(target: RedisTarget): Promise<Redis> {
  const client = new Redis(target.url, {
    ...(target.tls ? { tls: { ca: target.ca ?? undefined } } : {}),
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 5000,
  });
  client.on('error', (error: Error) => console.error(`ioredis: ${error.message}`));
  await client.connect();
  return client;
}

/** node-redis 5 options for `target` (used by node-redis itself and by @keyv/redis). */
export function nodeRedisOptions(target: RedisTarget): RedisClientOptions {
  return {
    url: target.url,
    ...(target.tls ? { socket: { tls: true as const, ca: target.ca ?? undefined } } : {}),
  };
}
