// A local redis-server for the examples (password-protected; values Fernet-encrypted by the cache).
import { silentLogger } from '@cache/core';
import { generateFernetKey } from '@cache/encryption';
import { GenericRedisCache } from '@cache/redis';
import { SecurityConfig } from '@cache/security';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import { randomBytes } from 'node:crypto';

/** Starts a redis-server and a GenericRedisCache on it; `close()` stops both. */
export async function localRedis(): Promise<{ server: RedisTestServer; storage: GenericRedisCache; close(): Promise<void> }> {
  const password = randomBytes(18).toString('base64url');
  const server = await startRedis({ password });
  // Development on loopback: TLS off (warned once, silenced here); a password and encryption still apply.
  const env = { ENVIRONMENT: 'development' };
  const storage = new GenericRedisCache({
    redisUrl: server.url(),
    securityConfig: new SecurityConfig({ useTls: false, redisAuth: password, encryptionKey: generateFernetKey() }, { env, logger: silentLogger }),
    env,
    logger: silentLogger,
    keyPrefix: 'example:',
  });
  await storage.connect();
  return {
    server,
    storage,
    async close() {
      await storage.disconnect();
      await server.stop();
    },
  };
}
