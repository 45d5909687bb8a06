import { startRedis, startTcpProxy, type RedisTestServer, type TcpProxy } from '@cache-tooling/test-redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fixture, newEncryption, uniquePrefix, until } from './helpers.js';

const PASSWORD = 'soak-pass-123';
const CALLERS = 50;
const OPS_PER_CALLER = 400;
const KEYS = 200;
let server: RedisTestServer;
let proxy: TcpProxy;
const fx = new Fixture();

beforeAll(async () => {
  server = await startRedis({ password: PASSWORD });
  proxy = await startTcpProxy({ host: server.host, port: server.port });
});
afterAll(async () => {
  await fx.closeAll();
  await proxy.close();
  await server.stop();
});

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('soak: 20 000 mixed operations from 50 callers while the proxy is cut and restored three times', () => {
  it('afterwards every get returns the last value written or null, and the set counters add up', async () => {
    const prefix = uniquePrefix('soak');
    const encryption = newEncryption();
    const via = { url: () => `redis://:${PASSWORD}@127.0.0.1:${proxy.port}`, password: PASSWORD };
    const cache = fx.cache(via, { keyPrefix: prefix, encryption, l1CacheSize: 50, pendingInvalidationLimit: 100_000 });
    await cache.connect();
    const lastWritten = new Map<string, number>();
    let seq = 0;
    let done = 0;
    const faultsAt = [3000, 6000, 9000, 12_000, 15_000, 19_500];
    let faults = 0;
    let faultChain: Promise<void> = Promise.resolve();
    const maybeFault = () => {
      while (faults < faultsAt.length && done >= faultsAt[faults]!) {
        const cut = faults % 2 === 0;
        faults++;
        faultChain = faultChain.then(async () => {
          if (cut) {
            await proxy.cut();
            await until(() => cache.connectionState !== 'ready', 5000, 'degraded after cut');
          } else {
            await proxy.restore();
            await until(() => cache.connectionState === 'ready', 10_000, 'ready after restore');
          }
        });
      }
    };
    const outcomes = { stored: 0, l1_only: 0, dropped: 0 };
    const caller = async (id: number) => {
      const random = prng(1000 + id);
      for (let i = 0; i < OPS_PER_CALLER; i++) {
        const key = `g${Math.floor(random() * 10)}:k${Math.floor(random() * (KEYS / 10))}`;
        const roll = random();
        if (roll < 0.45) {
          const value = { key, seq: ++seq };
          lastWritten.set(key, value.seq);
          outcomes[await cache.set(key, value)]++;
        } else if (roll < 0.92) {
          await cache.get(key);
        } else if (roll < 0.99 || i > OPS_PER_CALLER / 4) {
          await cache.delete(key);
        } else {
          await cache.invalidatePattern(`g${Math.floor(random() * 10)}:*`);
        }
        done++;
        maybeFault();
        // Every caller waits for a fault transition to finish, so each phase really runs in that state.
        await faultChain;
        if (i % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await Promise.all(Array.from({ length: CALLERS }, (_, id) => caller(id)));
    await faultChain;
    expect(faults).toBe(6);
    expect(proxy.isCut()).toBe(false);
    await until(() => cache.connectionState === 'ready', 15_000, 'ready after the last restore');

    const stats = cache.getStats();
    expect(stats.sets).toBe(stats.setsRedis + stats.setsL1Only + stats.setsDropped);
    expect(stats.setsRedis).toBe(outcomes.stored);
    expect(stats.setsL1Only).toBe(outcomes.l1_only);
    expect(stats.setsL1Only).toBeGreaterThan(0);
    expect(stats.gets).toBe(stats.hitsL1 + stats.hitsRedis + stats.misses);
    expect(stats.pendingInvalidations).toBe(0);
    expect(stats.pendingInvalidationsWidened).toBe(0);

    // Read Redis directly too (no L1), so a stale value hidden behind a newer L1 entry would show.
    const redisOnly = fx.cache(via, { keyPrefix: prefix, encryption, enableL1Cache: false });
    for (const [key, last] of lastWritten) {
      const fromCache = await cache.get<{ seq: number }>(key);
      const fromRedis = await redisOnly.get<{ seq: number }>(key);
      if (fromCache !== null) expect({ key, seq: fromCache.seq }).toEqual({ key, seq: last });
      if (fromRedis !== null) expect({ key, seq: fromRedis.seq }).toEqual({ key, seq: last });
    }
  });
});
