import { silentLogger } from '@cache/core';
import { startRedisCluster, type RedisTestCluster } from '@cache-tooling/test-redis';
import { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AIResponseCache } from '../src/index.js';
import { Fixture, newEncryption, securityFor, testEnv } from './helpers.js';

let cluster: RedisTestCluster;
let raw: Cluster;
const fx = new Fixture();

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
  raw = new Cluster([...cluster.nodes]);
  raw.on('error', () => undefined);
});
afterEach(() => fx.closeAll());
afterAll(async () => {
  raw.disconnect();
  await cluster.stop();
});

/** AI keys per master (each master's own keyspace). */
async function aiKeysPerMaster(): Promise<number[]> {
  return Promise.all(raw.nodes('master').map(async (node) => (await node.keys('ai_cache:*')).length));
}

const clusterCache = (): AIResponseCache =>
  fx.track(
    new AIResponseCache({
      cluster: { nodes: cluster.nodes },
      securityConfig: securityFor(),
      encryption: newEncryption(),
      env: testEnv,
      logger: silentLogger,
      connectTimeoutMs: 5000,
      reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
    }),
  );

describe('three-master cluster (checklist 25)', () => {
  it('invalidateByOperation and clear remove AI keys on every master, and only those', async () => {
    const cache = clusterCache();
    expect(await cache.connect()).toBe(true);
    for (let i = 0; i < 30; i++) {
      await cache.set(cache.buildKey(`text ${i}`, 'summarize'), i);
      await cache.set(cache.buildKey(`text ${i}`, 'sentiment'), i);
    }
    await cache.set('plain:key', 1);
    const before = await aiKeysPerMaster();
    expect(before.every((n) => n > 0)).toBe(true);
    expect(before.reduce((a, b) => a + b, 0)).toBe(60);

    expect(await cache.invalidateByOperation('summarize')).toBe(30);
    expect((await aiKeysPerMaster()).reduce((a, b) => a + b, 0)).toBe(30);
    const stats = await cache.getCacheStats();
    expect(stats.redis).toMatchObject({ status: 'ready', keys: 30 });

    expect(await cache.clear()).toBe(30);
    expect(await aiKeysPerMaster()).toEqual([0, 0, 0]);
    expect(await raw.exists('plain:key')).toBe(1);
  });
});
