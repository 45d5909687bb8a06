import { detectEnvironment, silentLogger } from '@cache/core';
import { SecurityConfig } from '@cache/security';
import { startRedisSentinelSet, type RedisSentinelSet } from '@cache-tooling/test-redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenericRedisCache } from '../src/index.js';
import { Fixture, newEncryption, recordingLogger, securityFor, testEnv, uniquePrefix, until } from './helpers.js';

const PASSWORD = 'sentinel-tls-data-pass-123';
const SENTINEL_PASSWORD = 'sentinel-tls-own-pass-456';
let set: RedisSentinelSet;
const fx = new Fixture();

beforeAll(async () => {
  // Master, replica and three sentinels on TLS ports only, every one of them password-protected.
  set = await startRedisSentinelSet({ tls: true, password: PASSWORD, sentinelPassword: SENTINEL_PASSWORD });
}, 60_000);
afterAll(async () => {
  await fx.closeAll();
  await set.stop();
});

function tlsSentinelCache(options: { sentinelPassword?: string; caPath?: string; logger?: ReturnType<typeof recordingLogger> } = {}): GenericRedisCache {
  return fx.track(
    new GenericRedisCache({
      sentinel: { name: set.name, sentinels: set.sentinels, sentinelPassword: options.sentinelPassword ?? SENTINEL_PASSWORD },
      securityConfig: securityFor({ useTls: true, verifyCertificates: true, tlsCaPath: options.caPath ?? set.tls!.caPath, redisAuth: PASSWORD }),
      encryption: newEncryption(),
      env: testEnv,
      logger: options.logger ?? silentLogger,
      keyPrefix: uniquePrefix('stls'),
      connectTimeoutMs: 5000,
      commandTimeoutMs: 1000,
      reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
    }),
  );
}

describe('Redis Sentinel target over TLS, with auth to the sentinels and the master', () => {
  it('connects through the TLS sentinels to the TLS master, verifies certificates, stores and reads, and keeps L1 coherent', async () => {
    const cache = tlsSentinelCache();
    await expect(cache.connect()).resolves.toBe(true);
    expect(cache.getSecurityStatus().configuration.tlsEnabled).toBe(true);
    await expect(cache.validateSecurity()).resolves.toMatchObject({ tlsEnabled: true });
    await expect(cache.set('k', { v: 1 })).resolves.toBe('stored');
    await expect(cache.get('k')).resolves.toEqual({ v: 1 });
    expect(cache.getStats().l1Coherence).toMatchObject({ mode: 'tracking', trusted: true });
  });

  it('a wrong sentinel password is a security refusal: state failed, no retry loop, warned as a security event, and the password appears nowhere', async () => {
    const logger = recordingLogger();
    const wrong = 'not-the-sentinel-pass-789';
    const cache = tlsSentinelCache({ sentinelPassword: wrong, logger });
    await expect(cache.connect()).resolves.toBe(false);
    expect(cache.connectionState).toBe('failed');
    expect(logger.warnings.filter((w) => w.includes('Security event'))).toHaveLength(1);
    const stats = cache.getStats();
    expect(stats.lastConnectionError).toMatch(/WRONGPASS|NOAUTH|auth/i);
    const everything = JSON.stringify(stats) + logger.warnings.join('\n') + logger.errors.join('\n');
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(SENTINEL_PASSWORD);
    await expect(cache.get('k')).resolves.toBeNull();
  });

  it('a sentinel whose certificate this client does not trust is a security refusal (TLS verification), as for the other targets', async () => {
    const logger = recordingLogger();
    const cache = tlsSentinelCache({ caPath: set.tls!.otherCaPath, logger });
    await expect(cache.connect()).resolves.toBe(false);
    await until(() => cache.connectionState === 'failed', 5000, 'the refusal');
    expect(cache.getStats().lastConnectionError).toMatch(/SELF_SIGNED_CERT_IN_CHAIN|certificate/i);
    expect(logger.warnings.filter((w) => w.includes('Security event'))).toHaveLength(1);
    await expect(cache.set('k', 'v')).resolves.toBe('l1_only');
  });

  it('production: a sentinel target without TLS is refused at construction, like the other targets', () => {
    const prod = { NODE_ENV: 'production' };
    const resolveEnvironment = (context?: Parameters<typeof detectEnvironment>[1]) => detectEnvironment(prod, context);
    const securityConfig = new SecurityConfig({ useTls: false, redisAuth: PASSWORD }, { env: prod, logger: silentLogger, resolveEnvironment });
    expect(
      () =>
        new GenericRedisCache({
          sentinel: { name: set.name, sentinels: set.sentinels, sentinelPassword: SENTINEL_PASSWORD },
          securityConfig,
          encryption: newEncryption(),
          env: prod,
          logger: silentLogger,
        }),
    ).toThrow(expect.objectContaining({ name: 'ConfigurationError' }));
  });
});
