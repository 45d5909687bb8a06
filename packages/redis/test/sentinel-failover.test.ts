import { silentLogger } from '@cache/core';
import { startRedisSentinelSet, type RedisSentinelSet } from '@cache-tooling/test-redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenericRedisCache, type WriteOutcome } from '../src/index.js';
import { Fixture, newEncryption, securityFor, testEnv, uniquePrefix, until } from './helpers.js';

const PASSWORD = 'sentinel-data-pass-123';
const SENTINEL_PASSWORD = 'sentinel-own-pass-456';
let set: RedisSentinelSet;
const fx = new Fixture();

beforeAll(async () => {
  set = await startRedisSentinelSet({ password: PASSWORD, sentinelPassword: SENTINEL_PASSWORD });
}, 60_000);
afterAll(async () => {
  await fx.closeAll();
  await set.stop();
});

const sentinelCache = (keyPrefix: string, encryption = newEncryption(), enableL1Cache = true): GenericRedisCache =>
  fx.track(
    new GenericRedisCache({
      sentinel: { name: set.name, sentinels: set.sentinels, sentinelPassword: SENTINEL_PASSWORD },
      securityConfig: securityFor({ redisAuth: PASSWORD }),
      encryption,
      env: testEnv,
      logger: silentLogger,
      keyPrefix,
      enableL1Cache,
      connectTimeoutMs: 1000,
      commandTimeoutMs: 500,
      reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
    }),
  );

describe('Redis Sentinel target', () => {
  it('refuses a sentinel option without a name or sentinels, and a second target, with ConfigurationError naming the option', () => {
    const base = { securityConfig: securityFor(), encryption: newEncryption(), env: testEnv, logger: silentLogger };
    expect(() => new GenericRedisCache({ ...base, sentinel: { name: '', sentinels: [{ host: 'h', port: 1 }] } })).toThrow(/sentinel\.name/);
    expect(() => new GenericRedisCache({ ...base, sentinel: { name: 'm', sentinels: [] } })).toThrow(/cluster|sentinel/);
    expect(() => new GenericRedisCache({ ...base, sentinel: { name: 'm', sentinels: ['h:1'] }, redisUrl: 'redis://h' })).toThrow(/exactly one of redisUrl, cluster, sentinel or client/);
    expect(() => new GenericRedisCache({ ...base, sentinel: { name: 'm', sentinels: ['h:1'], sentinelPassword: 'secret-pw', extra: 1 } as never })).toThrow(/sentinel\.extra/);
    let message = '';
    try {
      new GenericRedisCache({ ...base, sentinel: { name: 'm', sentinels: ['h:1'], sentinelPassword: 'secret-pw', sentinelUsername: 7 } as never });
    } catch (error) {
      message = JSON.stringify(error) + String(error);
    }
    expect(message).toMatch(/sentinel\.sentinelUsername/);
    expect(message).not.toContain('secret-pw');
  });

  it('a killed master: the cache keeps answering, follows the promoted replica, and never serves a value older than the last acknowledged write', async () => {
    const prefix = uniquePrefix('sentinel');
    const encryption = newEncryption();
    const cache = sentinelCache(prefix, encryption);
    await expect(cache.connect()).resolves.toBe(true);
    expect(cache.getStats().l1Coherence).toMatchObject({ mode: 'tracking', trusted: true });
    let lastAcknowledged = 0;
    for (let i = 1; i <= 20; i++) {
      const outcome: WriteOutcome = await cache.set('counter', i);
      expect(outcome).toBe('stored');
      lastAcknowledged = i;
    }
    // Keep writing and reading through the failover.
    let stop = false;
    let i = lastAcknowledged;
    const outcomes: WriteOutcome[] = [];
    const readErrors: unknown[] = [];
    const traffic = (async () => {
      while (!stop) {
        i++;
        const outcome = await cache.set('counter', i);
        outcomes.push(outcome);
        if (outcome === 'stored') lastAcknowledged = i;
        await cache.get('counter').catch((error: unknown) => readErrors.push(error));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const killed = await set.killMaster();
    const promoted = await set.waitForFailover({ from: killed, timeoutMs: 30_000 });
    expect(promoted).not.toEqual(killed);
    // Writes wait for one replica: the old master comes back and the sentinels make it a replica of the new one.
    await set.servers.find((server) => server.port === killed.port)!.restart();
    await until(() => outcomes.slice(-5).length === 5 && outcomes.slice(-5).every((o) => o === 'stored'), 20_000, 'writes to be stored on the promoted master');
    stop = true;
    await traffic;
    expect(readErrors).toEqual([]);
    expect(outcomes.some((o) => o !== 'stored')).toBe(true); // it was degraded for a while, and said so
    // A fresh instance without L1 reads Redis itself: nothing older than the last acknowledged write.
    const reader = sentinelCache(prefix, encryption, false);
    await expect(reader.connect()).resolves.toBe(true);
    const fromRedis = await reader.get<number>('counter');
    expect(fromRedis).toBe(lastAcknowledged);
    const fromCache = await cache.get<number>('counter');
    expect(fromCache).toBe(lastAcknowledged);
  }, 60_000);
});
