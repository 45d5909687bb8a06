import { silentLogger } from '@cache/core';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GenericRedisCache } from '../src/index.js';
import { newEncryption, recordingLogger, securityFor, testEnv, uniquePrefix, until } from './helpers.js';

const USER = 'no-client-user';
const PASS = 'no-client-password-123';
let server: RedisTestServer;
const caches: GenericRedisCache[] = [];

const NO_CHANNEL_USER = 'no-channel-user';
const ADMIN_PASS = 'fallback-default-pass';

beforeAll(async () => {
  server = await startRedis({
    password: ADMIN_PASS,
    users: [
      // Everything except the CLIENT command: tracking cannot be enabled.
      { name: USER, password: PASS, rules: ['~*', '&*', '+@all', '-client'] },
      // CLIENT allowed, but no Pub/Sub channel at all: neither the invalidation channel nor the fallback's.
      { name: NO_CHANNEL_USER, password: PASS, rules: ['~*', 'resetchannels', '+@all'] },
    ],
  });
});
afterEach(async () => {
  await Promise.all(caches.splice(0).map((cache) => cache.disconnect()));
});
afterAll(async () => {
  await server.stop();
});

function aclCache(keyPrefix: string, encryption = newEncryption(), logger = silentLogger, clear: 'scan' | 'generation' = 'scan'): GenericRedisCache {
  const cache = new GenericRedisCache({
    clear,
    redisUrl: `redis://${server.host}:${server.port}`,
    securityConfig: securityFor({ aclUsername: USER, aclPassword: PASS }),
    encryption,
    env: testEnv,
    logger,
    keyPrefix,
    commandTimeoutMs: 1000,
    reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
  });
  caches.push(cache);
  return cache;
}

describe('L1 coherence where the ACL refuses CLIENT TRACKING', () => {
  it('falls back to a pub/sub channel of key digests (mode reported, one warning), and a write through one instance drops the key from the other L1', async () => {
    const prefix = uniquePrefix('fallback');
    const encryption = newEncryption();
    const logger = recordingLogger();
    const a = aclCache(prefix, encryption, logger);
    const b = aclCache(prefix, encryption);
    await a.connect();
    await b.connect();
    await until(() => a.l1CoherenceStatus().trusted && b.l1CoherenceStatus().trusted, 5000, 'both trusted');
    expect(a.getSecurityStatus().l1Coherence).toBe('pubsub');
    expect(b.getStats().l1Coherence).toMatchObject({ mode: 'pubsub', trusted: true, connections: 1, confirmed: 1 });
    expect(logger.warnings.filter((w) => w.includes('CLIENT TRACKING'))).toHaveLength(1);

    // Watch the channel with a plain client: digests only, never a key or a value.
    const watcher = new Redis({ host: server.host, port: server.port, username: USER, password: PASS, protocol: 2 });
    const messages: string[] = [];
    watcher.on('message', (_channel: string, message: string) => void messages.push(message));
    await watcher.subscribe(`__cache:l1:${prefix}`);
    try {
      await a.set('secret-key', 'secret-value');
      await expect(b.get('secret-key')).resolves.toBe('secret-value');
      await expect(b.get('secret-key')).resolves.toBe('secret-value');
      expect(b.getStats().hitsL1).toBe(1);
      await expect(a.set('secret-key', 'changed')).resolves.toBe('stored');
      await until(async () => (await b.get('secret-key')) === 'changed', 5000, 'B to drop its L1 copy');
      await a.invalidatePattern('secret-*');
      await until(async () => (await b.get('secret-key')) === null, 5000, 'B to drop its L1 copy after the pattern');
      await until(() => messages.length >= 3, 5000, 'messages on the channel');
      for (const message of messages) {
        expect(message).not.toContain('secret');
        expect(message === '*' || /^[A-Za-z0-9_-]{22}$/.test(message)).toBe(true);
      }
    } finally {
      watcher.disconnect();
    }
  });
});

describe("clear: 'generation' in pubsub mode", () => {
  it("another instance learns the new generation through the clear's flush message: it misses at once and reads writes made after the clear", async () => {
    const prefix = uniquePrefix('fallback-gen');
    const encryption = newEncryption();
    const a = aclCache(prefix, encryption, silentLogger, 'generation');
    const b = aclCache(prefix, encryption, silentLogger, 'generation');
    await a.connect();
    await b.connect();
    await until(() => a.l1CoherenceStatus().trusted && b.l1CoherenceStatus().trusted, 5000, 'both trusted');
    expect(b.l1CoherenceStatus().mode).toBe('pubsub');
    await a.set('k', 'old');
    await expect(b.get('k')).resolves.toBe('old');
    await expect(b.get('k')).resolves.toBe('old');
    expect(b.getStats().hitsL1).toBe(1);
    await a.clear();
    await until(async () => (await b.get('k')) === null, 5000, 'B to follow the new generation');
    await a.set('k', 'new');
    await expect(b.get('k')).resolves.toBe('new');
  });
});

describe('L1 coherence where the ACL refuses every channel (regression: a refused setup used to reconnect in a tight loop)', () => {
  it('connect() reaches ready, L1 is bypassed (reads answered by Redis), one warning per failure streak, retries back off; granting the channel ends it', async () => {
    const logger = recordingLogger();
    const admin = new Redis({ host: server.host, port: server.port, password: ADMIN_PASS });
    const cache = new GenericRedisCache({
      redisUrl: `redis://${server.host}:${server.port}`,
      securityConfig: securityFor({ aclUsername: NO_CHANNEL_USER, aclPassword: PASS }),
      encryption: newEncryption(),
      env: testEnv,
      logger,
      keyPrefix: uniquePrefix('nochannel'),
      // Equal budgets: waiting a whole command budget for a confirmation that is not coming makes connect() time out.
      connectTimeoutMs: 2000,
      commandTimeoutMs: 2000,
      reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
    });
    caches.push(cache);
    const connections = async (): Promise<number> => Number(/^total_connections_received:(\d+)/m.exec(await admin.info('stats'))?.[1]);
    try {
      await expect(cache.connect()).resolves.toBe(true);
      expect(cache.connectionState).toBe('ready');
      expect(cache.l1CoherenceStatus()).toMatchObject({ trusted: false, confirmed: 0 });
      await expect(cache.set('k', 'v')).resolves.toBe('stored');
      await expect(cache.get('k')).resolves.toBe('v');
      await expect(cache.get('k')).resolves.toBe('v');
      expect(cache.getStats()).toMatchObject({ hitsL1: 0, hitsRedis: 2 });

      // Three seconds of refusals: retries back off (250 ms, doubling), and the streak is warned once.
      const before = await connections();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const opened = (await connections()) - before;
      expect(opened).toBeGreaterThanOrEqual(1);
      expect(opened).toBeLessThanOrEqual(6);
      expect(logger.warnings.filter((w) => w.includes('invalidation channel setup failed'))).toHaveLength(1);
      expect(cache.l1CoherenceStatus().trusted).toBe(false);

      await admin.call('ACL', 'SETUSER', NO_CHANNEL_USER, '&__cache:l1:*');
      await until(() => cache.l1CoherenceStatus().trusted, 15_000, 'the retried setup to succeed once the channel is granted');
      expect(cache.l1CoherenceStatus().mode).toBe('pubsub');
    } finally {
      admin.disconnect();
    }
  }, 30_000);
});
