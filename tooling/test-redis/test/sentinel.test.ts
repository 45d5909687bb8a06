import { once } from 'node:events';
import type { Redis, RedisOptions } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startRedisSentinelSet, type RedisSentinelSet } from '../src/index.js';
import { ClientPool } from './clients.js';
import { refused, sentinelDirs } from './probes.js';

const pool = new ClientPool();
afterEach(() => pool.disconnectAll());

/** Commands fail fast while there is no master, so a test polls instead of hanging in a queue. */
const FAILOVER_FRIENDLY: RedisOptions = {
  retryStrategy: () => 100,
  sentinelRetryStrategy: () => 100,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
};

async function ready(client: Redis): Promise<void> {
  if (client.status !== 'ready') await once(client, 'ready');
}

/** The port the server behind `client` listens on, from its own INFO. */
async function servingPort(client: Redis): Promise<number> {
  const info = await client.info('server');
  return Number(/tcp_port:(\d+)/.exec(info)?.[1]);
}



/** Kills the master, waits for the sentinels to promote the replica, and checks that `client` follows. */
async function failOverAndFollow(set: RedisSentinelSet, client: Redis): Promise<void> {
  const [first, second] = set.servers;
  await client.set('before:failover', 'kept');
  // The write must reach the replica before the master dies, or the promoted replica would not have it.
  expect(await client.wait(1, 2_000)).toBe(1);

  const killed = await set.killMaster();
  expect(killed.port).toBe(first.port);
  expect(first.isRunning()).toBe(false);
  const promoted = await set.waitForFailover();
  expect(promoted).toEqual({ host: '127.0.0.1', port: second.port });
  expect(await set.getMaster()).toEqual(promoted);

  // Polled together: right after a failover ioredis may reach the new port and then reconnect once
  // more (its role check), and a fail-fast client refuses commands in between.
  const servingAsMaster = async (): Promise<string> => `${await servingPort(client)}:${(await client.role())[0]}`;
  await expect.poll(() => servingAsMaster().catch(() => 'none'), { timeout: 20_000, interval: 100 }).toBe(`${second.port}:master`);
  await expect.poll(() => client.get('before:failover').catch(() => 'refused'), { timeout: 5_000, interval: 100 }).toBe('kept');
  await client.set('after:failover', 'written');
  expect(await client.get('after:failover')).toBe('written');
}

describe('Sentinel set: a master, a replica and three redis-sentinel processes', () => {
  it('ioredis connects through the sentinels to the master, and the replica follows it', async () => {
    await using set = await startRedisSentinelSet();
    expect(set.name).toBe('mymaster');
    expect(set.sentinels).toHaveLength(3);
    expect(new Set(set.sentinels.map((s) => s.port)).size).toBe(3);
    const [first, second] = set.servers;
    expect(await set.getMaster()).toEqual({ host: '127.0.0.1', port: first.port });
    await expect(set.waitForFailover()).rejects.toThrow(/needs `from` when no master was killed/);

    const client = pool.viaSentinels({ sentinels: [...set.sentinels], name: set.name });
    await client.set('k', 'v');
    expect(await servingPort(client)).toBe(first.port);
    expect(await client.wait(1, 2_000)).toBe(1);
    const replica = pool.redis(second.url());
    expect((await replica.role())[0]).toBe('slave');
    expect(await replica.get('k')).toBe('v');
  }, 30_000);

  it('a failover after killing the master promotes the replica and ioredis reconnects to it', async () => {
    await using set = await startRedisSentinelSet({ downAfterMs: 1_000, failoverTimeoutMs: 3_000 });
    const client = pool.viaSentinels({ sentinels: [...set.sentinels], name: set.name, ...FAILOVER_FRIENDLY });
    await ready(client);
    await failOverAndFollow(set, client);
  }, 60_000);

  it('with a password, an ACL user and password-protected sentinels: auth-user/auth-pass reach the master, failover included', async () => {
    const user = { name: 'cache-app', password: 'cache-app-password' };
    await using set = await startRedisSentinelSet({ password: 'default-user-password', user, sentinelPassword: 'sentinel-password' });

    const noSentinelPassword = pool.viaSentinels({ sentinels: [...set.sentinels], name: set.name, username: user.name, password: user.password, ...FAILOVER_FRIENDLY });
    await expect.poll(() => pool.errors.get(noSentinelPassword)?.map((e) => e.message).join('\n'), { timeout: 10_000 }).toMatch(/NOAUTH/);
    expect(noSentinelPassword.status).not.toBe('ready');

    const client = pool.viaSentinels({
      sentinels: [...set.sentinels],
      name: set.name,
      sentinelPassword: 'sentinel-password',
      username: user.name,
      password: user.password,
      ...FAILOVER_FRIENDLY,
    });
    await ready(client);
    expect(await client.acl('WHOAMI')).toBe(user.name);
    await failOverAndFollow(set, client);
    expect(await client.acl('WHOAMI')).toBe(user.name);
  }, 60_000);

  it('stop() ends every sentinel and server and removes every temp dir; it is idempotent', async () => {
    const set = await startRedisSentinelSet();
    const ports = set.sentinels.map((s) => s.port);
    expect(await sentinelDirs(ports)).toHaveLength(3);
    for (const port of ports) expect(await refused(port)).toBe(false);
    await Promise.all([set.stop(), set[Symbol.asyncDispose]()]);
    for (const port of [...ports, ...set.servers.map((s) => s.port)]) expect(await refused(port)).toBe(true);
    expect(set.servers.every((s) => !s.isRunning())).toBe(true);
    expect(await sentinelDirs(ports)).toEqual([]);
  }, 30_000);

  it('refuses bad options before starting anything', async () => {
    await expect(startRedisSentinelSet({ name: 'bad name' })).rejects.toThrow(TypeError);
    await expect(startRedisSentinelSet({ sentinelPassword: 'has space' })).rejects.toThrow(TypeError);
    await expect(startRedisSentinelSet({ downAfterMs: 10 })).rejects.toThrow(RangeError);
  });
});
