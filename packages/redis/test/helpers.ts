import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { detectEnvironment, silentLogger, type EnvironmentResolver, type Logger } from '@cache/core';
import { EncryptedCacheLayer } from '@cache/encryption';
import { SecurityConfig, type SecurityConfigOptions } from '@cache/security';
import { TestFixture, testEnv, type RedisTestServer } from '@cache-tooling/test-redis';
import { GenericRedisCache, type GenericRedisCacheOptions } from '../src/index.js';

export { recordingLogger, testEnv, uniquePrefix, until } from '@cache-tooling/test-redis';
export const testResolver: EnvironmentResolver = (context) => detectEnvironment(testEnv, context);

/** A security config for the testing environment (plain TCP unless options say otherwise). */
export function securityFor(options: SecurityConfigOptions = {}, logger: Logger = silentLogger): SecurityConfig {
  return new SecurityConfig({ useTls: false, ...options }, { env: testEnv, logger, resolveEnvironment: testResolver });
}

/** A fresh enabled encryption layer. */
export function newEncryption(): EncryptedCacheLayer {
  return EncryptedCacheLayer.createWithGeneratedKey({ logger: silentLogger });
}

/** Creates caches and plain clients and closes all of them in `closeAll()` (call it in afterEach/afterAll). */
export class Fixture extends TestFixture {
  /** A cache on `server` (plain, password from the server) with fast reconnects and generated encryption. */
  cache(server: RedisTestServer | { url(): string; password: string | null }, options: Partial<GenericRedisCacheOptions> = {}): GenericRedisCache {
    const cache = new GenericRedisCache({
      redisUrl: server.url(),
      securityConfig: securityFor(server.password ? { redisAuth: server.password } : {}),
      encryption: newEncryption(),
      env: testEnv,
      logger: silentLogger,
      connectTimeoutMs: 1000,
      commandTimeoutMs: 1000,
      reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
      ...options,
    });
    return this.track(cache);
  }
}

const PYTHON = '/usr/bin/python3';
const PYTHON_READER = fileURLToPath(new URL('../python/read_envelope.py', import.meta.url));

/**
 * Runs the shipped Python reader (`python/read_envelope.py`, Debian's python3 with `cryptography`)
 * on `physicalKey` of `server`, with `encryptionKey` (if any) in its environment; resolves its exit
 * code and output, never rejects.
 */
export function readWithPython(
  server: RedisTestServer,
  password: string,
  physicalKey: string,
  encryptionKey: string | undefined,
): Promise<{ code: number; out: string; err: string }> {
  const env = { PATH: process.env.PATH ?? '', ...(encryptionKey ? { REDIS_ENCRYPTION_KEY: encryptionKey } : {}) };
  return new Promise((resolve) => {
    execFile(PYTHON, [PYTHON_READER, '--host', server.host, '--port', String(server.port), '--password', password, '--key', physicalKey], { env }, (error, out, err) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, out, err });
    });
  });
}
