import { startRedis, startTcpProxy, type RedisTestServer, type TcpProxy } from '@cache-tooling/test-redis';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { InvalidationEvent } from '@cache/redis';
import { Fixture, until } from './helpers.js';

let server: RedisTestServer;
let proxy: TcpProxy;
let raw: Redis;
const fx = new Fixture();

beforeAll(async () => {
  server = await startRedis({ password: 'degrade-pass' });
  proxy = await startTcpProxy({ host: server.host, port: server.port });
  raw = new Fixture().client(server);
});
afterEach(async () => {
  await proxy.restore();
  await fx.closeAll();
});
afterAll(async () => {
  raw.disconnect();
  await proxy.close();
  await server.stop();
});

describe('Redis unreachable through a cut proxy (checklist 13)', () => {
  it('invalidateByOperation returns the L1 count with status partial, and the Redis keys are gone once ready again', async () => {
    const cache = fx.ai({ url: () => `redis://:degrade-pass@127.0.0.1:${proxy.port}`, password: 'degrade-pass' });
    const keys = ['one', 'two', 'three'].map((t) => cache.buildKey(t, 'summarize'));
    for (const key of keys) await cache.set(key, key);
    const other = cache.buildKey('kept', 'sentiment');
    await cache.set(other, 1);
    // One summarize key exists only in Redis (written by another client), so L1 holds 3 of the 4.
    const redisOnly = cache.buildKey('four', 'summarize');
    await raw.set(redisOnly, 'x');
    const events: InvalidationEvent[] = [];
    cache.on('invalidation', (e) => events.push(e));

    await proxy.cut();
    await until(() => cache.connectionState !== 'ready', 5000, 'the cache to notice the cut');
    // L1 was emptied when its invalidation channel went down with the cut (L1 coherence), so it holds none of them now.
    await until(() => !cache.getStats().l1Coherence.trusted, 5000, 'L1 to be untrusted');
    expect(await cache.invalidateByOperation('summarize')).toBe(0);
    expect(events.at(-1)).toMatchObject({ type: 'operation_specific', status: 'partial', l1: 0, redis: 0 });
    expect(await raw.exists(...keys, redisOnly)).toBe(4);

    const ready = new Promise<void>((resolve) => cache.on('connection_state', (state) => state === 'ready' && resolve()));
    await proxy.restore();
    await ready;
    expect(await raw.exists(...keys, redisOnly)).toBe(0);
    expect(await raw.exists(other)).toBe(1);
  });
});
