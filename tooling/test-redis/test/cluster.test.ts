import type { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRedisCluster, type RedisTestCluster } from '../src/index.js';
import { ClientPool } from './clients.js';

const pool = new ClientPool();
afterEach(() => pool.disconnectAll());

let cluster: RedisTestCluster;
beforeAll(async () => {
  cluster = await startRedisCluster();
}, 30_000);
afterAll(() => cluster?.stop());

async function keysPerMaster(client: Cluster): Promise<number[]> {
  return Promise.all(client.nodes('master').map((node) => node.dbsize()));
}

describe('3-master Redis Cluster on loopback', () => {
  it('exposes three distinct loopback masters', () => {
    expect(cluster.nodes).toHaveLength(3);
    expect(new Set(cluster.nodes.map((node) => node.port)).size).toBe(3);
    expect(cluster.nodes.every((node) => node.host === '127.0.0.1')).toBe(true);
  });

  it('serves SET/GET across many slots, and the keys land on every master', async () => {
    const client = pool.cluster(cluster.nodes);
    const keys = Array.from({ length: 200 }, (_, index) => `cluster:key:${index}`);
    await Promise.all(keys.map((key, index) => client.set(key, String(index))));
    const values = await Promise.all(keys.map((key) => client.get(key)));
    expect(values).toEqual(keys.map((_, index) => String(index)));

    const slots = new Set(await Promise.all(keys.map((key) => client.cluster('KEYSLOT', key))));
    expect(slots.size).toBeGreaterThan(100);
    const perMaster = await keysPerMaster(client);
    expect(perMaster).toHaveLength(3);
    expect(perMaster.every((count) => count > 0)).toBe(true);
    expect(perMaster.reduce((sum, count) => sum + count, 0)).toBe(keys.length);
  });

  it('reports every slot covered on every node', async () => {
    const client = pool.cluster(cluster.nodes);
    const infos = await Promise.all(client.nodes('master').map((node) => node.cluster('INFO')));
    for (const info of infos) {
      expect(info).toMatch(/cluster_state:ok/);
      expect(info).toMatch(/cluster_slots_assigned:16384/);
    }
  });

  it('rejects fewer than three masters before starting anything', async () => {
    await expect(startRedisCluster({ masters: 2 })).rejects.toThrow(RangeError);
  });
});
