import { silentLogger } from '@cache/core';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GenericRedisCache, type InvalidationEvent } from '../src/index.js';
import { Fixture, newEncryption, securityFor, testEnv, uniquePrefix } from './helpers.js';

const NO_KEYS_USER = 'no-keys';
const NO_KEYS_PASS = 'no-keys-password-123';
let server: RedisTestServer;
let raw: Redis;
const fx = new Fixture();
const rawFx = new Fixture();

beforeAll(async () => {
  server = await startRedis({
    password: 'invalidation-pass-123',
    users: [{ name: NO_KEYS_USER, password: NO_KEYS_PASS, rules: ['~*', '&*', '+@all', '-keys'] }],
  });
  raw = rawFx.client(server);
});
afterEach(() => fx.closeAll());
afterAll(async () => {
  await rawFx.closeAll();
  await server.stop();
});

describe('SCAN + UNLINK invalidation', () => {
  it('invalidatePattern with an ACL user lacking KEYS removes exactly the matches in both tiers, distinct count', async () => {
    const prefix = uniquePrefix('acl');
    const cache = fx.track(
      new GenericRedisCache({
        redisUrl: server.url({ username: NO_KEYS_USER, password: NO_KEYS_PASS }),
        securityConfig: securityFor({ aclUsername: NO_KEYS_USER, aclPassword: NO_KEYS_PASS }),
        encryption: newEncryption(),
        env: testEnv,
        logger: silentLogger,
        keyPrefix: prefix,
      }),
    );
    const events: InvalidationEvent[] = [];
    cache.on('invalidation', (e) => void events.push(e));
    await cache.set('user:1', 1);
    await cache.set('user:2', 2);
    await cache.set('session:1', 3);
    await raw.set(`${prefix}user:3`, 'foreign but matching');
    await expect(cache.invalidatePattern('user:*', 'test')).resolves.toBe(3);
    expect((await raw.keys(`${prefix}*`)).sort()).toEqual([`${prefix}session:1`]);
    await expect(cache.get('user:1')).resolves.toBeNull();
    await expect(cache.get('session:1')).resolves.toBe(3);
    expect(events).toEqual([{ pattern: 'user:*', type: 'manual', context: 'test', l1: 2, redis: 3, total: 3, status: 'success' }]);
    await expect(cache.invalidatePattern('nothing:*')).resolves.toBe(0);
  });

  it('removes 5 000 keys with scanCount 50 (many SCAN iterations)', async () => {
    const prefix = uniquePrefix('many');
    const cache = fx.cache(server, { keyPrefix: prefix, scanCount: 50, enableL1Cache: false });
    await cache.connect();
    const pipeline = raw.pipeline();
    for (let i = 0; i < 5000; i++) pipeline.set(`${prefix}item:${i}`, 'x');
    await pipeline.exec();
    await expect(cache.invalidatePattern('item:*')).resolves.toBe(5000);
    expect(await raw.keys(`${prefix}*`)).toEqual([]);
  });

  it('namespaces a[1]: and a1: are isolated for get, invalidate and clear; clear() without prefix is refused', async () => {
    const encryption = newEncryption();
    const bracket = fx.cache(server, { keyPrefix: 'a[1]:', encryption });
    const plain = fx.cache(server, { keyPrefix: 'a1:', encryption });
    await bracket.set('k', 'bracket');
    await plain.set('k', 'plain');
    await expect(bracket.get('k')).resolves.toBe('bracket');
    await expect(plain.get('k')).resolves.toBe('plain');
    await expect(bracket.invalidatePattern('*')).resolves.toBe(1);
    await expect(plain.get('k')).resolves.toBe('plain');
    await bracket.set('k2', 'b');
    await expect(plain.clear()).resolves.toBe(1);
    await expect(bracket.get('k2')).resolves.toBe('b');
    expect(await raw.exists('a1:k')).toBe(0);
    const unprefixed = fx.cache(server);
    await expect(unprefixed.clear()).rejects.toMatchObject({ name: 'ConfigurationError' });
    await bracket.clear();
  });

  it('patterns use the Redis glob dialect on logical keys; scanKeys lists logical keys', async () => {
    const prefix = uniquePrefix('glob');
    const cache = fx.cache(server, { keyPrefix: prefix });
    for (const key of ['a*b', 'axb', 'a1', 'a2', 'b1']) await cache.set(key, key);
    const listed: string[] = [];
    for await (const key of cache.scanKeys('a?')) listed.push(key);
    expect(listed.sort()).toEqual(['a1', 'a2']);
    await expect(cache.invalidatePattern('a\\*b')).resolves.toBe(1);
    await expect(cache.get('axb')).resolves.toBe('axb');
    await expect(cache.invalidatePattern('[ab]1')).resolves.toBe(2);
    await expect(cache.invalidatePattern('')).resolves.toBe(2);
    await expect(cache.invalidatePattern(42 as unknown as string)).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
