import { silentLogger } from '@cache/core';
import { generateFernetKey } from '@cache/encryption';
import { freePort, startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GenericRedisCache, type ConnectionState } from '../src/index.js';
import { Fixture, newEncryption, securityFor, testEnv, uniquePrefix, until } from './helpers.js';

let plain: RedisTestServer;
let secure: RedisTestServer;
const fx = new Fixture();
const ACL_USER = 'cache-user';
const ACL_PASS = 'cache-user-password-123';

beforeAll(async () => {
  [plain, secure] = await Promise.all([
    startRedis({ password: 'lifecycle-pass-123' }),
    startRedis({ tls: true, password: 'default-pass-123', users: [{ name: ACL_USER, password: ACL_PASS }] }),
  ]);
});
afterEach(() => fx.closeAll());
afterAll(async () => {
  await Promise.all([plain.stop(), secure.stop()]);
});

const tlsCache = (password: string, extra: Partial<ConstructorParameters<typeof GenericRedisCache>[0]> = {}) =>
  fx.track(
    new GenericRedisCache({
      redisUrl: secure.url({ password: undefined }).replace(/\/\/.*@/, '//'),
      securityConfig: securityFor({ useTls: true, verifyCertificates: true, tlsCaPath: secure.tls!.caPath, aclUsername: ACL_USER, aclPassword: password }),
      encryption: newEncryption(),
      env: testEnv,
      logger: silentLogger,
      connectTimeoutMs: 2000,
      reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
      ...extra,
    }),
  );

async function clientCount(server: RedisTestServer): Promise<number> {
  const probe = fx.client(server);
  try {
    const list = await probe.client('LIST');
    return String(list).trim().split('\n').length - 1;
  } finally {
    await probe.quit();
  }
}

describe('connection lifecycle', () => {
  it('constructs idle; connect() is idempotent and single-flight (one client on the server)', async () => {
    const cache = fx.cache(plain, { keyPrefix: uniquePrefix('conn') });
    expect(cache.connectionState).toBe('idle');
    const states: ConnectionState[] = [];
    cache.on('connection_state', (state) => void states.push(state));
    const results = await Promise.all([cache.connect(), cache.connect(), cache.connect()]);
    expect(results).toEqual([true, true, true]);
    const before = await clientCount(plain);
    await expect(cache.connect()).resolves.toBe(true);
    expect(await clientCount(plain)).toBe(before);
    expect(states).toEqual(['connecting', 'ready']);
    expect(cache.getStats().connects).toBe(1);
  });

  it('a port with nothing listening: connect() resolves false (bounded), failOnConnectionError rejects InfrastructureError', async () => {
    const port = await freePort();
    const dead = { url: () => `redis://127.0.0.1:${port}`, password: null };
    const cache = fx.cache(dead, { connectTimeoutMs: 500 });
    await expect(cache.connect()).resolves.toBe(false);
    expect(['reconnecting', 'connecting']).toContain(cache.connectionState);
    expect(cache.getStats().lastConnectionError).toMatch(/ECONNREFUSED/);
    const strict = fx.cache(dead, { connectTimeoutMs: 500, failOnConnectionError: true });
    await expect(strict.connect()).rejects.toMatchObject({ name: 'InfrastructureError' });
  });

  it('TLS-only server with an ACL user: connects over rediss:// and reports live TLS', async () => {
    const cache = tlsCache(ACL_PASS, { keyPrefix: uniquePrefix('tls') });
    await expect(cache.connect()).resolves.toBe(true);
    await expect(cache.set('k', { ok: true })).resolves.toBe('stored');
    await expect(cache.get('k')).resolves.toEqual({ ok: true });
    const status = cache.getSecurityStatus();
    expect(status.configuration.tlsEnabled).toBe(true);
    expect(status.valuesEncrypted).toBe(true);
    const validation = await cache.validateSecurity();
    expect(validation).not.toBeNull();
    expect(validation!.tlsEnabled).toBe(true);
    expect(await cache.generateSecurityReport()).toContain('REDIS CACHE SECURITY ASSESSMENT REPORT');
  });

  it('wrong ACL password: state failed with WRONGPASS, no retry storm; a later connect() tries again', async () => {
    const cache = tlsCache('wrong-password-xyz');
    await expect(cache.connect()).resolves.toBe(false);
    expect(cache.connectionState).toBe('failed');
    expect(cache.getStats().lastConnectionError).toMatch(/WRONGPASS/);
    const attempts = cache.getStats().connects;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(cache.getStats().connects).toBe(attempts);
    await expect(cache.set('k', 1)).resolves.toBe('l1_only');
    await expect(cache.connect()).resolves.toBe(false);
    expect(cache.getStats().connects).toBe(attempts + 1);
  });

  it('testSecurityConfiguration() runs end to end against the cache URL on a live TLS + ACL server', async () => {
    const cache = tlsCache(ACL_PASS);
    const result = await cache.testSecurityConfiguration();
    expect(result).toMatchObject({ configurationValid: true, connectionSuccessful: true, authenticationWorking: true, encryptionActive: true });
    expect(result.errors).toEqual([]);
    // It opens its own connection: the cache itself stays idle.
    expect(cache.connectionState).toBe('idle');
  });

  it('testSecurityConfiguration() with a wrong ACL password reports the failure without the password', async () => {
    const cache = fx.track(
      new GenericRedisCache({
        redisUrl: secure.url({ password: undefined }).replace(/\/\/.*@/, '//'),
        securityConfig: securityFor({
          useTls: true, verifyCertificates: true, tlsCaPath: secure.tls!.caPath, aclUsername: ACL_USER, aclPassword: 'wrong-secret-xyz', maxRetries: 0,
        }),
        encryption: newEncryption(),
        env: testEnv,
        logger: silentLogger,
      }),
    );
    const result = await cache.testSecurityConfiguration();
    expect(result.connectionSuccessful && result.authenticationWorking).toBe(false);
    expect(result.errors.join(' ')).toMatch(/WRONGPASS/);
    expect(JSON.stringify(result)).not.toContain('wrong-secret-xyz');
  });

  it('createSecure() reads URL, ACL credentials and encryption key from env and works against a live TLS server', async () => {
    const env = {
      NODE_ENV: 'development',
      REDIS_URL: `rediss://localhost:${secure.port}`,
      REDIS_ACL_USERNAME: ACL_USER,
      REDIS_ACL_PASSWORD: ACL_PASS,
      REDIS_TLS_CA_PATH: secure.tls!.caPath,
      REDIS_ENCRYPTION_KEY: generateFernetKey(),
    };
    const cache = fx.track(GenericRedisCache.createSecure({ env, logger: silentLogger }));
    expect(cache.redisUrl).toBe(env.REDIS_URL);
    await expect(cache.connect()).resolves.toBe(true);
    const key = uniquePrefix('secure');
    await expect(cache.set(key, { ok: 1 })).resolves.toBe('stored');
    await expect(cache.get(key)).resolves.toEqual({ ok: 1 });
    const status = cache.getSecurityStatus();
    expect([status.configuration.tlsEnabled, status.configuration.aclConfigured, status.valuesEncrypted]).toEqual([true, true, true]);
    const probe = new Redis(secure.url({ username: ACL_USER, password: ACL_PASS }), { tls: { ca: secure.tls!.ca }, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    try {
      const raw = await probe.getBuffer(key);
      expect([...raw!.subarray(0, 2)]).toEqual([0xca, 0xce]);
      expect(raw![4]! & 0x02).toBe(0x02);
    } finally {
      probe.disconnect();
    }
    await cache.delete(key);
  });

  it('createSecure verifies certificates whatever NODE_ENV says, honours REDIS_TLS_CA_PATH, invents no certificate paths and takes the other options', async () => {
    const base = {
      REDIS_URL: `rediss://localhost:${secure.port}`,
      REDIS_ACL_USERNAME: ACL_USER,
      REDIS_ACL_PASSWORD: ACL_PASS,
      REDIS_ENCRYPTION_KEY: generateFernetKey(),
    };
    // NODE_ENV unset and no CA given: verification stays on, so the test CA is not trusted.
    const unverified = fx.track(GenericRedisCache.createSecure({ env: base, logger: silentLogger, connectTimeoutMs: 2000 }));
    await expect(unverified.connect()).resolves.toBe(false);
    expect(unverified.connectionState).toBe('failed');
    expect(unverified.getStats().lastConnectionError).toMatch(/CERT|certificate/i);

    // Production with REDIS_TLS_CA_PATH: no /etc/ssl client certificate is demanded; the other options apply.
    const prefix = uniquePrefix('secure-opts');
    const ops: string[] = [];
    const cache = fx.track(
      GenericRedisCache.createSecure({
        env: { ...base, NODE_ENV: 'production', REDIS_TLS_CA_PATH: secure.tls!.caPath },
        logger: silentLogger,
        keyPrefix: prefix,
        name: 'sessions',
        performanceMonitor: { recordOperation: (operation) => void ops.push(operation) },
      }),
    );
    await expect(cache.connect()).resolves.toBe(true);
    await expect(cache.set('k', 1)).resolves.toBe('stored');
    expect([cache.name, cache.keyPrefix, ops]).toEqual(['sessions', prefix, ['set']]);
    const status = cache.getSecurityStatus();
    expect([status.configuration.tlsEnabled, status.configuration.certificateVerification]).toEqual([true, true]);
    expect(() => GenericRedisCache.createSecure({ env: base, securityConfig: securityFor() } as never)).toThrow(
      expect.objectContaining({ name: 'ConfigurationError', code: 'INVALID_CONFIGURATION' }),
    );
    await cache.delete('k');
  });

  it('a certificate from an unknown CA fails verification and stops retrying', async () => {
    const cache = fx.track(
      new GenericRedisCache({
        redisUrl: secure.url({ password: undefined }).replace(/\/\/.*@/, '//'),
        securityConfig: securityFor({ useTls: true, tlsCaPath: secure.tls!.otherCaPath, aclUsername: ACL_USER, aclPassword: ACL_PASS }),
        encryption: newEncryption(),
        env: testEnv,
        logger: silentLogger,
        connectTimeoutMs: 2000,
      }),
    );
    await expect(cache.connect()).resolves.toBe(false);
    expect(cache.connectionState).toBe('failed');
    expect(cache.getStats().lastConnectionError).toMatch(/CERT|certificate/i);
  });

  it('disconnect() twice never throws, leaves state closed; later ops are L1-only and open no socket until connect()', async () => {
    const cache = fx.cache(plain, { keyPrefix: uniquePrefix('disc') });
    await cache.connect();
    await cache.disconnect();
    await cache.disconnect();
    expect(cache.connectionState).toBe('closed');
    const connects = cache.getStats().connects;
    await expect(cache.set('k', 1)).resolves.toBe('l1_only');
    await expect(cache.get('k')).resolves.toBe(1);
    expect(cache.connectionState).toBe('closed');
    expect(cache.getStats().connects).toBe(connects);
    await expect(cache.connect()).resolves.toBe(true);
    await expect(cache.set('k', 2)).resolves.toBe('stored');
  });

  it('the first operation on an idle cache connects implicitly', async () => {
    const cache = fx.cache(plain, { keyPrefix: uniquePrefix('lazy') });
    await expect(cache.set('k', 'v')).resolves.toBe('stored');
    expect(cache.connectionState).toBe('ready');
  });

  it('after a server restart the state returns to ready and the next set is visible to a plain client', async () => {
    const server = await startRedis({ password: 'restart-pass-123' });
    try {
      const prefix = uniquePrefix('restart');
      const cache = fx.cache(server, { keyPrefix: prefix });
      const states: ConnectionState[] = [];
      cache.on('connection_state', (state) => void states.push(state));
      await cache.connect();
      await server.stop();
      await until(() => cache.connectionState === 'reconnecting', 5000, 'reconnecting');
      await expect(cache.set('during', 1)).resolves.toBe('l1_only');
      await server.restart();
      await until(() => cache.connectionState === 'ready', 10_000, 'ready after restart');
      expect(states.slice(-1)).toEqual(['ready']);
      await expect(cache.set('after', 'visible')).resolves.toBe('stored');
      const probe = fx.client(server);
      expect(await probe.exists(`${prefix}after`)).toBe(1);
    } finally {
      await fx.closeAll();
      await server.stop();
    }
  });
});
