import { silentLogger } from '@cache/core';
import { startRedis, startTcpProxy, type RedisTestServer, type TcpProxy } from '@cache-tooling/test-redis';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GenericRedisCache, type GenericRedisCacheOptions, type RedisErrorEvent } from '../src/index.js';
import { Fixture, newEncryption, recordingLogger, securityFor, testEnv, uniquePrefix, until } from './helpers.js';

const PASSWORD = 'pending-pass-123';
const NO_UNLINK = { name: 'no-unlink', password: 'no-unlink-pass-123', rules: ['~*', '&*', '+@all', '-unlink'] };
const GRANTABLE = { name: 'grantable', password: 'grantable-pass-123', rules: ['~*', '&*', '+@all', '-unlink'] };
let server: RedisTestServer;
let proxy: TcpProxy;
let raw: Redis;
const fx = new Fixture();
const rawFx = new Fixture();

beforeAll(async () => {
  server = await startRedis({ password: PASSWORD, users: [NO_UNLINK, GRANTABLE], args: ['--enable-debug-command', 'yes'] });
  raw = rawFx.client(server);
});
beforeEach(async () => {
  proxy = await startTcpProxy({ host: server.host, port: server.port });
});
afterEach(async () => {
  await fx.closeAll();
  await proxy.close();
});
afterAll(async () => {
  await rawFx.closeAll();
  await server.stop();
});

/** A cache connecting as an ACL user, through the proxy so tests can cut the connection. */
function userCache(user: { name: string; password: string }, options: Partial<GenericRedisCacheOptions> = {}): GenericRedisCache {
  return fx.track(
    new GenericRedisCache({
      redisUrl: `redis://${user.name}:${user.password}@127.0.0.1:${proxy.port}`,
      securityConfig: securityFor({ aclUsername: user.name, aclPassword: user.password }),
      encryption: newEncryption(),
      env: testEnv,
      logger: silentLogger,
      connectTimeoutMs: 1000,
      commandTimeoutMs: 1000,
      reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
      ...options,
    }),
  );
}

async function blip(cache: GenericRedisCache): Promise<void> {
  await proxy.cut();
  await until(() => cache.connectionState !== 'ready', 5000, 'the cut to be noticed');
  await proxy.restore();
  await until(() => cache.connectionState === 'ready', 10_000, 'ready again');
}

async function listed(cache: GenericRedisCache, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of cache.scanKeys(pattern)) keys.push(key);
  return keys.sort();
}

describe('a key with a pending invalidation is a miss on every read path until Redis applied it', () => {
  it('delete refused by the ACL (no UNLINK): get, exists, getTtl and scanKeys do not see Redis\' old value, nothing is promoted; a newer stored write lifts it', async () => {
    const prefix = uniquePrefix('noperm');
    const cache = userCache(NO_UNLINK, { keyPrefix: prefix, l1CacheSize: 1 });
    await expect(cache.set('k', 'A')).resolves.toBe('stored');
    await expect(cache.delete('k')).resolves.toBe(true);
    expect(await raw.exists(`${prefix}k`)).toBe(1);
    await expect(cache.set('other', 'O')).resolves.toBe('stored');
    for (let i = 0; i < 2; i++) {
      await expect(cache.get('k')).resolves.toBeNull();
      await expect(cache.exists('k')).resolves.toBe(false);
      await expect(cache.getTtl('k')).resolves.toBeNull();
    }
    expect(await listed(cache, '*')).toEqual(['other']);
    expect(cache.getStats()).toMatchObject({ hitsL1: 0, hitsRedis: 0, misses: 2, pendingInvalidations: 1 });

    await expect(cache.set('k', 'B')).resolves.toBe('stored');
    expect(cache.getStats().pendingInvalidations).toBe(0);
    await expect(cache.set('evictor', 'x')).resolves.toBe('stored');
    const tiers: string[] = [];
    cache.on('get_success', (_key, _value, meta) => void tiers.push(meta.tier));
    await expect(cache.get('k')).resolves.toBe('B');
    expect(tiers).toEqual(['redis']);
  });

  it('writes a read-only replica refuses: set → l1_only (redis_error read_only) and, once L1 lets go, the replaced value is never served', async () => {
    const encryption = newEncryption();
    const prefix = uniquePrefix('replica');
    await raw.config('SET', 'repl-diskless-sync-delay', '0');
    const replica = await startRedis({ password: PASSWORD, args: ['--replicaof', server.host, String(server.port), '--masterauth', PASSWORD] });
    try {
      const writer = fx.cache(server, { keyPrefix: prefix, encryption });
      await expect(writer.set('k', 'A')).resolves.toBe('stored');
      const probe = rawFx.client(replica);
      await until(async () => (await probe.exists(`${prefix}k`)) === 1, 10_000, 'replication');
      const cache = fx.cache(replica, { keyPrefix: prefix, encryption, l1CacheSize: 1 });
      const problems: RedisErrorEvent[] = [];
      cache.on('redis_error', (e) => void problems.push(e));
      await expect(cache.get('k')).resolves.toBe('A');
      await expect(cache.set('k', 'B')).resolves.toBe('l1_only');
      await expect(cache.get('k')).resolves.toBe('B');
      await expect(cache.set('evictor', 'x')).resolves.toBe('l1_only');
      await expect(cache.get('k')).resolves.toBeNull();
      await expect(cache.exists('k')).resolves.toBe(false);
      expect(problems[0]).toMatchObject({ operation: 'set', command: 'SET', kind: 'read_only', permanent: true });
      expect(problems[0]!.hint).toMatch(/primary/);
    } finally {
      await replica.stop();
    }
  });
});

describe('bounded replay', () => {
  it('an invalidation Redis refuses for good is quarantined (counted, one warning) and does not block ready after a blip; once permitted it is applied on the next reconnect', async () => {
    const logger = recordingLogger();
    const prefix = uniquePrefix('quarantine');
    const cache = userCache(GRANTABLE, { keyPrefix: prefix, logger });
    try {
      await expect(cache.set('k', 'A')).resolves.toBe('stored');
      await expect(cache.delete('k')).resolves.toBe(true);
      expect(cache.getStats()).toMatchObject({ invalidationsQuarantined: 1, pendingInvalidations: 1, quarantinedInvalidations: 1 });
      await blip(cache);
      await blip(cache);
      await expect(cache.set('after', 1)).resolves.toBe('stored');
      await expect(cache.get('k')).resolves.toBeNull();
      expect(cache.getStats()).toMatchObject({ invalidationsQuarantined: 1, quarantinedInvalidations: 1 });
      // One line for the refused delete, one for the quarantine; the retries on each reconnect add none.
      expect(logger.warnings).toHaveLength(2);
      expect(logger.warnings.filter((w) => w.includes('set aside'))).toHaveLength(1);

      await raw.acl('SETUSER', GRANTABLE.name, '+unlink');
      await blip(cache);
      expect(cache.getStats()).toMatchObject({ pendingInvalidations: 0, quarantinedInvalidations: 0 });
      expect(await raw.exists(`${prefix}k`)).toBe(0);
      await expect(cache.get('after')).resolves.toBe(1);
    } finally {
      await raw.acl('SETUSER', GRANTABLE.name, '-unlink');
    }
  });
});

describe('drain before shutdown', () => {
  it('drain() retries a quarantined invalidation on the live connection: false while Redis refuses it, true and the key gone once permitted, no reconnect needed', async () => {
    const prefix = uniquePrefix('drain');
    const cache = userCache(GRANTABLE, { keyPrefix: prefix });
    try {
      await expect(cache.set('k', 'A')).resolves.toBe('stored');
      await expect(cache.delete('k')).resolves.toBe(true);
      expect(cache.getStats()).toMatchObject({ pendingInvalidations: 1, quarantinedInvalidations: 1 });
      const connectsBefore = cache.getStats().connects;

      await expect(cache.drain(5000)).resolves.toBe(false);
      expect(cache.getStats().pendingInvalidations).toBe(1);
      expect(await raw.exists(`${prefix}k`)).toBe(1);

      await raw.acl('SETUSER', GRANTABLE.name, '+unlink');
      await expect(cache.drain(5000)).resolves.toBe(true);
      expect(cache.getStats()).toMatchObject({ pendingInvalidations: 0, quarantinedInvalidations: 0, connects: connectsBefore });
      expect(cache.connectionState).toBe('ready');
      expect(await raw.exists(`${prefix}k`)).toBe(0);
    } finally {
      await raw.acl('SETUSER', GRANTABLE.name, '-unlink');
    }
  });

  it('drain() while Redis is unreachable keeps the invalidation pending and says so; the next connect applies it', async () => {
    const prefix = uniquePrefix('drain-down');
    const cache = userCache(GRANTABLE, { keyPrefix: prefix, reconnect: { baseDelayMs: 50, maxDelayMs: 100 } });
    await raw.acl('SETUSER', GRANTABLE.name, '+unlink');
    try {
      await expect(cache.set('k', 'A')).resolves.toBe('stored');
      await proxy.cut();
      await until(() => cache.connectionState !== 'ready', 5000, 'the cut to be noticed');
      await cache.delete('k'); // whether Redis held it is unknown while unreachable
      await expect(cache.drain(200)).resolves.toBe(false);
      expect(cache.getStats().pendingInvalidations).toBe(1);
      await proxy.restore();
      await until(() => cache.connectionState === 'ready', 10_000, 'ready again');
      await expect(cache.drain(5000)).resolves.toBe(true);
      expect(await raw.exists(`${prefix}k`)).toBe(0);
    } finally {
      await raw.acl('SETUSER', GRANTABLE.name, '-unlink');
    }
  });
});

describe('a queued invalidation never removes newer data and does not wait for a reconnect', () => {
  it('clear() and delete() that timed out during DEBUG SLEEP are applied on the live connection; keys written afterwards survive them and a later reconnect', async () => {
    const prefix = uniquePrefix('sleep');
    const cache = fx.cache({ url: () => `redis://:${PASSWORD}@127.0.0.1:${proxy.port}`, password: PASSWORD }, { keyPrefix: prefix, commandTimeoutMs: 300 });
    for (const key of ['old:1', 'old:2', 'k']) await expect(cache.set(key, 'old')).resolves.toBe('stored');
    const connects = cache.getStats().connects;
    const sleeper = rawFx.client(server);
    const sleeping = sleeper.call('DEBUG', 'SLEEP', '0.8');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(cache.clear()).resolves.toBe(3);
    await expect(cache.delete('k')).resolves.toBe(false);
    expect(cache.connectionState).toBe('ready');
    expect(cache.getStats().pendingInvalidations).toBeGreaterThanOrEqual(1);
    await sleeping;
    await expect(cache.set('new:1', 'fresh')).resolves.toBe('stored');
    await expect(cache.set('k', 'fresh-k')).resolves.toBe('stored');
    await until(() => cache.getStats().pendingInvalidations === 0, 10_000, 'the queued invalidations to be applied without a reconnect');
    expect(cache.getStats().connects).toBe(connects);
    expect(await raw.exists(`${prefix}old:1`, `${prefix}old:2`)).toBe(0);
    expect(await raw.exists(`${prefix}new:1`, `${prefix}k`)).toBe(2);
    await blip(cache);
    expect(await raw.exists(`${prefix}new:1`, `${prefix}k`)).toBe(2);
    await expect(cache.get('new:1')).resolves.toBe('fresh');
    await expect(cache.get('k')).resolves.toBe('fresh-k');
  });
});
