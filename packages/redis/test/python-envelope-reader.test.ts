import { ManualClock, silentLogger } from '@cache/core';
import { EncryptedCacheLayer, Fernet } from '@cache/encryption';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fixture, readWithPython, uniquePrefix } from './helpers.js';

/**
 * The Python reader shipped in `python/read_envelope.py`, run by Debian's python3 with its
 * `cryptography` (the interpreter CI installs), against values Node wrote to a real Redis.
 */
const PASSWORD = 'py-reader-pass';

let server: RedisTestServer;
let raw: Redis;
const fx = new Fixture();
const encryptionKey = Fernet.generateKey();

beforeAll(async () => {
  server = await startRedis({ password: PASSWORD });
  raw = fx.client(server);
});
afterAll(async () => {
  await fx.closeAll();
  await server.stop();
});

function readKey(physicalKey: string, key: string | undefined = encryptionKey): Promise<{ code: number; out: string; err: string }> {
  return readWithPython(server, PASSWORD, physicalKey, key);
}

const VALUES: Array<[string, unknown]> = [
  ['object in insertion order', { zeta: 1, alpha: { y: 'y', x: [1, 2.5, null] }, b: true }],
  ['unicode', { text: 'grüße ✓ 日本 🎉' }],
  ['compressed (larger than the threshold)', { rows: Array.from({ length: 400 }, (_, i) => ({ i, text: `row ${i} repeated text` })) }],
  ['string', 'plain'],
  ['number', 42],
];

describe('a Python service reads values Node wrote to Redis (python/read_envelope.py)', () => {
  it('every value comes back equal, object keys in the order written, compressed or not', async () => {
    const prefix = uniquePrefix('py');
    const cache = fx.cache(server, { keyPrefix: prefix, encryption: new EncryptedCacheLayer({ encryptionKey, logger: silentLogger }) });
    for (const [label, value] of VALUES) {
      await cache.set(label, value, 60);
      const read = await readKey(prefix + label);
      expect({ label, code: read.code, err: read.err }).toEqual({ label, code: 0, err: '' });
      const parsed = JSON.parse(read.out) as unknown;
      expect(parsed).toEqual(value);
      expect(JSON.stringify(parsed)).toBe(JSON.stringify(value));
    }
    expect((await raw.getBuffer(`${prefix}compressed (larger than the threshold)`))![4]).toBe(0x03);
  });

  it('refuses what Node refuses: a wrong key, a token copied to another key; an expired value, or one kept only for grace, is a miss', async () => {
    const prefix = uniquePrefix('py-refuse');
    const clock = new ManualClock(Date.now() - 120_000);
    const cache = fx.cache(server, { keyPrefix: prefix, encryption: new EncryptedCacheLayer({ encryptionKey, logger: silentLogger }), clock });
    await cache.set('old', 'written two minutes ago for 60 s', 60);
    await cache.set('current', 'v', 3600);
    await cache.getOrSet('in-grace', () => 'past its TTL, kept for grace', { ttl: 60, grace: 3600 });
    expect((await readKey(`${prefix}old`)).err.trim()).toBe('miss: expired');
    expect(await readKey(`${prefix}in-grace`)).toMatchObject({ code: 1, err: 'miss: stale\n' });
    expect((await readKey(`${prefix}current`, Fernet.generateKey())).err).toContain('decrypt_failed');
    await raw.set(`${prefix}copy`, (await raw.getBuffer(`${prefix}current`))!);
    const copied = await readKey(`${prefix}copy`);
    expect({ code: copied.code, err: copied.err.trim() }).toEqual({ code: 2, err: 'refused: key_mismatch' });
    expect((await readKey(`${prefix}absent`)).code).toBe(1);
  });
});
