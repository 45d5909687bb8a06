import { jsonCodec, richCodec, silentLogger } from '@cache/core';
import { EncryptedCacheLayer, Fernet } from '@cache/encryption';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenericRedisCache } from '../src/index.js';
import { Fixture, readWithPython, uniquePrefix } from './helpers.js';

/** The rich codec through a real Redis: what it stores comes back exactly; readers that only know JSON never mis-decode it. */
const PASSWORD = 'rich-codec-pass';

let server: RedisTestServer;
let raw: Redis;
const fx = new Fixture();
const encryptionKey = Fernet.generateKey();
const encryption = () => new EncryptedCacheLayer({ encryptionKey, logger: silentLogger });

beforeAll(async () => {
  server = await startRedis({ password: PASSWORD });
  raw = fx.client(server);
});
afterAll(async () => {
  await fx.closeAll();
  await server.stop();
});

const richValue = () => ({
  when: new Date('2026-12-06T03:00:00.000Z'),
  big: 2n ** 70n,
  byId: new Map<unknown, unknown>([['b', { n: 1 }], [7n, new Set(['y', 'x'])]]),
  bytes: Buffer.from([0, 1, 2, 255]),
  missing: undefined,
});

function expectRich(value: unknown): void {
  const v = value as ReturnType<typeof richValue>;
  expect(Object.keys(v)).toEqual(['when', 'big', 'byId', 'bytes', 'missing']);
  expect(v.when).toBeInstanceOf(Date);
  expect(v.when.toISOString()).toBe('2026-12-06T03:00:00.000Z');
  expect(v.big).toBe(2n ** 70n);
  expect([...v.byId.keys()]).toEqual(['b', 7n]);
  expect([...(v.byId.get(7n) as Set<string>)]).toEqual(['y', 'x']);
  expect(Buffer.isBuffer(v.bytes) && v.bytes.equals(Buffer.from([0, 1, 2, 255]))).toBe(true);
  expect('missing' in v).toBe(true);
}

const richCache = (prefix: string, options: Partial<Parameters<Fixture['cache']>[1]> = {}): GenericRedisCache =>
  fx.cache(server, { keyPrefix: prefix, codec: richCodec, encryption: encryption(), ...options });

describe('GenericRedisCache with codec: richCodec, against a real Redis', () => {
  it('a Date, BigInt, Map, Set, Buffer and undefined member round-trip through Redis (another instance, no L1) and through L1', async () => {
    const prefix = uniquePrefix('rich');
    const writer = richCache(prefix, { enableL1Cache: true });
    await writer.set('v', richValue(), 60);
    expectRich(await writer.get('v'));
    expectRich(await richCache(prefix, { enableL1Cache: false }).get('v'));
    expect((await raw.getBuffer(`${prefix}v`))![3]).toBe(richCodec.id);
  });

  it('getOrSet stores the factory\'s rich value and serves it back from Redis', async () => {
    const prefix = uniquePrefix('rich-gos');
    let calls = 0;
    const factory = () => (calls++, richValue());
    expectRich(await richCache(prefix, { enableL1Cache: false }).getOrSet('v', factory, { ttl: 60 }));
    expectRich(await richCache(prefix, { enableL1Cache: false }).getOrSet('v', factory, { ttl: 60 }));
    expect(calls).toBe(1);
  });

  it('a value the rich codec cannot round-trip is refused with a ValidationError before anything is stored', async () => {
    const prefix = uniquePrefix('rich-refuse');
    class Point {
      constructor(readonly x: number) {}
    }
    await expect(richCache(prefix).set('p', { p: new Point(1) }, 60)).rejects.toMatchObject({ name: 'ValidationError', code: 'SERIALIZATION_ERROR' });
    expect(await raw.exists(`${prefix}p`)).toBe(0);
  });

  it('a JSON-codec reader counts a rich entry as a miss (unknown_codec), never mis-decodes it; and the other way round', async () => {
    const prefix = uniquePrefix('rich-json');
    await richCache(prefix).set('rich', richValue(), 60);
    const jsonReader = fx.cache(server, { keyPrefix: prefix, codec: jsonCodec, encryption: encryption(), enableL1Cache: false });
    const reasons: string[] = [];
    jsonReader.on('decode_error', (_key, meta) => void reasons.push(meta.reason));
    expect(await jsonReader.get('rich')).toBeNull();
    expect(reasons).toEqual(['unknown_codec']);
    expect(jsonReader.getStats()).toMatchObject({ misses: 1, decodeErrors: 1 });

    await jsonReader.set('json', { plain: true }, 60);
    const richReader = richCache(prefix, { enableL1Cache: false });
    expect(await richReader.get('json')).toBeNull();
    expect(richReader.getStats().decodeErrors).toBe(1);
  });

  it('the Python reader refuses a rich entry with a clear reason (unknown_codec), exit code 2', async () => {
    const prefix = uniquePrefix('rich-py');
    await richCache(prefix).set('rich', richValue(), 60);
    const result = await readWithPython(server, PASSWORD, `${prefix}rich`, encryptionKey);
    expect(result).toEqual({ code: 2, out: '', err: 'refused: unknown_codec\n' });
  });
});
