import { ManualClock } from '@cache/core';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Fixture, newEncryption, uniquePrefix } from './helpers.js';

/** Calls of `command` the server has answered so far (INFO commandstats). */
async function calls(raw: Redis, command: string): Promise<number> {
  const match = new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(await raw.info('commandstats'));
  return match ? Number(match[1]) : 0;
}

let server: RedisTestServer;
const fx = new Fixture();

beforeAll(async () => {
  server = await startRedis({ password: 'batch-pass-123' });
});
afterEach(() => fx.closeAll());
afterAll(async () => {
  await server.stop();
});

describe('getMany / setMany against real Redis', () => {
  it('setMany stores every entry with its TTL; getMany returns values in key order with null for misses, counted like get', async () => {
    const prefix = uniquePrefix('batch');
    const encryption = newEncryption();
    const cache = fx.cache(server, { keyPrefix: prefix, encryption, enableL1Cache: false });
    const outcomes = await cache.setMany([
      { key: 'a', value: { n: 1, z: 'first', a: 'keys keep their order' } },
      { key: 'b', value: [1, 2, 3], ttl: 60 },
      { key: 'c', value: 'text', ttl: { ttl: '2m' } },
    ]);
    expect(outcomes).toEqual(['stored', 'stored', 'stored']);
    const got = await cache.getMany(['c', 'missing', 'a', 'b']);
    expect(got).toEqual(['text', null, { n: 1, z: 'first', a: 'keys keep their order' }, [1, 2, 3]]);
    expect(JSON.stringify(got[2])).toBe('{"n":1,"z":"first","a":"keys keep their order"}');
    expect(await cache.getTtl('b')).toBeLessThanOrEqual(60);
    expect(await cache.getTtl('c')).toBeGreaterThan(60);
    expect(cache.getStats()).toMatchObject({ gets: 4, hitsRedis: 3, misses: 1, sets: 3, setsRedis: 3 });
    const other = fx.cache(server, { keyPrefix: prefix, encryption, enableL1Cache: false });
    expect(await other.getMany(['a', 'b'])).toEqual([{ n: 1, z: 'first', a: 'keys keep their order' }, [1, 2, 3]]);
  });

  it('getMany answers from L1 first and promotes Redis hits, as get does', async () => {
    const prefix = uniquePrefix('batchl1');
    const encryption = newEncryption();
    const writer = fx.cache(server, { keyPrefix: prefix, encryption, enableL1Cache: false });
    const cache = fx.cache(server, { keyPrefix: prefix, encryption });
    await writer.setMany([{ key: 'x', value: 1 }, { key: 'y', value: 2 }]);
    await cache.set('z', 3);
    expect(await cache.getMany(['x', 'y', 'z'])).toEqual([1, 2, 3]);
    expect(cache.getStats()).toMatchObject({ hitsL1: 1, hitsRedis: 2 });
    expect(await cache.getMany(['x', 'y'])).toEqual([1, 2]);
    expect(cache.getStats()).toMatchObject({ hitsL1: 3, hitsRedis: 2 });
  });

  it('one invalid key or entry rejects with ValidationError before anything is read or written', async () => {
    const prefix = uniquePrefix('batchbad');
    const cache = fx.cache(server, { keyPrefix: prefix, enableL1Cache: false });
    await expect(cache.getMany(['ok', ''])).rejects.toMatchObject({ code: 'INVALID_KEY' });
    await expect(cache.getMany('ok' as unknown as string[])).rejects.toMatchObject({ code: 'INVALID_KEY' });
    await expect(cache.getMany(['ok', 'k'.repeat(9000)])).rejects.toMatchObject({ code: 'INVALID_KEY' });
    expect(cache.getStats().gets).toBe(0);
    await expect(cache.setMany([{ key: 'a', value: 1 }, { key: 'b', value: null }])).rejects.toMatchObject({ code: 'INVALID_VALUE' });
    await expect(cache.setMany([{ key: 'a', value: 1 }, { key: 'b', value: 2, ttl: 0 }])).rejects.toMatchObject({ code: 'INVALID_TTL' });
    await expect(cache.setMany([{ key: 'a', value: 1 }, { key: 'k'.repeat(9000), value: 2 }])).rejects.toMatchObject({ code: 'INVALID_KEY' });
    expect(cache.getStats().sets).toBe(0);
    expect(await cache.exists('a')).toBe(false);
  });

  it('a later entry for the same key wins', async () => {
    const prefix = uniquePrefix('batchdup');
    const cache = fx.cache(server, { keyPrefix: prefix });
    await cache.setMany([{ key: 'k', value: 'first' }, { key: 'k', value: 'second' }]);
    expect(await cache.get('k')).toBe('second');
  });

  it('getMany reads all of its L1 misses with one MGET, not one GET per key', async () => {
    const prefix = uniquePrefix('batchmget');
    const encryption = newEncryption();
    const cache = fx.cache(server, { keyPrefix: prefix, encryption });
    const raw = fx.client(server);
    await fx.cache(server, { keyPrefix: prefix, encryption, enableL1Cache: false }).setMany(Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: { i } })));
    await cache.set('inL1', 'local');
    const [gets, mgets] = [await calls(raw, 'get'), await calls(raw, 'mget')];
    const keys = ['inL1', ...Array.from({ length: 50 }, (_, i) => `k${i}`), 'absent'];
    expect(await cache.getMany(keys)).toEqual(['local', ...Array.from({ length: 50 }, (_, i) => ({ i })), null]);
    expect([(await calls(raw, 'get')) - gets, (await calls(raw, 'mget')) - mgets]).toEqual([0, 1]);
    expect(cache.getStats()).toMatchObject({ gets: 52, hitsL1: 1, hitsRedis: 50, misses: 1 });
  });

  it('getMany places a value that inflates asynchronously (a large compressed body) among values decoded at once, each counted as a hit', async () => {
    const prefix = uniquePrefix('batchzip');
    const cache = fx.cache(server, { keyPrefix: prefix, encryption: newEncryption(), enableL1Cache: false });
    // 200 000 random letters of a 4-letter alphabet: kept compressed (about 30 %), yet far past the body size inflated off the event loop.
    const big = Array.from({ length: 200_000 }, () => 'acgt'[Math.floor(Math.random() * 4)]).join('');
    await cache.setMany([{ key: 'small-1', value: { n: 1 } }, { key: 'big', value: { big } }, { key: 'small-2', value: [2] }]);
    const stored = await fx.client(server).strlen(`${prefix}big`);
    expect(stored > 32 * 1024 && stored < 100_000).toBe(true);
    const got = await cache.getMany(['small-1', 'big', 'missing', 'small-2']);
    expect(got).toEqual([{ n: 1 }, { big }, null, [2]]);
    expect(cache.getStats()).toMatchObject({ hitsRedis: 3, misses: 1 });
  });

  it('getMany keeps get\'s per-key rules: a damaged value is a counted decode miss, a value kept only for grace is a miss, the rest are hits', async () => {
    const prefix = uniquePrefix('batchrules');
    const encryption = newEncryption();
    const clock = new ManualClock(Date.now());
    const cache = fx.cache(server, { keyPrefix: prefix, encryption, clock, enableL1Cache: false });
    const raw = fx.client(server);
    await cache.set('good', 'value', 3600);
    await cache.set('damaged', 'value', 3600);
    const bytes = (await raw.getBuffer(`${prefix}damaged`))!;
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 5) ^ 1, bytes.length - 5);
    await raw.set(`${prefix}damaged`, bytes);
    await cache.getOrSet('graced', () => 'stale soon', { ttl: 60, grace: 3600 });
    clock.advance(120_000);
    const reasons: string[] = [];
    cache.on('decode_error', (_key, meta) => void reasons.push(meta.reason));
    expect(await cache.getMany(['good', 'damaged', 'graced'])).toEqual(['value', null, null]);
    expect(reasons).toEqual(['decrypt_failed']);
    expect(cache.getStats()).toMatchObject({ hitsRedis: 1, decodeErrors: 1 });
    expect(await Promise.all(['good', 'damaged', 'graced'].map((key) => cache.get(key)))).toEqual(['value', null, null]);
  });
});
