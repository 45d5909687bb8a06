import { silentLogger } from '@cache/core';
import { startRedisCluster, type RedisTestCluster } from '@cache-tooling/test-redis';
import { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GenericRedisCache } from '../src/index.js';
import { Fixture, newEncryption, securityFor, testEnv } from './helpers.js';

let cluster: RedisTestCluster;
let raw: Cluster;
const fx = new Fixture();

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
  raw = new Cluster([...cluster.nodes], { lazyConnect: false });
  raw.on('error', () => undefined);
});
afterEach(() => fx.closeAll());
afterAll(async () => {
  raw.disconnect();
  await cluster.stop();
});

async function countKeys(prefix: string): Promise<number> {
  const counts = await Promise.all(raw.nodes('master').map(async (node) => (await node.keys(`${prefix}*`)).length));
  return counts.reduce((a, b) => a + b, 0);
}

/** Exposes the protected R38 hook the way @cache/redis-ai uses it. */
class InfoCache extends GenericRedisCache {
  info(section: string): Promise<string[] | null> {
    return this.redisInfo(section);
  }
}

const clusterCache = (keyPrefix: string) =>
  fx.track(
    new InfoCache({
      cluster: { nodes: cluster.nodes },
      securityConfig: securityFor(),
      encryption: newEncryption(),
      env: testEnv,
      logger: silentLogger,
      keyPrefix,
      connectTimeoutMs: 5000,
    }),
  ) as InfoCache;

describe('Redis Cluster (3 masters)', () => {
  it('invalidatePattern("*") and clear() remove every key across all masters', async () => {
    const cache = clusterCache('cl:');
    await expect(cache.connect()).resolves.toBe(true);
    const outcomes = await Promise.all(Array.from({ length: 300 }, (_, i) => cache.set(`k:${i}`, { i })));
    expect(outcomes.every((o) => o === 'stored')).toBe(true);
    await expect(cache.get('k:7')).resolves.toEqual({ i: 7 });
    const perMaster = await Promise.all(raw.nodes('master').map(async (node) => (await node.keys('cl:*')).length));
    expect(perMaster.filter((n) => n > 0).length).toBe(3);
    await expect(cache.invalidatePattern('*')).resolves.toBe(300);
    expect(await countKeys('cl:')).toBe(0);
    await Promise.all(Array.from({ length: 300 }, (_, i) => cache.set(`k:${i}`, i)));
    await expect(cache.clear()).resolves.toBe(300);
    expect(await countKeys('cl:')).toBe(0);
    const info = await cache.info('server');
    expect(info).toHaveLength(3);
    expect(info!.every((text) => text.includes('redis_version'))).toBe(true);
  });
});
