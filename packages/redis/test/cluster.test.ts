import { silentLogger } from '@cache/core';
import { startRedisCluster, type RedisTestCluster } from '@cache-tooling/test-redis';
import { Cluster, type Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GenericRedisCache, type ConnectionState } from '../src/index.js';
import { Fixture, newEncryption, securityFor, testEnv, until } from './helpers.js';

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

const clusterCache = (keyPrefix: string, extra: Partial<ConstructorParameters<typeof GenericRedisCache>[0]> = {}) =>
  fx.track(
    new InfoCache({
      cluster: { nodes: cluster.nodes },
      securityConfig: securityFor(),
      encryption: newEncryption(),
      env: testEnv,
      logger: silentLogger,
      keyPrefix,
      connectTimeoutMs: 5000,
      reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
      ...extra,
    }),
  ) as InfoCache;

/** The master currently serving `slot`, and another one. */
async function ownerAndOther(slot: number): Promise<{ owner: Redis; other: Redis }> {
  const masters = raw.nodes('master');
  const slots = await masters[0]!.cluster('SLOTS');
  const range = slots.find(([from, to]) => slot >= from && slot <= to)!;
  const port = range[2]![1];
  const owner = masters.find((node) => node.options.port === port)!;
  const other = masters.find((node) => node.options.port !== port)!;
  return { owner, other };
}

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

  it('getMany / setMany over keys on every master: values in key order, each key routed to its own slot', async () => {
    const cache = clusterCache('batch:', { enableL1Cache: false });
    const keys = Array.from({ length: 30 }, (_, i) => `k${i}`);
    expect(await cache.setMany(keys.map((key, i) => ({ key, value: { i } })))).toEqual(keys.map(() => 'stored'));
    expect(await cache.getMany([...keys, 'missing'])).toEqual([...keys.map((_, i) => ({ i })), null]);
    const slots = new Set(await Promise.all(keys.map((key) => raw.cluster('KEYSLOT', `batch:${key}`))));
    expect(slots.size).toBeGreaterThan(10);
  });

  it('a slot migrating between masters: UNLINK answered MOVED/ASK is retried through the cluster client and the key is removed', async () => {
    const cache = clusterCache('mig:', { enableL1Cache: false });
    await cache.connect();
    // Both keys share a slot through the hash tag; one will be migrated to another master.
    await expect(cache.set('{m}moved', 1)).resolves.toBe('stored');
    await expect(cache.set('{m}stays', 2)).resolves.toBe('stored');
    const slot = (await raw.cluster('KEYSLOT', 'mig:{m}moved')) as number;
    const { owner, other } = await ownerAndOther(slot);
    const [ownerId, otherId] = (await Promise.all([owner.cluster('MYID'), other.cluster('MYID')])) as [string, string];
    try {
      await other.cluster('SETSLOT', slot, 'IMPORTING', ownerId);
      await owner.cluster('SETSLOT', slot, 'MIGRATING', otherId);
      await owner.migrate(other.options.host!, other.options.port!, 'mig:{m}moved', 0, 5000);
      // The fault is real: the key now lives on the importing master, which answers MOVED without ASKING.
      expect([await owner.keys('mig:*'), await other.keys('mig:*')]).toEqual([['mig:{m}stays'], ['mig:{m}moved']]);
      await expect(other.unlink('mig:{m}moved')).rejects.toThrow(/^MOVED /);
      await expect(cache.invalidatePattern('{m}*')).resolves.toBe(2);
      expect([await owner.keys('mig:*'), await other.keys('mig:*')]).toEqual([[], []]);
    } finally {
      await Promise.all([owner.cluster('SETSLOT', slot, 'STABLE'), other.cluster('SETSLOT', slot, 'STABLE')]);
    }
  });

  // Runs last: it stops the shared cluster.
  it('the whole cluster going away: operations degrade at once (l1_only, L1 flushed then own writes read, queued delete), no unhandled error', async () => {
    const cache = clusterCache('down:');
    await cache.connect();
    await expect(cache.set('a', 1)).resolves.toBe('stored');
    const states: ConnectionState[] = [];
    cache.on('connection_state', (state) => void states.push(state));
    const unhandled: unknown[] = [];
    const onUnhandled = (error: unknown) => void unhandled.push(error);
    process.on('uncaughtException', onUnhandled);
    process.on('unhandledRejection', onUnhandled);
    try {
      await cluster.stop();
      // The cluster never comes back in this test, so each call resolving proves it did not wait for a reconnect.
      // The client only learns of the loss from a command, so the first set may fail on a dead node (redis_error).
      await expect(cache.set('b', 2)).resolves.toBe('l1_only');
      await until(() => cache.connectionState !== 'ready', 10_000, 'cluster client leaves ready');
      await until(() => !cache.l1CoherenceStatus().trusted, 10_000, 'L1 invalidation channel lost');
      // L1 was emptied on the loss; what this instance writes afterwards is served while Redis is away.
      await expect(cache.get('a')).resolves.toBeNull();
      await expect(cache.set('b', 2)).resolves.toBe('l1_only');
      await expect(cache.get('b')).resolves.toBe(2);
      await expect(cache.get('nowhere')).resolves.toBeNull();
      await expect(cache.delete('b')).resolves.toBe(true);
      await expect(cache.invalidatePattern('x*')).resolves.toBe(0);
      await expect(cache.exists('nowhere')).resolves.toBe(false);
      const stats = cache.getStats();
      expect([stats.setsL1Only, stats.deletesDegraded, stats.invalidationsDegraded]).toEqual([2, 1, 1]);
      expect(stats.pendingInvalidations).toBe(2);
      expect(states[0]).toBe('reconnecting');
      expect(unhandled).toEqual([]);
    } finally {
      process.off('uncaughtException', onUnhandled);
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
