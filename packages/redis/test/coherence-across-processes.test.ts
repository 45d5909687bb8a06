import { generateFernetKey } from '@cache/encryption';
import { startRedis, startRedisCluster, startTcpProxy, type RedisTestCluster, type RedisTestServer, type TcpProxy } from '@cache-tooling/test-redis';
import { Cluster, Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Instance, type InstanceConfig } from './instances.js';
import { uniquePrefix, until } from './helpers.js';

const PASSWORD = 'coherence-pass-123';
const encryptionKey = generateFernetKey();
let running: Instance[] = [];

afterEach(async () => {
  await Promise.all(running.map((instance) => instance.stop()));
  running = [];
});

async function startInstances(configs: InstanceConfig[]): Promise<Instance[]> {
  const instances = configs.map((config, i) => new Instance(String.fromCharCode(65 + i), config));
  running.push(...instances);
  await expect(Promise.all(instances.map((instance) => instance.connect()))).resolves.toEqual(configs.map(() => true));
  for (const instance of instances) await until(async () => (await instance.status()).coherence.trusted, 10_000, `${instance.name} trusted`);
  return instances;
}

/** Polls `instance.get(key)` until it answers `expected`; every answer before that must be in `allowed` (never an older value). */
async function convergesTo(instance: Instance, key: string, expected: unknown, allowed: unknown[] = []): Promise<void> {
  const seen: unknown[] = [];
  await until(
    async () => {
      const { value } = await instance.get(key);
      seen.push(value);
      return JSON.stringify(value) === JSON.stringify(expected);
    },
    5000,
    `${instance.name} to see ${JSON.stringify(expected)} for ${key}`,
  );
  const stale = seen.slice(0, -1).filter((value) => !allowed.some((a) => JSON.stringify(a) === JSON.stringify(value)));
  expect(stale, `${instance.name} served an older value`).toEqual([]);
}

/** Makes every instance hold `key` in L1 (a second get answers from L1). */
async function warm(instances: Instance[], key: string, value: unknown): Promise<void> {
  for (const instance of instances) {
    await instance.get(key);
    await expect(instance.get(key)).resolves.toEqual({ value, tier: 'l1' });
  }
}

describe('L1 coherence across three processes on one Redis', () => {
  let server: RedisTestServer;
  let proxy: TcpProxy;
  let raw: Redis;

  beforeAll(async () => {
    server = await startRedis({ password: PASSWORD });
    proxy = await startTcpProxy({ host: server.host, port: server.port });
    raw = new Redis({ host: server.host, port: server.port, password: PASSWORD });
  });
  afterAll(async () => {
    raw.disconnect();
    await proxy.close();
    await server.stop();
  });

  const config = (keyPrefix: string, viaProxy = false): InstanceConfig => ({
    redisUrl: viaProxy ? `redis://${proxy.host}:${proxy.port}` : server.url(),
    password: PASSWORD,
    keyPrefix,
    encryptionKey,
  });

  it('set, delete, invalidatePattern and clear through any instance, and a plain client, drop the key from every L1', async () => {
    const prefix = uniquePrefix('coh');
    const [a, b, c] = await startInstances([config(prefix), config(prefix), config(prefix)]);
    const all = [a!, b!, c!];
    await expect(a!.set('k', 'v1')).resolves.toBe('stored');
    await warm(all, 'k', 'v1');
    // Each of the three writes in turn; the other two must stop serving their L1 copy.
    for (const [i, writer] of all.entries()) {
      const value = `from-${writer.name}`;
      const before = i === 0 ? 'v1' : `from-${all[i - 1]!.name}`;
      await expect(writer.set('k', value)).resolves.toBe('stored');
      for (const reader of all) await convergesTo(reader, 'k', value, [before]);
      await warm(all, 'k', value);
    }
    await expect(b!.delete('k')).resolves.toBe(true);
    for (const reader of all) await convergesTo(reader, 'k', null, ['from-C']);

    await a!.set('user:1', 'u1');
    await warm(all, 'user:1', 'u1');
    await expect(c!.invalidatePattern('user:*')).resolves.toBe(1);
    for (const reader of all) await convergesTo(reader, 'user:1', null, ['u1']);

    await a!.set('x', 'x1');
    await warm(all, 'x', 'x1');
    await b!.clear();
    for (const reader of all) await convergesTo(reader, 'x', null, ['x1']);

    // A plain client, outside the library.
    await a!.set('ext', 'e1');
    await warm(all, 'ext', 'e1');
    await raw.del(`${prefix}ext`);
    for (const reader of all) await convergesTo(reader, 'ext', null, ['e1']);
    for (const instance of all) expect((await instance.status()).coherence).toMatchObject({ mode: 'tracking', trusted: true });
  });

  it('tags: invalidateTags through one instance removes the tagged keys for every instance; get, exists and getOrSet agree', async () => {
    const prefix = uniquePrefix('tags');
    const [a, b, c] = await startInstances([config(prefix), config(prefix), config(prefix)]);
    const all = [a!, b!, c!];
    await expect(a!.set('p:1', 'one', ['product', 'shop:1'])).resolves.toBe('stored');
    await expect(b!.set('p:2', 'two', ['product'])).resolves.toBe('stored');
    await expect(c!.getOrSet('p:3', 'three', ['shop:1'])).resolves.toBe('three');
    await expect(c!.set('other', 'kept')).resolves.toBe('stored');
    await warm(all, 'p:1', 'one');
    await warm(all, 'p:2', 'two');
    await warm(all, 'p:3', 'three');
    await expect(b!.invalidateTags(['shop:1'])).resolves.toBe(2);
    for (const reader of all) {
      await convergesTo(reader, 'p:1', null, ['one']);
      await convergesTo(reader, 'p:3', null, ['three']);
      await expect(reader.exists('p:1')).resolves.toBe(false);
      await expect(reader.get('p:2')).resolves.toMatchObject({ value: 'two' });
      await expect(reader.get('other')).resolves.toMatchObject({ value: 'kept' });
    }
    await expect(a!.getOrSet('p:3', 'recomputed', ['shop:1'])).resolves.toBe('recomputed');
    await expect(c!.invalidateTags(['product'])).resolves.toBe(1);
    for (const reader of all) await convergesTo(reader, 'p:2', null, ['two']);
  });

  it('an instance whose connections are cut serves nothing from its old L1, and sees the newest value once back', async () => {
    const prefix = uniquePrefix('cut');
    const [a, c] = await startInstances([config(prefix), config(prefix, true)]);
    await a!.set('k', 'old');
    await warm([a!, c!], 'k', 'old');
    await proxy.cut();
    try {
      await until(async () => !(await c!.status()).coherence.trusted, 5000, 'C to lose its invalidation channel');
      await expect(a!.set('k', 'new')).resolves.toBe('stored');
      // C cannot reach Redis, and its L1 copy is no longer trusted: a miss, never 'old'.
      await expect(c!.get('k')).resolves.toEqual({ value: null, tier: 'miss' });
    } finally {
      await proxy.restore();
    }
    await until(async () => (await c!.status()).coherence.trusted, 10_000, 'C trusted again');
    await convergesTo(c!, 'k', 'new');
  });

  it('with only the invalidation connection gone (killed on the server, kept out), the instance reads Redis, not L1, until it is back', async () => {
    const prefix = uniquePrefix('trk');
    const [a, b] = await startInstances([config(prefix), config(prefix)]);
    await a!.set('k', 'v1');
    await warm([b!], 'k', 'v1');
    // Open connections stay authenticated; new ones (the invalidation connections reconnecting) are refused.
    await raw.config('SET', 'requirepass', 'changed-pass-456');
    try {
      await raw.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      await until(async () => !(await b!.status()).coherence.trusted, 5000, 'B to lose its invalidation channel');
      await expect(b!.get('k')).resolves.toEqual({ value: 'v1', tier: 'redis' });
      await expect(b!.get('k')).resolves.toEqual({ value: 'v1', tier: 'redis' });
      await expect(a!.set('k', 'v2')).resolves.toBe('stored');
      await expect(b!.get('k')).resolves.toEqual({ value: 'v2', tier: 'redis' });
      expect((await b!.status()).coherence.trusted).toBe(false);
    } finally {
      await raw.config('SET', 'requirepass', PASSWORD);
    }
    await until(async () => (await b!.status()).coherence.trusted, 10_000, 'B trusted again');
    await warm([b!], 'k', 'v2');
  });
});

describe('L1 coherence across three processes on a 3-master cluster', () => {
  let cluster: RedisTestCluster;
  let raw: Cluster;

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
    raw = new Cluster([...cluster.nodes]);
  });
  afterAll(async () => {
    raw.disconnect();
    await cluster.stop();
  });

  it('one invalidation connection per master; writes through any instance or a plain cluster client reach every L1', async () => {
    const prefix = uniquePrefix('ccoh');
    const config: InstanceConfig = { clusterNodes: [...cluster.nodes], keyPrefix: prefix, encryptionKey };
    const all = await startInstances([config, config, config]);
    for (const instance of all) expect((await instance.status()).coherence).toMatchObject({ mode: 'tracking', trusted: true, connections: 3, confirmed: 3 });
    // Keys spread over the three masters.
    const keys = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
    for (const key of keys) await all[0]!.set(key, `${key}-1`);
    for (const key of keys) await warm(all, key, `${key}-1`);
    for (const [i, key] of keys.entries()) {
      const writer = all[i % 3]!;
      await expect(writer.set(key, `${key}-2`)).resolves.toBe('stored');
    }
    for (const key of keys) for (const reader of all) await convergesTo(reader, key, `${key}-2`, [`${key}-1`]);
    for (const key of keys) await warm(all, key, `${key}-2`);
    for (const key of keys) await raw.del(`${prefix}${key}`);
    for (const key of keys) for (const reader of all) await convergesTo(reader, key, null, [`${key}-2`]);
  });
});
