import { silentLogger } from '@cache/core';
import { EncryptedCacheLayer, Fernet } from '@cache/encryption';
import { startRedisCluster, type RedisTestCluster } from '@cache-tooling/test-redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GenericRedisCache } from '../src/index.js';
import { Fixture, securityFor, testEnv } from './helpers.js';

let cluster: RedisTestCluster;
const fx = new Fixture();
const encryptionKey = Fernet.generateKey();

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
});
afterEach(() => fx.closeAll());
afterAll(async () => {
  await cluster.stop();
});

const clusterCache = (keyPrefix: string) =>
  fx.track(
    new GenericRedisCache({
      cluster: { nodes: cluster.nodes },
      securityConfig: securityFor(),
      encryption: new EncryptedCacheLayer({ encryptionKey, logger: silentLogger }),
      env: testEnv,
      logger: silentLogger,
      keyPrefix,
      connectTimeoutMs: 5000,
    }),
  );

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('getOrSet on a 3-master Redis Cluster', () => {
  it('two caches × 50 concurrent callers: one factory call per key, for plain keys, hash-tagged keys and a hash-tagged prefix', async () => {
    for (const [prefix, keys] of [
      ['gos:', ['plain-1', 'plain-2', 'user:{42}:profile', 'no-close{brace']],
      ['{tenant}:', ['a', 'b:{x}']],
    ] as const) {
      const a = clusterCache(prefix);
      const b = clusterCache(prefix);
      await Promise.all([a.connect(), b.connect()]);
      for (const key of keys) {
        let calls = 0;
        const factory = async (): Promise<string> => {
          calls++;
          await sleep(150);
          return `value of ${key}`;
        };
        const results = await Promise.all([...Array.from({ length: 50 }, () => a.getOrSet(key, factory)), ...Array.from({ length: 50 }, () => b.getOrSet(key, factory))]);
        expect({ prefix, key, calls }).toEqual({ prefix, key, calls: 1 });
        expect(results.every((r) => r === `value of ${key}`)).toBe(true);
      }
      expect(a.getStats().readThrough.leaseUnavailable + b.getStats().readThrough.leaseUnavailable).toBe(0);
    }
  });

  it('a key whose slot no lease key can share (a "}" but no hash tag) still works, coalesced in-process only (counted)', async () => {
    const a = clusterCache('gos2:');
    await a.connect();
    for (const key of ['odd}key', 'weird{}key', '{}']) {
      let calls = 0;
      const results = await Promise.all(Array.from({ length: 10 }, () => a.getOrSet(key, async () => {
        calls++;
        await sleep(50);
        return 1;
      })));
      expect(results).toEqual(Array.from({ length: 10 }, () => 1));
      expect({ key, calls }).toEqual({ key, calls: 1 });
      expect(await a.get(key)).toBe(1);
    }
    expect(a.getStats().readThrough.leaseUnavailable).toBe(3);
  });
});
