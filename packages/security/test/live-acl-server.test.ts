import { inspect } from 'node:util';
import { silentLogger } from '@cache/core';
import { startRedis } from '@cache-tooling/test-redis';
import type { RedisTestServer } from '@cache-tooling/test-redis';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCacheSecurityManager, SecurityConfig } from '../src/index.js';
import type { SecurityConfigOptions, SecurityManagerOptions } from '../src/index.js';
import { allEnded, guardAgainstLeaks, ioredisConnector, recordingConnector } from './live-support.js';

const APP = { name: 'cache-app', password: 'cache-app-acl-password' };
const LIMITED = { name: 'ping-only', password: 'ping-only-acl-password', rules: ['~*', '-@all', '+ping', '+hello', '+client'] };

guardAgainstLeaks();

let server: RedisTestServer;
beforeAll(async () => {
  server = await startRedis({ password: 'default-user-password-xyz', users: [APP, LIMITED] });
});
afterAll(async () => {
  await server?.[Symbol.asyncDispose]();
});

const url = (): string => `redis://127.0.0.1:${server.port}`;

function managerFor(options: SecurityConfigOptions, extra: SecurityManagerOptions = {}): RedisCacheSecurityManager {
  const config = new SecurityConfig({ useTls: false, connectionTimeout: 2, socketTimeout: 2, maxRetries: 0, ...options }, { env: {}, logger: silentLogger });
  return new RedisCacheSecurityManager(config, { connector: ioredisConnector, logger: silentLogger, ...extra });
}

describe('ACL user (real redis-server with ACL users)', () => {
  it('connects as that user, even with an AUTH password also configured', async () => {
    const m = managerFor({ aclUsername: APP.name, aclPassword: APP.password, redisAuth: 'not-the-default-password' });
    const client = (await m.createSecureConnection(url())) as Redis;
    try {
      expect(await client.acl('WHOAMI')).toBe(APP.name);
    } finally {
      await client.quit();
    }
  });

  it('validation reports ACL authentication: 65 without TLS (MEDIUM band + ACL), 75 with encrypted values, never HIGH', async () => {
    const m = managerFor({ aclUsername: APP.name, aclPassword: APP.password });
    const encrypted = managerFor({ aclUsername: APP.name, aclPassword: APP.password }, { valuesEncrypted: true });
    const client = await m.createSecureConnection(url());
    try {
      expect(await encrypted.validateConnectionSecurity(client)).toMatchObject({ securityScore: 75, securityLevel: 'MEDIUM', isSecure: false });
      const result = await m.validateConnectionSecurity(client);
      expect(result).toMatchObject({ authMethod: 'ACL', aclEnabled: true, authConfigured: true, securityScore: 65, securityLevel: 'MEDIUM', isSecure: false });
      expect(result.securityLevel).toBe(m.config.securityLevel);
      expect(result.recommendations.slice(0, 2)).toEqual([expect.stringMatching(/^Enable TLS/), expect.stringMatching(/^Encrypt cached values/)]);
      expect(result.detailedChecks['authentication']).toBe('ACL configured');
      expect(result.vulnerabilities).toEqual([expect.stringMatching(/^Unencrypted connection/)]);
    } finally {
      await client.quit?.();
    }
  });

  it('a wrong ACL password is CONNECTION_FAILED with WRONGPASS', async () => {
    const m = managerFor({ aclUsername: APP.name, aclPassword: 'wrong-acl-password' });
    await expect(m.createSecureConnection(url())).rejects.toMatchObject({
      code: 'CONNECTION_FAILED',
      context: { attempts: 1, last_error: expect.stringMatching(/^WRONGPASS/) },
    });
  });

  it('a user without INFO permission fails the post-connect check, closing the client', async () => {
    const { connector, created } = recordingConnector();
    const config = new SecurityConfig(
      { useTls: false, connectionTimeout: 2, socketTimeout: 2, aclUsername: LIMITED.name, aclPassword: LIMITED.password },
      { env: {}, logger: silentLogger },
    );
    const m = new RedisCacheSecurityManager(config, { connector, logger: silentLogger });
    const error = await m.createSecureConnection(url()).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'InfrastructureError', code: 'CONNECTION_VERIFICATION_FAILED' });
    expect((error as Error).message).toMatch(/NOPERM/);
    // The cause is the sanitised copy (core sanitizeError), not ioredis' raw error with its command and client internals.
    const cause = (error as Error).cause as Error & { command?: unknown };
    expect(cause.message).toMatch(/NOPERM/);
    expect(cause.command).toBeUndefined();
    expect(inspect(error, { depth: Infinity, showHidden: true })).not.toContain(LIMITED.password);
    expect(await allEnded(created)).toBe(true);
  });

  it('validation of that user lists the failed authentication probe', async () => {
    const m = managerFor({ aclUsername: LIMITED.name, aclPassword: LIMITED.password });
    const client = await ioredisConnector(m.buildConnectionParams(url()));
    try {
      const result = await m.validateConnectionSecurity(client);
      expect(result.detailedChecks['connectivity']).toBe('OK');
      expect(result.detailedChecks['authentication']).toMatch(/^FAILED: NOPERM/);
      expect(result.vulnerabilities).toContainEqual(expect.stringMatching(/^Authentication validation failed: NOPERM/));
      expect(result.authMethod).toBeNull();
    } finally {
      await client.quit?.();
    }
  });
});
