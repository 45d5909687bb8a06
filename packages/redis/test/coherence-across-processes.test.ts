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

  it("clear: 'generation' through one instance: every instance misses at once, and writes after the clear are read by every instance", async () => {
    const prefix = uniquePrefix('gen');
    const generation = { ...config(prefix), options: { clear: 'generation' } };
    const [a, b, c] = await startInstances([generation, generation, generation]);
    const all = [a!, b!, c!];
    for (const key of ['k1', 'k2']) await a!.set(key, `${key}-old`);
    for (const key of ['k1', 'k2']) await warm(all, key, `${key}-old`);
    await a!.clear();
    // A's clear resolved: B and C stop serving (L1 or Redis) within the coherence bound; their only earlier answer may be the old value.
    for (const reader of all) for (const key of ['k1', 'k2']) await convergesTo(reader, key, null, [`${key}-old`]);
    await expect(b!.set('k1', 'new-from-B')).resolves.toBe('stored');
    for (const reader of all) await convergesTo(reader, 'k1', 'new-from-B');
    await warm(all, 'k1', 'new-from-B');
    // The old generation is still in Redis (left to its TTL) and never served again.
    expect(await raw.exists(`${prefix}k1`, `${prefix}k2`)).toBe(2);
    for (const reader of all) await expect(reader.get('k2')).resolves.toEqual({ value: null, tier: 'miss' });
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
    // The invalidation connection may be back before the data connection (each reconnects on its own).
    await until(async () => {
      const status = await c!.status();
      return status.coherence.trusted && status.state === 'ready';
    }, 10_000, 'C ready and trusted again');
    await convergesTo(c!, 'k', 'new');
  });

  it('cutting only the tracking connection with the TCP proxy: the instance bypasses L1 (reads Redis, never its old copy) until the channel is back', async () => {
    const prefix = uniquePrefix('trkcut');
    const [a, c] = await startInstances([config(prefix), config(prefix, true)]);
    await a!.set('k', 'v1');
    await warm([c!], 'k', 'v1');
    // C's first connection through the proxy is its data connection; the second, opened once it was ready, the tracking one.
    await proxy.cutAllBut(1);
    try {
      await until(async () => !(await c!.status()).coherence.trusted, 5000, 'C to lose its tracking connection');
      expect((await c!.status()).state).toBe('ready');
      await expect(a!.set('k', 'v2')).resolves.toBe('stored');
      await expect(c!.get('k')).resolves.toEqual({ value: 'v2', tier: 'redis' });
      await expect(c!.get('k')).resolves.toEqual({ value: 'v2', tier: 'redis' });
      expect((await c!.status()).coherence.trusted).toBe(false);
    } finally {
      await proxy.restore();
    }
    await until(async () => (await c!.status()).coherence.trusted, 10_000, 'C trusted again');
    await expect(a!.set('k', 'v3')).resolves.toBe('stored');
    await convergesTo(c!, 'k', 'v3', ['v2']);
    await warm([c!], 'k', 'v3');
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
    // delete, invalidatePattern and (SCAN) clear through the instances.
    for (const key of keys) await all[0]!.set(key, `${key}-3`);
    for (const key of keys) await warm(all, key, `${key}-3`);
    await expect(all[1]!.delete('alpha')).resolves.toBe(true);
    await expect(all[2]!.invalidatePattern('b*')).resolves.toBe(1);
    for (const reader of all) {
      await convergesTo(reader, 'alpha', null, ['alpha-3']);
      await convergesTo(reader, 'bravo', null, ['bravo-3']);
    }
    await all[0]!.clear();
    for (const key of keys) for (const reader of all) await convergesTo(reader, key, null, [`${key}-3`]);
  });

  it('tags on the cluster: invalidateTags through one instance removes the tagged keys (spread over the masters) for every instance', async () => {
    const prefix = uniquePrefix('ctags');
    const config: InstanceConfig = { clusterNodes: [...cluster.nodes], keyPrefix: prefix, encryptionKey };
    const all = await startInstances([config, config, config]);
    const tagged = ['alpha', 'bravo', 'charlie', 'delta'];
    for (const [i, key] of tagged.entries()) await expect(all[i % 3]!.set(key, `${key}-t`, ['group'])).resolves.toBe('stored');
    await all[0]!.set('untagged', 'u');
    for (const key of tagged) await warm(all, key, `${key}-t`);
    await warm(all, 'untagged', 'u');
    await expect(all[2]!.invalidateTags(['group'])).resolves.toBe(4);
    for (const key of tagged) for (const reader of all) await convergesTo(reader, key, null, [`${key}-t`]);
    for (const reader of all) await expect(reader.get('untagged')).resolves.toEqual({ value: 'u', tier: 'l1' });
  });

  it("clear: 'generation' on the cluster: every instance misses after one instance's clear, hash tags still pick the slot, writes after it are read everywhere", async () => {
    const prefix = uniquePrefix('cgen');
    const config: InstanceConfig = { clusterNodes: [...cluster.nodes], keyPrefix: prefix, encryptionKey, options: { clear: 'generation' } };
    const all = await startInstances([config, config, config]);
    const keys = ['alpha', 'bravo', 'charlie', '{user:7}:a', '{user:7}:b'];
    for (const key of keys) await all[0]!.set(key, `${key}-1`);
    for (const key of keys) await warm(all, key, `${key}-1`);
    await all[1]!.clear();
    for (const key of keys) for (const reader of all) await convergesTo(reader, key, null, [`${key}-1`]);
    for (const [i, key] of keys.entries()) await expect(all[i % 3]!.set(key, `${key}-2`)).resolves.toBe('stored');
    for (const key of keys) for (const reader of all) await convergesTo(reader, key, `${key}-2`);
    // Generation 1's physical keys: `<prefix>\xFF1\xFF<key>`; a `{…}` in the key still selects the slot.
    const physical = (key: string): Buffer => Buffer.concat([Buffer.from(prefix), Buffer.from([0xff, 0x31, 0xff]), Buffer.from(key)]);
    for (const key of keys) expect(await raw.exists(physical(key))).toBe(1);
    const slot = (key: Buffer | string): Promise<unknown> => raw.call('CLUSTER', 'KEYSLOT', key);
    expect(await slot(physical('{user:7}:a'))).toBe(await slot('user:7'));
    expect(await slot(physical('{user:7}:b'))).toBe(await slot('user:7'));
  });
});
