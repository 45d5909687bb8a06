import { CacheError, MAX_JSON_DEPTH, isValidationError } from '@cache/core';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Fixture, newEncryption, uniquePrefix } from './helpers.js';

let server: RedisTestServer;
let raw: Redis;
const fx = new Fixture();
const rawFx = new Fixture();

beforeAll(async () => {
  server = await startRedis({ password: 'as-stored-pass-123' });
  raw = rawFx.client(server);
});
afterEach(() => fx.closeAll());
afterAll(async () => {
  await rawFx.closeAll();
  await server.stop();
});

async function refusal(p: Promise<unknown>): Promise<CacheError> {
  const outcome = await Promise.allSettled([p]);
  expect(outcome[0]?.status).toBe('rejected');
  return (outcome[0] as PromiseRejectedResult).reason as CacheError;
}

function nested(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { a: v };
  return v;
}

describe('values come back from Redis as stored, or are refused before anything is written', () => {
  it('object key order survives the round trip (JSON.stringify of the read equals that of the write)', async () => {
    const prefix = uniquePrefix('order');
    const encryption = newEncryption();
    const writer = fx.cache(server, { keyPrefix: prefix, encryption });
    const reader = fx.cache(server, { keyPrefix: prefix, encryption, enableL1Cache: false });
    const value = { zeta: 1, alpha: { mid: [3, { y: 'y', x: 'x' }], first: null }, '10': 'ten', '9': 'nine', b: true };
    await expect(writer.set('doc', value)).resolves.toBe('stored');
    expect(JSON.stringify(await reader.get('doc'))).toBe(JSON.stringify(value));
  });

  it('any JSON value round-trips through Redis with the same JSON text (property)', async () => {
    const prefix = uniquePrefix('order-prop');
    const writer = fx.cache(server, { keyPrefix: prefix, enableL1Cache: false });
    const json = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown).filter((v) => v !== null);
    await fc.assert(
      fc.asyncProperty(json, async (value) => {
        await writer.set('v', value);
        expect(JSON.stringify(await writer.get('v'))).toBe(JSON.stringify(value));
      }),
      { numRuns: 100 },
    );
  });

  it('-0 is refused with SERIALIZATION_ERROR, never stored as 0; the previous value stays', async () => {
    const prefix = uniquePrefix('negzero');
    const encryption = newEncryption();
    const cache = fx.cache(server, { keyPrefix: prefix, encryption });
    await cache.set('n', { v: 1 });
    for (const value of [-0, { v: -0 }, [0, -0]]) {
      const error = await refusal(cache.set('n', value));
      expect(isValidationError(error)).toBe(true);
      expect(error.code).toBe('SERIALIZATION_ERROR');
    }
    await expect(cache.get('n')).resolves.toEqual({ v: 1 });
    await expect(fx.cache(server, { keyPrefix: prefix, encryption, enableL1Cache: false }).get('n')).resolves.toEqual({ v: 1 });
  });

  it(`nesting deeper than ${MAX_JSON_DEPTH} levels is a ValidationError (not a RangeError) and writes nothing`, async () => {
    const prefix = uniquePrefix('deep');
    const cache = fx.cache(server, { keyPrefix: prefix });
    await expect(cache.set('ok', nested(MAX_JSON_DEPTH))).resolves.toBe('stored');
    for (const depth of [MAX_JSON_DEPTH + 1, 4100, 50_000]) {
      const error = await refusal(cache.set('deep', nested(depth)));
      expect(error).not.toBeInstanceOf(RangeError);
      expect(isValidationError(error)).toBe(true);
      expect(error.code).toBe('SERIALIZATION_ERROR');
    }
    expect(await raw.exists(`${prefix}deep`)).toBe(0);
    await expect(cache.get('deep')).resolves.toBeNull();
  });

  it('a getter is read once by the codec: a NaN on a second read cannot slip through as null (Redis tier)', async () => {
    const prefix = uniquePrefix('getter');
    const cache = fx.cache(server, { keyPrefix: prefix, enableL1Cache: false });
    let reads = 0;
    const sneaky = {
      get score(): number {
        reads++;
        return reads === 1 ? 1 : Number.NaN;
      },
    };
    await expect(cache.set('g', sneaky)).resolves.toBe('stored');
    expect(reads).toBe(1);
    await expect(cache.get('g')).resolves.toEqual({ score: 1 });
  });
});

describe('TTLs: one range, duration strings accepted', () => {
  it('set accepts duration strings and SetOptions; Redis holds the resolved TTL', async () => {
    const prefix = uniquePrefix('durations');
    const cache = fx.cache(server, { keyPrefix: prefix });
    await expect(cache.set('ten-minutes', 1, '10m')).resolves.toBe('stored');
    await expect(cache.set('ninety-minutes', 1, { ttl: '1h30m' })).resolves.toBe('stored');
    await expect(cache.set('one-year', 1, '365d')).resolves.toBe('stored');
    expect(await raw.ttl(`${prefix}ten-minutes`)).toBeGreaterThan(590);
    expect(await raw.ttl(`${prefix}ten-minutes`)).toBeLessThanOrEqual(600);
    expect(await raw.ttl(`${prefix}ninety-minutes`)).toBeGreaterThan(5390);
    expect(await raw.ttl(`${prefix}one-year`)).toBeGreaterThan(31_535_990);
  });

  it.each(['500ms', '1.5s', '366d', 'soon'])('a TTL of %j (not whole seconds in range) is INVALID_TTL and writes nothing', async (ttl) => {
    const prefix = uniquePrefix('bad-duration');
    const cache = fx.cache(server, { keyPrefix: prefix });
    const error = await refusal(cache.set('k', 1, ttl));
    expect(error.code).toBe('INVALID_TTL');
    expect(await raw.exists(`${prefix}k`)).toBe(0);
  });
});
