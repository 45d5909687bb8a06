import { compileGlob, escapeGlob, isValidationError, silentLogger, type CacheError } from '@cache/core';
import { InMemoryCache } from '@cache/memory';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Fixture, uniquePrefix } from './helpers.js';

let server: RedisTestServer;
let raw: Redis;
const fx = new Fixture();
const rawFx = new Fixture();

beforeAll(async () => {
  server = await startRedis({ password: 'globs-pass-123' });
  raw = rawFx.client(server);
});
afterEach(() => fx.closeAll());
afterAll(async () => {
  await rawFx.closeAll();
  await server.stop();
});

/** Keys mixing ASCII, 2-, 3- and 4-byte UTF-8 characters and glob metacharacters. */
const KEYS = ['k', 'ka', 'kb', 'ké', 'kéa', 'k日', 'k🚀', 'k]', 'k-', 'k^', 'k\\', 'k*', 'k?', 'aé', 'é', 'ée', 'x:é:1', 'x:e:1'];

describe('one glob semantics in every tier: Redis MATCH, over UTF-8 bytes', () => {
  it('invalidatePattern("k?") removes ké from neither tier and "k??" from both (the reported case)', async () => {
    const prefix = uniquePrefix('glob-case');
    const cache = fx.cache(server, { keyPrefix: prefix });
    await cache.set('ké', 'e-acute');
    await cache.set('ka', 'a');
    await expect(cache.invalidatePattern('k?')).resolves.toBe(1);
    expect(await raw.exists(`${prefix}ké`)).toBe(1);
    expect(await cache.exists('ké')).toBe(true);
    await expect(cache.invalidatePattern('k??')).resolves.toBe(1);
    expect(await raw.exists(`${prefix}ké`)).toBe(0);
    // L1 must have dropped it too: a stale L1 copy would still be served here.
    await expect(cache.get('ké')).resolves.toBeNull();
  });

  it('memory, L1 and Redis select exactly the same keys for any pattern (property, against a live server)', async () => {
    const prefix = uniquePrefix('glob-prop');
    const pipeline = raw.pipeline();
    for (const key of KEYS) pipeline.set(`${prefix}${key}`, '1');
    await pipeline.exec();
    const piece = fc.constantFrom('k', 'a', 'e', 'é', '日', '🚀', '?', '*', '[', ']', '^', '-', '\\', 'x', ':');
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('')), async (pattern) => {
        const inRedis = (await raw.keys(escapeGlob(prefix) + pattern)).map((k) => k.slice(prefix.length)).sort();
        const matcher = compileGlob(pattern);
        expect({ pattern, keys: KEYS.filter((k) => matcher.test(k)).sort() }).toEqual({ pattern, keys: inRedis });
        const memory = new InMemoryCache({ logger: silentLogger });
        for (const key of KEYS) memory.setSync(key, 1);
        await memory.invalidatePattern(pattern);
        expect({ pattern, kept: memory.getKeys().sort() }).toEqual({ pattern, kept: KEYS.filter((k) => !inRedis.includes(k)).sort() });
      }),
      { numRuns: 300 },
    );
  });

  it('a two-tier cache removes from L1 exactly what it removes from Redis (property)', async () => {
    const piece = fc.constantFrom('k', 'a', 'é', '🚀', '?', '*', '[', ']', '^', '-');
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('')), async (pattern) => {
        const prefix = uniquePrefix('glob-tiers');
        const cache = fx.cache(server, { keyPrefix: prefix });
        for (const key of KEYS) await cache.set(key, key);
        const removed = await cache.invalidatePattern(pattern);
        const leftInRedis = (await raw.keys(`${escapeGlob(prefix)}*`)).map((k) => k.slice(prefix.length)).sort();
        const servedAfter: string[] = [];
        for (const key of KEYS) if ((await cache.get(key)) !== null) servedAfter.push(key);
        expect({ pattern, served: servedAfter.sort() }).toEqual({ pattern, served: leftInRedis });
        expect(removed).toBe(KEYS.length - leftInRedis.length);
        await cache.disconnect();
      }),
      { numRuns: 40 },
    );
  });
});

describe('keys are well-formed Unicode', () => {
  it('a key with a lone surrogate is refused on every method, and two such keys can no longer collapse into one', async () => {
    const prefix = uniquePrefix('lone');
    const cache = fx.cache(server, { keyPrefix: prefix });
    const memory = new InMemoryCache({ logger: silentLogger });
    for (const target of [cache, memory]) {
      const refusals = await Promise.allSettled([
        target.set('a\uD800', 'high'),
        target.get('a\uDFFF'),
        target.exists('a\uD800'),
        target.delete('a\uDFFF'),
      ]);
      for (const r of refusals) {
        expect(r.status).toBe('rejected');
        const error = (r as PromiseRejectedResult).reason as CacheError;
        expect(isValidationError(error)).toBe(true);
        expect(error.code).toBe('INVALID_KEY');
      }
    }
    expect(await raw.keys(`${escapeGlob(prefix)}*`)).toEqual([]);
    // Both lone surrogates would have been written to Redis as the same U+FFFD bytes.
    await cache.set('a\uFFFD', 'replacement-char');
    await expect(cache.get('a\uFFFD')).resolves.toBe('replacement-char');
  });
});
