import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GenericRedisCache } from '../src/index.js';
import { Fixture, newEncryption, uniquePrefix } from './helpers.js';

let server: RedisTestServer;
const fx = new Fixture();

beforeAll(async () => {
  server = await startRedis({ password: 'l1-values-pass-123' });
});
afterEach(() => fx.closeAll());
afterAll(() => server.stop());

/** JSON objects as JSON.parse makes them (`-0` read back as `0`; `__proto__` members stay own data). */
const jsonObject = fc
  .dictionary(fc.oneof(fc.string(), fc.constant('__proto__')), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 6 })
  .map((value) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>);

/** Overwrites, adds and pushes at every level of `node`, as a careless caller would. */
function vandalize(node: unknown): void {
  if (Array.isArray(node)) {
    for (const member of node) vandalize(member);
    node.push('vandal');
    node[0] = 'vandal';
  } else if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      vandalize(record[key]);
      record[key] = 'vandal';
    }
    record['vandal'] = true;
  }
}

/** Every object and array of `node`, `node` included. */
function nodesOf(node: unknown): object[] {
  if (typeof node !== 'object' || node === null) return [];
  return [node, ...Object.values(node).flatMap(nodesOf)];
}

/** Every way an L1 hit hands a value out: get, getMany and a getOrSet hit. */
async function readsOf(cache: GenericRedisCache, key: string): Promise<unknown[]> {
  const factory = (): never => {
    throw new Error('the factory ran on an L1 hit');
  };
  return [await cache.get(key), ...(await cache.getMany([key])), await cache.getOrSet(key, factory)];
}

describe("l1Values: 'copy' (default): a caller mutating a returned value never changes what the next read returns", () => {
  it('for any JSON object written by this instance: every get, getMany and getOrSet hit is an equal, private copy', async () => {
    const cache = fx.cache(server, { keyPrefix: uniquePrefix('l1copy') });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(jsonObject, async (value) => {
        const key = `k${n++}`;
        const text = JSON.stringify(value);
        await cache.set(key, value, 120);
        vandalize(value); // the caller's own object is not L1's either
        for (let round = 0; round < 2; round++) {
          const reads = await readsOf(cache, key);
          for (const read of reads) {
            expect(JSON.stringify(read)).toBe(text); // same members, same key order
            expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
            expect(Object.isFrozen(read)).toBe(false);
          }
          expect(new Set(reads).size).toBe(reads.length);
          for (const read of reads) vandalize(read);
        }
      }),
      { numRuns: 60 },
    );
    expect(cache.getStats().hitsRedis).toBe(0); // every read above was an L1 hit
  });

  it('for a value promoted from Redis into L1: the first read and every later L1 hit are private copies', async () => {
    const prefix = uniquePrefix('l1copypromo');
    const encryption = newEncryption();
    const writer = fx.cache(server, { keyPrefix: prefix, encryption, enableL1Cache: false });
    const reader = fx.cache(server, { keyPrefix: prefix, encryption });
    const value = { list: [1, { deep: ['x'] }], nested: { n: 1 } };
    await writer.set('obj', value, 120);
    const fromRedis = await reader.get('obj');
    vandalize(fromRedis);
    for (const read of await readsOf(reader, 'obj')) {
      expect(read).toEqual(value);
      vandalize(read);
    }
    await expect(reader.get('obj')).resolves.toEqual(value);
    expect(reader.getStats()).toMatchObject({ hitsRedis: 1, hitsL1: 4 });
  });
});

describe("l1Values: 'frozen': every L1 read returns the one deep-frozen value", () => {
  it('for any JSON object: every object and array at every depth is frozen, writes throw, and every read is the same object', async () => {
    const cache = fx.cache(server, { keyPrefix: uniquePrefix('l1frozen'), l1Values: 'frozen' });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(jsonObject, async (value) => {
        const key = `k${n++}`;
        const text = JSON.stringify(value);
        await cache.set(key, value, 120);
        expect(Object.isFrozen(value)).toBe(false); // the caller's object is never frozen
        const reads = await readsOf(cache, key);
        expect(new Set(reads).size).toBe(1);
        const [read] = reads;
        expect(JSON.stringify(read)).toBe(text);
        for (const node of nodesOf(read)) expect(Object.isFrozen(node)).toBe(true);
        expect(() => vandalize(read)).toThrow(TypeError);
        await expect(cache.get(key)).resolves.toBe(read);
      }),
      { numRuns: 60 },
    );
  });

  it('a value promoted from Redis is deep-frozen too', async () => {
    const prefix = uniquePrefix('l1frozenpromo');
    const encryption = newEncryption();
    const writer = fx.cache(server, { keyPrefix: prefix, encryption, enableL1Cache: false });
    const reader = fx.cache(server, { keyPrefix: prefix, encryption, l1Values: 'frozen' });
    await writer.set('obj', { list: [1, { deep: ['x'] }], nested: { n: 1 } }, 120);
    const fromRedis = await reader.get('obj');
    for (const node of nodesOf(fromRedis)) expect(Object.isFrozen(node)).toBe(true);
    for (const read of await readsOf(reader, 'obj')) expect(read).toBe(fromRedis);
  });
});
