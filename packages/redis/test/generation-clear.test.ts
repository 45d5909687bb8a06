import { startRedis, startTcpProxy, type RedisTestServer } from '@cache-tooling/test-redis';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GenericRedisCache } from '../src/index.js';
import { Fixture, newEncryption, uniquePrefix, until } from './helpers.js';

const PASSWORD = 'generation-pass-123';
let server: RedisTestServer;
let raw: Redis;
const fixture = new Fixture();

beforeAll(async () => {
  server = await startRedis({ password: PASSWORD, args: ['--enable-debug-command', 'local'] });
  raw = fixture.client(server);
});
afterEach(async () => {
  await fixture.closeAll();
  raw = fixture.client(server);
});
afterAll(async () => {
  await fixture.closeAll();
  await server.stop();
});

/** Physical key of `key` in generation `n` ≥ 1: `<prefix>\xFF<n>\xFF<key>`. */
const inGeneration = (prefix: string, n: number, key: string): Buffer =>
  Buffer.concat([Buffer.from(prefix), Buffer.from([0xff]), Buffer.from(String(n)), Buffer.from([0xff]), Buffer.from(key)]);
const counterKey = (prefix: string): Buffer => Buffer.concat([Buffer.from(prefix), Buffer.from([0xff]), Buffer.from('generation')]);

/** Calls per command since the server started (`INFO commandstats`). */
async function commandCalls(): Promise<Map<string, number>> {
  const text = await raw.info('commandstats');
  const calls = new Map<string, number>();
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(match[1]!, Number(match[2]));
  return calls;
}

function delta(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [command, n] of after) if (n - (before.get(command) ?? 0) > 0) out.set(command, n - (before.get(command) ?? 0));
  return out;
}

const generationCache = (options: Parameters<Fixture['cache']>[1]): GenericRedisCache =>
  fixture.cache(server, { connectTimeoutMs: 5000, ...options });

async function trusted(...caches: GenericRedisCache[]): Promise<void> {
  for (const cache of caches) {
    await expect(cache.connect()).resolves.toBe(true);
    await until(() => cache.l1CoherenceStatus().trusted, 5000, 'coherence trusted');
  }
}

describe("clear: 'generation'", () => {
  it('keeps the plain layout until the first clear, then moves every operation to the new generation (old keys left to their TTL)', async () => {
    const prefix = uniquePrefix('gen');
    const encryption = newEncryption();
    const cache = generationCache({ keyPrefix: prefix, clear: 'generation', encryption });
    await trusted(cache);
    await cache.set('k', 'before', { ttl: 600, tags: ['t'] });
    await cache.set('other', 'o', 600);
    // Generation 0 is today's layout: `<prefix><key>`, tag sets `<prefix minus ':'>#tag:<tag>`, no counter.
    expect(await raw.exists(`${prefix}k`, `${prefix}other`)).toBe(2);
    expect(await raw.sismember(`${prefix.slice(0, -1)}#tag:t`, 'k')).toBe(1);
    expect(await raw.exists(counterKey(prefix))).toBe(0);

    await expect(cache.clear()).resolves.toBe(2);
    expect(await raw.get(counterKey(prefix))).toBe('1');
    // The old generation stays, with its TTL, and is never read again.
    expect(await raw.ttl(`${prefix}k`)).toBeGreaterThan(500);
    await expect(cache.get('k')).resolves.toBeNull();
    await expect(cache.exists('k')).resolves.toBe(false);
    await expect(cache.getTtl('k')).resolves.toBeNull();
    await expect(cache.getMany(['k', 'other'])).resolves.toEqual([null, null]);

    await expect(cache.setMany([{ key: 'k', value: 'after' }, { key: 'n', value: 'new', ttl: 60 }])).resolves.toEqual(['stored', 'stored']);
    await cache.set('tagged', 'x', { ttl: 60, tags: ['t'] });
    expect(await raw.exists(inGeneration(prefix, 1, 'k'), inGeneration(prefix, 1, 'n'))).toBe(2);
    await expect(cache.getMany(['k', 'n'])).resolves.toEqual(['after', 'new']);
    await expect(cache.getTtl('n')).resolves.toBeGreaterThan(50);
    // scanKeys and pattern invalidation see the current generation only (never the counter or old keys).
    const listed: string[] = [];
    for await (const key of cache.scanKeys('*')) listed.push(key);
    expect(listed.sort()).toEqual(['k', 'n', 'tagged']);
    await expect(cache.invalidatePattern('n*')).resolves.toBe(1);
    expect(await raw.exists(`${prefix}other`, counterKey(prefix))).toBe(2);
    // Tags are per generation: the old tag set is not consulted, the new one lists only new keys.
    await expect(cache.invalidateTags(['t'])).resolves.toBe(1);
    expect(await raw.exists(`${prefix}k`)).toBe(1);
    await expect(cache.get('k')).resolves.toBe('after');
    // getOrSet's lease and store work in the new generation.
    await expect(cache.getOrSet('computed', () => 'c', { ttl: 60 })).resolves.toBe('c');
    expect(await raw.exists(inGeneration(prefix, 1, 'computed'))).toBe(1);

    await expect(cache.clear()).resolves.toBeGreaterThanOrEqual(0);
    expect(await raw.get(counterKey(prefix))).toBe('2');
    await expect(cache.get('computed')).resolves.toBeNull();
  });

  it('an instance without L1 (no notification channel) reads the generation before each command, so it never serves a pre-clear value', async () => {
    const prefix = uniquePrefix('gen-nol1');
    const encryption = newEncryption();
    const a = generationCache({ keyPrefix: prefix, clear: 'generation', encryption });
    const b = generationCache({ keyPrefix: prefix, clear: 'generation', encryption, enableL1Cache: false });
    await trusted(a);
    await expect(b.connect()).resolves.toBe(true);
    await a.set('k', 'v1');
    await expect(b.get('k')).resolves.toBe('v1');
    await a.clear();
    await expect(b.get('k')).resolves.toBeNull();
    await b.set('k', 'v2');
    await expect(a.get('k')).resolves.toBe('v2');
  });

  it('a plain client that resets the counter is reported like any key change: L1 is flushed and the generation read again', async () => {
    const prefix = uniquePrefix('gen-raw');
    const encryption = newEncryption();
    const a = generationCache({ keyPrefix: prefix, clear: 'generation', encryption });
    await trusted(a);
    await a.set('k', 'v0');
    await a.clear();
    await a.set('k', 'v1');
    await expect(a.get('k')).resolves.toBe('v1');
    // Back to generation 0 from outside: the old value is what the plain layout holds.
    await raw.del(counterKey(prefix));
    await until(async () => (await a.get('k')) === 'v0', 5000, 'the instance to follow the counter');
  });

  it('a clear Redis did not take stays pending (every key a miss here) and is applied as a new generation on reconnect, settling older pending entries', async () => {
    const prefix = uniquePrefix('gen-pending');
    const encryption = newEncryption();
    const proxy = await startTcpProxy({ host: server.host, port: server.port });
    try {
      const writer = generationCache({ keyPrefix: prefix, clear: 'generation', encryption });
      const cut = generationCache({ keyPrefix: prefix, clear: 'generation', encryption, redisUrl: `redis://${proxy.host}:${proxy.port}` });
      await trusted(writer, cut);
      await writer.set('k', 'old');
      await writer.set('j', 'old-j');
      await proxy.cut();
      await until(() => cut.connectionState !== 'ready', 5000, 'the cut to be noticed');
      await cut.delete('j');
      await cut.clear();
      expect(cut.getStats().pendingInvalidations).toBeGreaterThanOrEqual(1);
      expect(await raw.exists(counterKey(prefix))).toBe(0);
      await proxy.restore();
      await until(() => cut.connectionState === 'ready' && cut.getStats().pendingInvalidations === 0, 10_000, 'the replay');
      expect(await raw.get(counterKey(prefix))).toBe('1');
      await expect(writer.get('k')).resolves.toBeNull();
      await expect(cut.get('k')).resolves.toBeNull();
    } finally {
      await fixture.closeAll();
      await proxy.close();
    }
  });

  it('with a million keys under the prefix, clear issues a constant number of commands (no SCAN, no UNLINK)', async () => {
    const prefix = uniquePrefix('gen-1m');
    const encryption = newEncryption();
    const a = generationCache({ keyPrefix: prefix, clear: 'generation', encryption });
    await trusted(a);
    // DEBUG POPULATE makes `<prefix>:<n>` keys, a million of them, under this prefix.
    await raw.call('DEBUG', 'POPULATE', '1000000', prefix, '8');
    await a.set('k', 'v');
    const dbsize = await raw.dbsize();
    expect(dbsize).toBeGreaterThan(1_000_000);

    const before = await commandCalls();
    await a.clear();
    const after = await commandCalls();
    const issued = delta(before, after);
    expect(issued.get('scan') ?? 0).toBe(0);
    expect(issued.get('unlink') ?? 0).toBe(0);
    expect(issued.get('del') ?? 0).toBe(0);
    expect(issued.get('incr')).toBe(1);
    // Everything else is the INFO probe, the counter read and heartbeats: a handful, never a function of the key count.
    const total = [...issued.values()].reduce((sum, n) => sum + n, 0);
    expect(total).toBeLessThanOrEqual(12);
    expect(await raw.dbsize()).toBe(dbsize + 1);
    await expect(a.get('k')).resolves.toBeNull();
    await a.set('k', 'after');
    await expect(a.get('k')).resolves.toBe('after');
    await raw.flushdb();
  }, 120_000);

  it('scan mode (the default) never reads or writes a generation, and its pattern invalidation leaves a counter alone', async () => {
    const prefix = uniquePrefix('scan');
    const cache = generationCache({ keyPrefix: prefix });
    await trusted(cache);
    await raw.set(counterKey(prefix), '7');
    await cache.set('k', 'v');
    expect(await raw.exists(`${prefix}k`)).toBe(1);
    await expect(cache.clear()).resolves.toBe(1);
    expect(await raw.get(counterKey(prefix))).toBe('7');
    expect(await raw.exists(`${prefix}k`)).toBe(0);
  });

  it("refuses 'generation' without a keyPrefix, and unknown modes", () => {
    expect(() => fixture.cache(server, { clear: 'generation' })).toThrow(/keyPrefix/);
    expect(() => generationCache({ keyPrefix: 'x:', clear: 'flush' as never })).toThrow(/'scan' or 'generation'/);
  });
});
