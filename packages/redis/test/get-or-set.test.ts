import { ManualClock, isFactoryError, type CacheError, type FactoryContext } from '@cache/core';
import { InMemoryCache } from '@cache/memory';
import { EncryptedCacheLayer, Fernet } from '@cache/encryption';
import { startRedis, startTcpProxy, type RedisTestServer, type TcpProxy } from '@cache-tooling/test-redis';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GenericRedisCache, GenericRedisCacheOptions } from '../src/index.js';
import { leaseKeyFor } from '../src/lease.js';
import { Fixture, recordingLogger, uniquePrefix, until } from './helpers.js';

const ACL_USER = 'tenant';
const ACL_PASS = 'tenant-password-123';
let server: RedisTestServer;
let proxy: TcpProxy;
let raw: Redis;
const fx = new Fixture();

beforeAll(async () => {
  server = await startRedis({
    users: [
      { name: ACL_USER, password: ACL_PASS, rules: ['resetkeys', '~acl:*', 'resetchannels', '&acl:*', '+@all'] },
      { name: 'nochannel', password: ACL_PASS, rules: ['resetkeys', '~acl:*', 'resetchannels', '+@all'] },
    ],
  });
  proxy = await startTcpProxy({ host: server.host, port: server.port });
  raw = fx.client(server);
});
afterEach(async () => {
  await proxy.restore();
  await fx.closeAll();
  raw = fx.client(server);
});
afterAll(async () => {
  await fx.closeAll();
  await proxy.close();
  await server.stop();
});

/** One shared encryption key, as processes of one service have. */
const sharedKey = Fernet.generateKey();
const encryption = () => new EncryptedCacheLayer({ encryptionKey: sharedKey });

/** Two caches on one prefix: two "processes" as far as getOrSet is concerned (separate engines, leases and connections). */
function pair(prefix: string, options: Partial<GenericRedisCacheOptions> = {}): [GenericRedisCache, GenericRedisCache] {
  return [fx.cache(server, { keyPrefix: prefix, encryption: encryption(), ...options }), fx.cache(server, { keyPrefix: prefix, encryption: encryption(), ...options })];
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const viaProxy = () => ({ url: () => `redis://127.0.0.1:${proxy.port}`, password: null });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('getOrSet across two caches sharing Redis', () => {
  it('100 concurrent callers on a cold key, 50 per cache: exactly one factory call, every caller gets the value', async () => {
    for (const l1CacheSize of [100, 0]) {
      const [a, b] = pair(uniquePrefix('cold'), { l1CacheSize });
      await Promise.all([a.connect(), b.connect()]);
      let calls = 0;
      const factory = async (): Promise<{ answer: number; by: number }> => {
        calls++;
        await sleep(200);
        return { answer: 42, by: calls };
      };
      const results = await Promise.all([
        ...Array.from({ length: 50 }, () => a.getOrSet('k', factory)),
        ...Array.from({ length: 50 }, () => b.getOrSet('k', factory)),
      ]);
      expect({ l1CacheSize, calls }).toEqual({ l1CacheSize, calls: 1 });
      expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
      const stats = [a.getStats().readThrough, b.getStats().readThrough];
      expect(stats.map((s) => s.factoryCalls).sort()).toEqual([0, 1]);
      expect(stats.map((s) => s.coalescedRemote).sort()).toEqual([0, 1]);
      expect(stats.map((s) => s.leaseWaits).sort()).toEqual([0, 1]);
      expect(stats[0]!.coalescedLocal + stats[1]!.coalescedLocal).toBe(98);
      expect(await a.get('k')).toEqual(results[0]);
    }
  });

  it('the lease and its notifications stay inside keyPrefix: an ACL user limited to acl:* keys and channels coalesces across caches', async () => {
    const prefix = `acl:${uniquePrefix('x')}`;
    const url = server.url({ username: ACL_USER, password: ACL_PASS });
    const opts = { keyPrefix: prefix, encryption: encryption() };
    const a = fx.cache({ url: () => url, password: null }, opts);
    const b = fx.cache({ url: () => url, password: null }, opts);
    const messages: string[] = [];
    const listener = fx.client(server);
    await listener.psubscribe('*');
    listener.on('pmessage', (_p: string, channel: string, message: string) => messages.push(`${channel} ${message}`));
    let calls = 0;
    const factory = async (): Promise<string> => {
      calls++;
      await sleep(150);
      return 'secret-value';
    };
    const results = await Promise.all([...Array.from({ length: 5 }, () => a.getOrSet('key-1', factory)), ...Array.from({ length: 5 }, () => b.getOrSet('key-1', factory))]);
    expect(results.every((r) => r === 'secret-value')).toBe(true);
    expect(calls).toBe(1);
    expect(b.getStats().readThrough.leaseUnavailable + a.getStats().readThrough.leaseUnavailable).toBe(0);
    await until(() => messages.length > 0, 5000, 'the release notification');
    for (const message of messages) {
      expect(message.startsWith(`${prefix}`)).toBe(true);
      expect(message).not.toContain('key-1');
      expect(message).not.toContain('secret-value');
    }
  });

  it('without permission for the notification channel, followers fall back to polling and still get the leader\'s value', async () => {
    const prefix = `acl:${uniquePrefix('poll')}`;
    const url = server.url({ username: 'nochannel', password: ACL_PASS });
    const opts = { keyPrefix: prefix, encryption: encryption() };
    const a = fx.cache({ url: () => url, password: null }, opts);
    const b = fx.cache({ url: () => url, password: null }, { ...opts, logger: recordingLogger() });
    await Promise.all([a.connect(), b.connect()]);
    let calls = 0;
    const factory = async (): Promise<number> => {
      calls++;
      await sleep(150);
      return 7;
    };
    const first = a.getOrSet('k', factory);
    await until(() => calls === 1, 5000, 'the leader runs');
    expect(await Promise.all([first, b.getOrSet('k', factory)])).toEqual([7, 7]);
    expect(calls).toBe(1);
    expect(b.getStats().readThrough.coalescedRemote).toBe(1);
  });

  it('a leader whose factory fails gives the lease back at once: the other cache computes itself without waiting for lock.wait', async () => {
    const [a, b] = pair(uniquePrefix('fail'));
    await Promise.all([a.connect(), b.connect()]);
    const started = deferred<void>();
    const leader = a.getOrSet('k', async () => {
      started.resolve();
      await sleep(100);
      throw new Error('upstream down');
    });
    await started.promise;
    const t0 = performance.now();
    const follower = b.getOrSet('k', () => 'from b', { lock: { wait: 20_000 } });
    const outcome = await leader.catch((error: unknown) => error);
    expect(isFactoryError(outcome)).toBe(true);
    expect(await follower).toBe('from b');
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(b.getStats().readThrough).toMatchObject({ leaseWaits: 1, leaseTimeouts: 0, factoryCalls: 1, coalescedRemote: 0 });
  });

  it('cacheIf false on the leader stores nothing; the follower computes its own value', async () => {
    const [a, b] = pair(uniquePrefix('cacheif'));
    await Promise.all([a.connect(), b.connect()]);
    const started = deferred<void>();
    const options = { cacheIf: (v: { ok: boolean }) => v.ok };
    const leader = a.getOrSet('k', async () => {
      started.resolve();
      await sleep(100);
      return { ok: false };
    }, options);
    await started.promise;
    const follower = b.getOrSet('k', () => ({ ok: true }), options);
    expect(await leader).toEqual({ ok: false });
    expect(await follower).toEqual({ ok: true });
    expect(await a.get('k')).toEqual({ ok: true });
  });

  it('a follower that waited lock.wait in vain computes itself (counted as a lease timeout)', async () => {
    const [a, b] = pair(uniquePrefix('wait'));
    await Promise.all([a.connect(), b.connect()]);
    const release = deferred<void>();
    const started = deferred<void>();
    const leader = a.getOrSet('k', async () => {
      started.resolve();
      await release.promise;
      return 'slow leader';
    });
    await started.promise;
    expect(await b.getOrSet('k', () => 'impatient', { lock: { wait: 100 } })).toBe('impatient');
    expect(b.getStats().readThrough).toMatchObject({ leaseWaits: 1, leaseTimeouts: 1, factoryCalls: 1 });
    release.resolve();
    expect(await leader).toBe('slow leader');
  });

  it('a leader abandoned by its callers gives the lease back at once: the other cache does not wait for it', async () => {
    const [a, b] = pair(uniquePrefix('abandon'));
    await Promise.all([a.connect(), b.connect()]);
    const controller = new AbortController();
    const started = deferred<void>();
    const hung = a.getOrSet('k', () => {
      started.resolve();
      return new Promise<string>(() => undefined);
    }, { signal: controller.signal }).catch((error: unknown) => error);
    await started.promise;
    controller.abort();
    await hung;
    expect(await b.getOrSet('k', () => 'b computes', { lock: { wait: 20_000 } })).toBe('b computes');
    expect(b.getStats().readThrough.leaseTimeouts).toBe(0);
  });

  it('the lease is renewed while the factory runs longer than lock.ttl: no second factory call', async () => {
    const [a, b] = pair(uniquePrefix('renew'));
    await Promise.all([a.connect(), b.connect()]);
    let calls = 0;
    const factory = async (): Promise<string> => {
      calls++;
      await sleep(600);
      return 'long';
    };
    const lock = { ttl: 150, wait: 5000 };
    const first = a.getOrSet('k', factory, { lock });
    await until(() => calls === 1, 5000, 'the leader runs');
    expect(await Promise.all([first, b.getOrSet('k', factory, { lock })])).toEqual(['long', 'long']);
    expect(calls).toBe(1);
  });

  it('a stale leader (its lease taken over) cannot overwrite the newer value; its own L1 does not keep its value either', async () => {
    const prefix = uniquePrefix('fence');
    const [a, b] = pair(prefix);
    await Promise.all([a.connect(), b.connect()]);
    const release = deferred<void>();
    const started = deferred<void>();
    const stale = a.getOrSet('k', async () => {
      started.resolve();
      await release.promise;
      return 'stale leader';
    });
    await started.promise;
    // The lease changes hands (as after an expiry during a stall), and the new holder stores a newer value.
    const leaseKey = leaseKeyFor(prefix, `${prefix}k`)!;
    await raw.set(leaseKey, 'another-holder', 'PX', 10_000);
    await b.set('k', 'newer');
    release.resolve();
    expect(await stale).toBe('stale leader');
    expect(await b.get('k')).toBe('newer');
    expect(await a.get('k')).toBe('newer');
  });

  it('disconnect() also closes the notification connection: no connection of the caches is left on the server', async () => {
    const clients = async () => (await raw.client('LIST') as string).trim().split('\n').length;
    const baseline = await clients();
    const [a, b] = pair(uniquePrefix('close'));
    await Promise.all([a.connect(), b.connect()]);
    const started = deferred<void>();
    const leader = a.getOrSet('k', async () => {
      started.resolve();
      await sleep(100);
      return 1;
    });
    await started.promise;
    expect(await Promise.all([leader, b.getOrSet('k', () => 2)])).toEqual([1, 1]);
    expect(await clients()).toBeGreaterThan(baseline + 2); // b's subscriber besides a's and b's own
    await Promise.all([a.disconnect(), b.disconnect()]);
    await until(async () => (await clients()) === baseline, 5000, 'every cache connection to close');
  });

  it('lease keys never show up as cache keys', async () => {
    const prefix = uniquePrefix('scan');
    const [a] = pair(prefix);
    const release = deferred<void>();
    const started = deferred<void>();
    const running = a.getOrSet('k', async () => {
      started.resolve();
      await release.promise;
      return 1;
    });
    await started.promise;
    expect((await raw.keys(`${prefix}*`)).length).toBe(1);
    const listed: string[] = [];
    for await (const key of a.scanKeys('*')) listed.push(key);
    expect(listed).toEqual([]);
    release.resolve();
    await running;
  });
});

describe('getOrSet when Redis is unavailable', () => {
  it('coalesces in-process only, counted, and answers without waiting for Redis', async () => {
    const cache = fx.cache(viaProxy(), { keyPrefix: uniquePrefix('down') });
    await cache.connect();
    await proxy.cut();
    await until(() => cache.connectionState !== 'ready', 5000, 'the cut is noticed');
    let calls = 0;
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.getOrSet('k', async () => {
      calls++;
      await sleep(50);
      return 'local';
    })));
    expect(results.every((r) => r === 'local')).toBe(true);
    expect(calls).toBe(1);
    expect(cache.getStats().readThrough).toMatchObject({ factoryCalls: 1, leaseUnavailable: 1, coalescedLocal: 19 });
  });

  it('Redis cut while the leader computes: the leader\'s callers get the value (kept in L1 as a write made after the loss), and another cache takes over once the lease expires', async () => {
    const prefix = uniquePrefix('cut');
    const a = fx.cache(viaProxy(), { keyPrefix: prefix, encryption: encryption() });
    const b = fx.cache(server, { keyPrefix: prefix, encryption: encryption() });
    await Promise.all([a.connect(), b.connect()]);
    const started = deferred<void>();
    const release = deferred<void>();
    const leader = a.getOrSet('k', async () => {
      started.resolve();
      await release.promise;
      return 'from a';
    }, { lock: { ttl: 300 } });
    await started.promise;
    await proxy.cut();
    // The leader stores after its instance saw the loss: L1 then keeps that own write (coherence empties L1 at the loss itself).
    await until(() => a.connectionState !== 'ready', 5000, 'a sees the cut');
    const follower = b.getOrSet('k', () => 'from b', { lock: { ttl: 300, wait: 20_000 } });
    release.resolve();
    expect(await leader).toBe('from a');
    expect(await a.get('k')).toBe('from a');
    expect(await follower).toBe('from b');
    expect(b.getStats().readThrough).toMatchObject({ leaseWaits: 1, leaseTimeouts: 0, factoryCalls: 1 });
  });
});

describe('getOrSet grace in Redis (ManualClock drives freshness; Redis keeps the value ttl + grace)', () => {
  it('past its TTL the value is a miss for get and exists, but is served as stale when the refresh fails', async () => {
    const clock = new ManualClock(Date.now());
    const prefix = uniquePrefix('grace');
    const cache = fx.cache(server, { keyPrefix: prefix, clock });
    expect(await cache.getOrSet('k', () => 'v1', { ttl: 10, grace: 60 })).toBe('v1');
    expect(await raw.ttl(`${prefix}k`)).toBeGreaterThan(60);
    expect(await cache.getTtl('k')).toBeLessThanOrEqual(10);
    clock.advance(10_001);
    expect(await cache.get('k')).toBe(null);
    expect(await cache.exists('k')).toBe(false);
    expect(await cache.getTtl('k')).toBe(null);
    let seen: unknown;
    expect(await cache.getOrSet('k', (ctx: FactoryContext<string>) => {
      seen = ctx.staleValue;
      throw new Error('upstream down');
    }, { ttl: 10, grace: 60 })).toBe('v1');
    expect(seen).toBe('v1');
    expect(cache.getStats().readThrough.graceHits).toBe(1);
  });
});

describe('getOrSet key checks (the lookup is the engine\'s key check)', () => {
  it('an invalid key rejects exactly as on InMemoryCache (same INVALID_KEY message and context), with L1 on and off, before any factory call, lookup or count', async () => {
    const memory = new InMemoryCache();
    for (const enableL1Cache of [true, false]) {
      const cache = fx.cache(server, { keyPrefix: uniquePrefix('badkey'), enableL1Cache });
      await cache.connect();
      let calls = 0;
      const factory = (): string => `v${++calls}`;
      for (const key of ['', 'a\uD800', 7, null, { toString: () => 'k' }] as unknown as string[]) {
        for (const options of [undefined, { ttl: 60 }, { ttl: 0 }, { forceRefresh: true }]) {
          const [onRedis, onMemory] = await Promise.allSettled([cache.getOrSet(key, factory, options), memory.getOrSet(key, factory, options)]);
          const shape = (r: PromiseSettledResult<string>) => (r.status === 'rejected' ? { code: (r.reason as CacheError).code, message: (r.reason as Error).message, context: (r.reason as CacheError).context } : r);
          expect(shape(onRedis)).toEqual(shape(onMemory));
          expect(shape(onRedis)).toMatchObject({ code: 'INVALID_KEY' });
        }
      }
      // Redis' own limit, checked by the same lookup (and before forceRefresh's flight).
      for (const options of [undefined, { forceRefresh: true }]) {
        await expect(cache.getOrSet('k'.repeat(9000), factory, options)).rejects.toMatchObject({ code: 'INVALID_KEY', context: { key_bytes: 9000 } });
      }
      expect(calls).toBe(0);
      expect(cache.getStats()).toMatchObject({ gets: 0, misses: 0, readThrough: expect.objectContaining({ factoryCalls: 0 }) });
    }
    expect(memory.getStats()).toMatchObject({ hits: 0, misses: 0 });
  });
});
