import { ManualClock, silentLogger } from '@cache/core';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GenericRedisCache } from '../src/index.js';
import { Fixture, newEncryption, securityFor, testEnv, uniquePrefix, until } from './helpers.js';

const PASSWORD = 'l1-pass-123';
let server: RedisTestServer;
let raw: Redis;
const fx = new Fixture();
const rawFx = new Fixture();

beforeAll(async () => {
  server = await startRedis({ password: PASSWORD });
  raw = rawFx.client(server);
});
afterEach(() => fx.closeAll());
afterAll(async () => {
  await rawFx.closeAll();
  await server.stop();
});

const tiers = (cache: GenericRedisCache): string[] => {
  const seen: string[] = [];
  cache.on('get_success', (_key, _value, meta) => void seen.push(meta.tier));
  return seen;
};

describe('L1 coherence', () => {
  it('an L1 hit does not consult Redis (tier l1), and a change made behind the cache by a plain client drops it from L1', async () => {
    const prefix = uniquePrefix('l1hit');
    const cache = fx.cache(server, { keyPrefix: prefix });
    const seen = tiers(cache);
    await cache.set('k', { v: 1 });
    await expect(cache.get('k')).resolves.toEqual({ v: 1 });
    expect(seen).toEqual(['l1']);
    expect(cache.getStats().l1Coherence).toMatchObject({ mode: 'tracking', trusted: true, connections: 1, confirmed: 1 });
    await raw.del(`${prefix}k`);
    await until(() => cache.getStats().l1.size === 0, 5000, 'the notification to reach L1');
    await expect(cache.get('k')).resolves.toBeNull();
    await expect(cache.exists('k')).resolves.toBe(false);
  });

  it('promotion uses the remaining lifetime bound into the value (its SET EX ends then too), so L1 never outlives Redis (injected clock)', async () => {
    const prefix = uniquePrefix('promo');
    const encryption = newEncryption();
    const clock = new ManualClock(1_000_000);
    const writer = fx.cache(server, { keyPrefix: prefix, encryption, clock });
    const reader = fx.cache(server, { keyPrefix: prefix, encryption, clock });
    const seen = tiers(reader);
    await writer.set('short', 'value', 3);
    clock.advance(1000);
    await expect(reader.get('short')).resolves.toBe('value');
    await expect(reader.get('short')).resolves.toBe('value');
    expect(seen).toEqual(['redis', 'l1']);
    expect(reader.defaultTtl).toBe(3600);
    // 2 s were left when it was promoted: past them L1 no longer serves it (nor does Redis, by the envelope).
    clock.advance(2001);
    await expect(reader.get('short')).resolves.toBeNull();
    expect(seen).toEqual(['redis', 'l1']);
  });

  it('a slow read never overwrites a newer write in L1 (injected pause between GET and promotion)', async () => {
    const prefix = uniquePrefix('race');
    const encryption = newEncryption();
    const client = new Redis({ host: server.host, port: server.port, password: PASSWORD, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    client.on('error', () => undefined);
    let paused: Promise<void> | null = null;
    let resume: () => void = () => undefined;
    let reachedPause: () => void = () => undefined;
    const atPause = new Promise<void>((resolve) => {
      reachedPause = resolve;
    });
    const getBuffer = client.getBuffer.bind(client) as (key: string) => Promise<Buffer | null>;
    (client as unknown as { getBuffer: (key: string) => Promise<Buffer | null> }).getBuffer = async (key: string) => {
      const value = await getBuffer(key);
      if (paused) {
        reachedPause();
        await paused;
      }
      return value;
    };
    try {
      const cache = fx.track(
        new GenericRedisCache({ client, securityConfig: securityFor(), encryption, env: testEnv, logger: silentLogger, keyPrefix: prefix }),
      );
      const writer = fx.cache(server, { keyPrefix: prefix, encryption });
      await writer.set('k', 'old');
      await cache.connect();
      paused = new Promise<void>((resolve) => {
        resume = resolve;
      });
      const slowRead = cache.get('k');
      await atPause; // the GET has returned 'old'; promotion has not happened yet
      await expect(cache.set('k', 'new')).resolves.toBe('stored');
      resume();
      paused = null;
      await expect(slowRead).resolves.toBe('old');
      const seen = tiers(cache);
      await expect(cache.get('k')).resolves.toBe('new');
      expect(seen).toEqual(['l1']);
      await cache.disconnect();
      expect(client.status).toBe('ready');
    } finally {
      client.disconnect();
    }
  });

  it('a failed SET never leaves the previous value in L1; delete and invalidate clear L1', async () => {
    const prefix = uniquePrefix('l1mix');
    const cache = fx.cache(server, { keyPrefix: prefix });
    await cache.set('a', 1);
    await cache.disconnect();
    await expect(cache.set('a', 2)).resolves.toBe('l1_only');
    await expect(cache.get('a')).resolves.toBe(2);
    await expect(cache.delete('a')).resolves.toBe(true);
    await expect(cache.get('a')).resolves.toBeNull();
    await expect(cache.getTtl('a')).resolves.toBeNull();
    await cache.set('b', 1, 30);
    await expect(cache.getTtl('b')).resolves.toBeGreaterThanOrEqual(29);
    await expect(cache.invalidatePattern('b')).resolves.toBe(1);
    await expect(cache.exists('b')).resolves.toBe(false);
  });
});
