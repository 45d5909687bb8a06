import { silentLogger, type CacheInterface, type Clock } from '@cache/core';
import { runCacheInterfaceContract } from '@cache/core/testing';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenericRedisCache } from '../src/index.js';
import { newEncryption, securityFor, testEnv, uniquePrefix } from './helpers.js';

const USER = 'contract-user';
const PASS = 'contract-user-password-123';
let server: RedisTestServer;

beforeAll(async () => {
  server = await startRedis({ tls: true, password: 'contract-default-pass', users: [{ name: USER, password: PASS }] });
});
afterAll(async () => {
  await server.stop();
});

const makeCache = (clock?: Clock) =>
    new GenericRedisCache({
      redisUrl: `rediss://localhost:${server.port}`,
      securityConfig: securityFor({ useTls: true, verifyCertificates: true, tlsCaPath: server.tls!.caPath, aclUsername: USER, aclPassword: PASS }),
      encryption: newEncryption(),
      env: testEnv,
      logger: silentLogger,
      keyPrefix: uniquePrefix('contract'),
      ...(clock ? { clock } : {}),
    });

runCacheInterfaceContract(
  () => makeCache(),
  {
    describe,
    it,
    expect,
    name: 'GenericRedisCache on a TLS-only server with an ACL user',
    // The envelope's fresh and hard expiry follow the cache's clock; Redis keeps the key ttl + grace.
    makeCacheWithClock: (clock) => makeCache(clock),
    supportsTags: true,
    dispose: (cache: CacheInterface) => (cache as GenericRedisCache).disconnect(),
  },
);
