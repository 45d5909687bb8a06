import { ManualClock, silentLogger } from '@cache/core';
import { EncryptedCacheLayer, Fernet } from '@cache/encryption';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fixture, readWithPython, uniquePrefix } from './helpers.js';
import { version2Envelope } from './version-2-envelope.js';

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
    const compressed = (await raw.getBuffer(`${prefix}compressed (larger than the threshold)`))!;
    expect([compressed[2], compressed[4], compressed[5]]).toEqual([0x03, 0x03, 0x80]); // version 3, encrypted + compressed, raw token
  });

  it('reads version-2 values (base64 token) that the previous release wrote, and refuses a version stamp changed either way', async () => {
    const prefix = uniquePrefix('py-v2');
    const layer = new EncryptedCacheLayer({ encryptionKey, logger: silentLogger });
    const value = { written: 'by the previous release', n: [1, 2.5] };
    const v2 = version2Envelope(layer, `${prefix}v2`, value, { expiresAt: Date.now() + 60_000 });
    await raw.set(`${prefix}v2`, v2);
    const read = await readKey(`${prefix}v2`);
    expect({ code: read.code, err: read.err, value: JSON.parse(read.out) as unknown }).toEqual({ code: 0, err: '', value });

    const cache = fx.cache(server, { keyPrefix: prefix, encryption: layer });
    await cache.set('v3', value, 60);
    const restamped = (await raw.getBuffer(`${prefix}v3`))!;
    restamped[2] = 0x02;
    await raw.set(`${prefix}v3`, restamped);
    expect((await readKey(`${prefix}v3`)).err.trim()).toBe('refused: decrypt_failed');
    v2[2] = 0x03;
    await raw.set(`${prefix}v2`, v2);
    expect((await readKey(`${prefix}v2`)).err.trim()).toBe('refused: decrypt_failed');
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
