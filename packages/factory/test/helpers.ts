import { silentLogger, type Logger } from '@cache/core';
import { EncryptedCacheLayer } from '@cache/encryption';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import type { SecurityConfigOptions } from '@cache/security';
import type { BaseCacheOptions } from '../src/index.js';

/** The environment every test cache reads: testing, no keys, no REDIS_* variables. */
export const testEnv: Readonly<Record<string, string | undefined>> = Object.freeze({ NODE_ENV: 'test' });

export const USER = 'factory-app';
export const USER_PASSWORD = 'factory-app-password-123';

/** A TLS-only redis-server with a default password and one ACL user. */
export function startSecureRedis(): Promise<RedisTestServer> {
  return startRedis({ tls: true, password: 'factory-default-password', users: [{ name: USER, password: USER_PASSWORD }] });
}

/** Security options for `server` (TLS with its CA, the ACL user); `overrides` win. */
export function securityFor(server: RedisTestServer, overrides: SecurityConfigOptions = {}): SecurityConfigOptions {
  return { useTls: true, verifyCertificates: true, tlsCaPath: server.tls!.caPath, aclUsername: USER, aclPassword: USER_PASSWORD, ...overrides };
}

/** Factory options reaching `server` over TLS as the ACL user (through `port`, e.g. a proxy's, when given). */
export function secureOptions(server: RedisTestServer, o: { port?: number; security?: SecurityConfigOptions } = {}): BaseCacheOptions {
  return {
    redisUrl: `rediss://localhost:${o.port ?? server.port}`,
    securityConfig: securityFor(server, o.security),
    encryption: EncryptedCacheLayer.createWithGeneratedKey({ logger: silentLogger }),
    env: testEnv,
    connectTimeoutMs: 1500,
  };
}

/** Logger that records every line for assertions. */
export function recordingLogger(): Logger & { lines: string[]; warnings: string[] } {
  const lines: string[] = [];
  const warnings: string[] = [];
  const record = (level: string) => (message: string, meta?: Record<string, unknown>) => {
    const line = `${level} ${message}${meta ? ` ${JSON.stringify(meta)}` : ''}`;
    lines.push(line);
    if (level === 'warn') warnings.push(line);
  };
  return { lines, warnings, debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

/** A port nothing listens on (found free, then released). */
export { freePort } from '@cache-tooling/test-redis';

/** Polls `predicate` every 50 ms until it holds, failing after `timeoutMs`. */
export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Open sockets and timers of this process, by kind (for "no handle left" checks). */
export function liveHandles(): string[] {
  return process.getActiveResourcesInfo().filter((r) => /TCP|TLS|Socket|Timeout/i.test(r));
}
