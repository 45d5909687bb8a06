import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CacheEventMap } from '../src/index.js';
import { Fixture, newEncryption, uniquePrefix } from './helpers.js';
import { version2Envelope } from './version-2-envelope.js';

let server: RedisTestServer;
let raw: Redis;
const fx = new Fixture();
const rawFx = new Fixture();

beforeAll(async () => {
  server = await startRedis({ password: 'round-trip-pass-123' });
  raw = rawFx.client(server);
});
afterEach(() => fx.closeAll());
afterAll(async () => {
  await rawFx.closeAll();
  await server.stop();
});

type Missed = Parameters<CacheEventMap['get_miss']>;

describe('values through real Redis', () => {
  it('round-trips nested JSON with L1 disabled; a missing key is null with get_miss not_found', async () => {
    const prefix = uniquePrefix('rt');
    const cache = fx.cache(server, { keyPrefix: prefix, enableL1Cache: false });
    const misses: Missed[] = [];
    cache.on('get_miss', (...args) => void misses.push(args));
    const value = { name: 'Zoë 日本 🚀', empty: {}, list: [], nums: [0, -1.5, 1e21, 42], nested: { deep: [{ x: null }] } };
    await expect(cache.set('doc', value)).resolves.toBe('stored');
    await expect(cache.get('doc')).resolves.toEqual(value);
    await expect(cache.get('absent')).resolves.toBeNull();
    expect(misses).toEqual([['absent', { reason: 'not_found', durationMs: expect.any(Number) }]]);
    expect(cache.connectionState).toBe('ready');
  });

  it('stores the envelope: CA CE 03 01, encrypted flag, the raw token, no plaintext fragment', async () => {
    const prefix = uniquePrefix('wire');
    const cache = fx.cache(server, { keyPrefix: prefix });
    await cache.set('k', { marker: 'visible-plaintext-fragment' });
    const bytes = await raw.getBuffer(`${prefix}k`);
    expect(bytes).not.toBeNull();
    expect([...bytes!.subarray(0, 4)]).toEqual([0xca, 0xce, 0x03, 0x01]);
    expect(bytes![5]).toBe(0x80);
    expect(bytes![4]! & 0x02).toBe(0x02);
    expect(bytes!.includes(Buffer.from('visible-plaintext-fragment'))).toBe(false);
  });

  it('compresses values above the threshold (the original failure case) and records the ratio', async () => {
    const prefix = uniquePrefix('cmp');
    const ratios: number[][] = [];
    const recorder = {
      recordOperation: () => undefined,
      recordCompressionRatio: (original: number, compressed: number, ms: number) => void ratios.push([original, compressed, ms]),
    };
    const cache = fx.cache(server, { keyPrefix: prefix, enableL1Cache: false, performanceMonitor: recorder });
    const big = { text: 'lorem ipsum '.repeat(1000) };
    await expect(cache.set('big', big)).resolves.toBe('stored');
    await cache.set('small', { text: 'tiny' });
    expect((await raw.getBuffer(`${prefix}big`))![4]! & 0x01).toBe(0x01);
    expect((await raw.getBuffer(`${prefix}small`))![4]! & 0x01).toBe(0);
    await expect(cache.get('big')).resolves.toEqual(big);
    expect(ratios).toHaveLength(1);
    expect(ratios[0]![0]).toBeGreaterThan(ratios[0]![1]!);
  });

  it('a flipped byte is a counted decode miss (decrypt_failed), never a throw', async () => {
    const prefix = uniquePrefix('flip');
    const cache = fx.cache(server, { keyPrefix: prefix, enableL1Cache: false });
    const reasons: string[] = [];
    cache.on('decode_error', (_key, meta) => void reasons.push(meta.reason));
    await cache.set('k', { a: 1 });
    const bytes = (await raw.getBuffer(`${prefix}k`))!;
    bytes[20] = bytes[20] === 0x41 ? 0x42 : 0x41;
    await raw.set(`${prefix}k`, bytes);
    await expect(cache.get('k')).resolves.toBeNull();
    expect(cache.getStats().decodeErrors).toBe(1);
    expect(reasons).toEqual(['decrypt_failed']);
    expect(await raw.exists(`${prefix}k`)).toBe(1);
  });

  it('a value copied from key A to key B is refused with key_mismatch', async () => {
    const prefix = uniquePrefix('copy');
    const cache = fx.cache(server, { keyPrefix: prefix, enableL1Cache: false });
    const reasons: string[] = [];
    cache.on('decode_error', (_key, meta) => void reasons.push(meta.reason));
    await cache.set('A', 'secret-of-A');
    await raw.set(`${prefix}B`, (await raw.getBuffer(`${prefix}A`))!);
    await expect(cache.get('B')).resolves.toBeNull();
    expect(reasons).toEqual(['key_mismatch']);
  });

  it('a version-2 value (base64 token) the previous release wrote is read back; the version-3 copy Redis keeps is a quarter smaller', async () => {
    const prefix = uniquePrefix('v2');
    const encryption = newEncryption();
    const cache = fx.cache(server, { keyPrefix: prefix, enableL1Cache: false, encryption });
    const value = { id: 1, name: 'written by the previous release', list: [1, 2, 3] };
    await raw.set(`${prefix}old`, version2Envelope(encryption, `${prefix}old`, value, { expiresAt: Date.now() + 60_000 }), 'EX', 60);
    await expect(cache.get('old')).resolves.toEqual(value);
    await cache.set('new', value, 60);
    const [v2Bytes, v3Bytes] = [await raw.strlen(`${prefix}old`), await raw.strlen(`${prefix}new`)];
    expect(v2Bytes - 5).toBe(4 * Math.ceil((v3Bytes - 5) / 3));
    expect(cache.getStats().decodeErrors).toBe(0);
  });

  it('an older ciphertext restored without TTL dies with its original TTL (expired token: counted miss); within its lifetime a replay is still read', async () => {
    const prefix = uniquePrefix('replay');
    const cache = fx.cache(server, { keyPrefix: prefix, enableL1Cache: false });
    const reasons: string[] = [];
    cache.on('decode_error', (_key, meta) => void reasons.push(meta.reason));
    await expect(cache.set('k', 'old', 1)).resolves.toBe('stored');
    const old = (await raw.getBuffer(`${prefix}k`))!;
    await expect(cache.set('k', 'new', 3600)).resolves.toBe('stored');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await raw.set(`${prefix}k`, old);
    expect(await raw.ttl(`${prefix}k`)).toBe(-1);
    await expect(cache.get('k')).resolves.toBeNull();
    expect(reasons).toEqual(['expired']);
    expect(cache.getStats().decodeErrors).toBe(1);

    // The documented limit: inside its lifetime an older value of the same key is still accepted.
    await cache.set('k', 'v1', 60);
    const v1 = (await raw.getBuffer(`${prefix}k`))!;
    await cache.set('k', 'v2', 60);
    await raw.set(`${prefix}k`, v1);
    await expect(cache.get('k')).resolves.toBe('v1');
  });

  it('foreign values (plain text, Python rawj:, pickle, token of another key) are misses, never parsed', async () => {
    const prefix = uniquePrefix('foreign');
    const cache = fx.cache(server, { keyPrefix: prefix, enableL1Cache: false });
    const other = fx.cache(server, { keyPrefix: prefix, enableL1Cache: false });
    await other.set('other-key-set', { a: 1 });
    await raw.set(`${prefix}hello`, 'hello');
    await raw.set(`${prefix}rawj`, 'rawj:{"a":1}');
    await raw.set(`${prefix}pickle`, Buffer.from([0x80, 0x04, 0x95, 0x05, 0, 0, 0, 0, 0, 0, 0, 0x8c, 0x01, 0x61, 0x94, 0x2e]));
    for (const key of ['hello', 'rawj', 'pickle', 'other-key-set']) await expect(cache.get(key)).resolves.toBeNull();
    expect(cache.getStats().decodeErrors).toBe(4);
  });

  it('TTLs: default 3600, explicit 60; invalid TTLs, values and keys reject with ValidationError and write nothing', async () => {
    const prefix = uniquePrefix('ttl');
    const cache = fx.cache(server, { keyPrefix: prefix });
    await cache.set('default', 1);
    await cache.set('sixty', 1, 60);
    expect(await raw.ttl(`${prefix}default`)).toBeGreaterThanOrEqual(3599);
    expect(await raw.ttl(`${prefix}default`)).toBeLessThanOrEqual(3600);
    expect(await raw.ttl(`${prefix}sixty`)).toBeGreaterThanOrEqual(59);
    expect(await raw.ttl(`${prefix}sixty`)).toBeLessThanOrEqual(60);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const bad: Array<[string, unknown, unknown]> = [
      ['t0', 1, 0], ['t-1', 1, -1], ['t1.5', 1, 1.5], ['vnull', null, undefined], ['vundef', undefined, undefined],
      ['vfn', () => 1, undefined], ['vbig', 10n, undefined], ['vcyc', cyclic, undefined], ['', 1, undefined],
    ];
    for (const [key, value, ttl] of bad) {
      await expect(cache.set(key, value, ttl as number | undefined)).rejects.toMatchObject({ name: 'ValidationError' });
    }
    expect(await raw.keys(`${prefix}*`)).toHaveLength(2);
    await expect(cache.get('x'.repeat(8193))).rejects.toMatchObject({ name: 'ValidationError', code: 'INVALID_KEY' });
    const stats = cache.getStats();
    expect(stats.sets).toBe(2);
  });

  it('getTtl reads Redis TTL; a returned object cannot be corrupted: frozen L1 values throw on writes, copies (default) are private', async () => {
    const prefix = uniquePrefix('fresh');
    const encryption = newEncryption();
    const cache = fx.cache(server, { keyPrefix: prefix, encryption, l1Values: 'frozen' });
    const given = { list: [1, 2] };
    await cache.set('obj', given, 120);
    given.list.push(99); // the caller's own object stays the caller's: not frozen, not shared with L1
    expect(await cache.getTtl('obj')).toBeGreaterThanOrEqual(119);
    expect(await cache.getTtl('missing')).toBeNull();
    const first = await cache.get<{ list: number[] }>('obj');
    expect(Object.isFrozen(first) && Object.isFrozen(first!.list)).toBe(true);
    expect(() => first!.list.push(3)).toThrow(TypeError);
    await expect(cache.get('obj')).resolves.toBe(first);
    expect(first).toEqual({ list: [1, 2] });

    const copying = fx.cache(server, { keyPrefix: prefix, encryption });
    const promoted = await copying.get<{ list: number[] }>('obj');
    expect(Object.isFrozen(promoted)).toBe(false);
    promoted!.list.push(3);
    const again = await copying.get<{ list: number[] }>('obj');
    expect(again).toEqual({ list: [1, 2] });
    expect(again).not.toBe(promoted);
    expect(copying.getStats().hitsL1).toBe(1);
    const proto = JSON.parse('{"__proto__":{"polluted":true},"k":1}') as Record<string, unknown>;
    await copying.set('proto', proto);
    const back = await copying.get<Record<string, unknown>>('proto');
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(JSON.stringify(back)).toBe('{"__proto__":{"polluted":true},"k":1}');
    expect(copying.getStats().hitsL1).toBe(2);
  });

  it('a value promoted from Redis into frozen L1 is returned frozen, and later hits return that same object', async () => {
    const prefix = uniquePrefix('promofrozen');
    const encryption = newEncryption();
    const writer = fx.cache(server, { keyPrefix: prefix, encryption, enableL1Cache: false });
    const reader = fx.cache(server, { keyPrefix: prefix, encryption, l1Values: 'frozen' });
    await writer.set('obj', { nested: { n: 1 } }, 120);
    const fromRedis = await reader.get<{ nested: { n: number } }>('obj');
    expect(Object.isFrozen(fromRedis!.nested)).toBe(true);
    await expect(reader.get('obj')).resolves.toBe(fromRedis);
    expect(reader.getStats()).toMatchObject({ hitsRedis: 1, hitsL1: 1 });
  });

  it('a getOrSet L1 hit hands out what get does: frozen L1 the same object by reference, copying L1 one private copy per call', async () => {
    const prefix = uniquePrefix('gosl1');
    const encryption = newEncryption();
    const factory = () => ({ nested: { n: 1 } });
    const frozen = fx.cache(server, { keyPrefix: prefix, encryption, l1Values: 'frozen' });
    await frozen.set('obj', factory(), 120);
    const first = await frozen.getOrSet('obj', factory);
    await expect(frozen.getOrSet('obj', factory)).resolves.toBe(first);
    await expect(frozen.get('obj')).resolves.toBe(first);
    expect(Object.isFrozen(first.nested)).toBe(true);

    const copying = fx.cache(server, { keyPrefix: prefix, encryption });
    await copying.set('obj', factory(), 120);
    const mine = await copying.getOrSet('obj', factory);
    mine.nested.n = 99;
    const again = await copying.getOrSet('obj', factory);
    expect(again).toEqual({ nested: { n: 1 } });
    expect(again).not.toBe(mine);
    expect(copying.getStats()).toMatchObject({ hitsL1: 2 });
  });

  it('100 concurrent sets of one key (mixed sync/async encoding): L1 = decoded Redis value = the last call', async () => {
    const prefix = uniquePrefix('race');
    const encryption = newEncryption();
    const cache = fx.cache(server, { keyPrefix: prefix, encryption });
    const redisOnly = fx.cache(server, { keyPrefix: prefix, encryption, enableL1Cache: false });
    await cache.connect();
    const value = (i: number) => ({ i, pad: 'z'.repeat(i % 2 === 0 ? 70_000 : 10) + String(Math.random()) });
    const values = Array.from({ length: 100 }, (_, i) => value(i));
    const outcomes = await Promise.all(values.map((v) => cache.set('k', v)));
    expect(new Set(outcomes)).toEqual(new Set(['stored']));
    await expect(cache.get('k')).resolves.toEqual(values[99]);
    await expect(redisOnly.get('k')).resolves.toEqual(values[99]);
    expect(cache.getStats().hitsL1).toBe(1);
  });
});
