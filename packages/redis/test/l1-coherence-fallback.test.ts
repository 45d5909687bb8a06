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

beforeAll(async () => {
  // Everything except the CLIENT command: tracking cannot be enabled.
  server = await startRedis({ password: 'fallback-default-pass', users: [{ name: USER, password: PASS, rules: ['~*', '&*', '+@all', '-client'] }] });
});
afterEach(async () => {
  await Promise.all(caches.splice(0).map((cache) => cache.disconnect()));
});
afterAll(async () => {
  await server.stop();
});

function aclCache(keyPrefix: string, encryption = newEncryption(), logger = silentLogger): GenericRedisCache {
  const cache = new GenericRedisCache({
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
