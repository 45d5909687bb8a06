import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { silentLogger } from '@cache/core';
import { startRedis } from '@cache-tooling/test-redis';
import type { RedisTestServer, TlsMaterial } from '@cache-tooling/test-redis';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCacheSecurityManager, SecurityConfig } from '../src/index.js';
import type { SecurityConfigOptions, SecurityManagerOptions } from '../src/index.js';
import { allEnded, guardAgainstLeaks, ioredisConnector, recordingConnector } from './live-support.js';
import { captureLogger } from './support.js';

const APP = { name: 'cache-app', password: 'cache-app-acl-password' };
const SEVENTEEN_CHARS = 'seventeen-chars-x';

guardAgainstLeaks();

let server: RedisTestServer;
let certs: TlsMaterial;
beforeAll(async () => {
  server = await startRedis({ tls: true, password: 'password123', users: [APP] });
  if (!server.tls) throw new Error('test-redis started a TLS server without certificates');
  certs = server.tls;
});
afterAll(async () => {
  await server?.[Symbol.asyncDispose]();
});

/** A plain redis:// URL: the manager upgrades it to rediss:// when TLS is on. */
const url = (host = 'localhost'): string => `redis://${host}:${server.port}`;

function managerFor(options: SecurityConfigOptions, extra: SecurityManagerOptions = {}): RedisCacheSecurityManager {
  const logger = extra.logger ?? silentLogger;
  const config = new SecurityConfig({ connectionTimeout: 2, socketTimeout: 2, maxRetries: 0, ...options }, { env: {}, logger });
  return new RedisCacheSecurityManager(config, { connector: ioredisConnector, logger, ...extra });
}

const verified = (): SecurityConfigOptions => ({ redisAuth: 'password123', tlsCaPath: certs.caPath });
const fullySecured = (): SecurityConfigOptions => ({ aclUsername: APP.name, aclPassword: APP.password, redisAuth: SEVENTEEN_CHARS, tlsCaPath: certs.caPath });

describe('TLS-only server with generated certificates', () => {
  it('a verified connection works and is really encrypted', async () => {
    const client = (await managerFor(verified()).createSecureConnection(url())) as Redis;
    try {
      expect(await client.ping()).toBe('PONG');
      expect(client.stream).toBeInstanceOf(TLSSocket);
      expect((client.stream as TLSSocket).authorized).toBe(true);
    } finally {
      await client.quit();
    }
  });

  it('a CA that did not sign the server certificate is refused', async () => {
    const m = managerFor({ redisAuth: 'password123', tlsCaPath: certs.otherCaPath });
    await expect(m.createSecureConnection(url())).rejects.toMatchObject({
      code: 'CONNECTION_FAILED',
      context: { last_error: expect.stringMatching(/self-signed certificate in certificate chain/) },
    });
  });

  it('verifyCertificates:false connects (no CA, any host name) and warns', async () => {
    const logger = captureLogger();
    const client = (await managerFor({ redisAuth: 'password123', verifyCertificates: false }, { logger }).createSecureConnection(url('127.0.0.1'))) as Redis;
    try {
      expect(await client.ping()).toBe('PONG');
      expect((client.stream as TLSSocket).authorized).toBe(false);
    } finally {
      await client.quit();
    }
    expect(logger.messages('warn')).toContainEqual(expect.stringMatching(/verification is disabled.*not recommended for production/));
  });

  it('a plain (non-TLS) client is refused by the TLS port', async () => {
    const { connector, created } = recordingConnector();
    const m = managerFor({ redisAuth: 'password123', useTls: false }, { connector });
    await expect(m.createSecureConnection(url('127.0.0.1'))).rejects.toMatchObject({
      code: 'CONNECTION_FAILED',
      context: { last_error: expect.stringMatching(/ECONNRESET|closed/i) },
    });
    expect(await allEnded(created)).toBe(true);
  });

  it('ACL user over verified TLS: connects as that user', async () => {
    const client = (await managerFor(fullySecured()).createSecureConnection(url())) as Redis;
    try {
      expect(await client.acl('WHOAMI')).toBe(APP.name);
    } finally {
      await client.quit();
    }
  });
});

describe('validateConnectionSecurity over TLS', () => {
  async function validate(options: SecurityConfigOptions, host?: string, extra: SecurityManagerOptions = {}) {
    const m = managerFor(options, extra);
    const client = await m.createSecureConnection(url(host));
    try {
      return { m, result: await m.validateConnectionSecurity(client) };
    } finally {
      await client.quit?.();
    }
  }

  const BASELINE_ITEMS = 6;

  it('ACL user + TLS + verification + encrypted values scores 95, HIGH like the status, secure, with only baseline advice', async () => {
    const { m, result } = await validate(fullySecured(), undefined, { valuesEncrypted: true });
    expect(result).toMatchObject({ securityScore: 95, securityLevel: 'HIGH', isSecure: true, vulnerabilities: [], valuesEncrypted: true, verifyCertificates: true });
    expect(result.recommendations).toHaveLength(BASELINE_ITEMS);
    const status = m.getSecurityStatus();
    expect(status.securityLevel).toBe('HIGH');
    expect(status.lastValidation).toMatchObject({ securityScore: 95, securityLevel: 'HIGH', isSecure: true, recommendationsCount: BASELINE_ITEMS });
    expect(result.getSecuritySummary().split('\n')[0]).toBe('Security Status: SECURE (Score: 95/100, Level: HIGH)');
    const report = m.generateSecurityReport();
    expect(report).toContain('Security Status: ✅ SECURE');
    expect(report).toContain('Security Level: HIGH');
    expect(report).toContain('Configuration Security Level: HIGH');
    expect(report).toContain('ACL Authentication: ✅');
    expect(report).not.toContain('SECURITY VULNERABILITIES');
  });

  it('the same without value encryption scores 85 (still HIGH) and recommends exactly the encryption', async () => {
    const { m, result } = await validate(fullySecured());
    expect(result).toMatchObject({ securityScore: 85, securityLevel: 'HIGH', isSecure: true, vulnerabilities: [] });
    expect(m.config.securityLevel).toBe('HIGH');
    expect(result.recommendations).toHaveLength(BASELINE_ITEMS + 1);
    expect(result.recommendations[0]).toMatch(/^Encrypt cached values \(set REDIS_ENCRYPTION_KEY\)/);
  });

  it('an encryptionKey in the config counts as encrypted values by default', async () => {
    const { result } = await validate({ ...fullySecured(), encryptionKey: 'carried-for-the-redis-cache' });
    expect(result).toMatchObject({ securityScore: 95, valuesEncrypted: true });
  });

  it("redisAuth 'password123' with TLS + verification scores 75: the weak password lowers HIGH to MEDIUM; advice names the ACL user", async () => {
    const { m, result } = await validate(verified());
    expect(result).toMatchObject({ securityScore: 75, securityLevel: 'MEDIUM', isSecure: false });
    expect(m.config.securityLevel).toBe('HIGH');
    expect(m.getSecurityStatus().lastValidation?.securityLevel).toBe('MEDIUM');
    expect(result.vulnerabilities).toEqual([expect.stringMatching(/^Weak password/)]);
    expect(result).toMatchObject({ connectionEncrypted: true, tlsVersion: 'TLSv1.2', certificateValid: true, authMethod: 'AUTH' });
    expect(result.detailedChecks).toEqual({
      connectivity: 'OK',
      authentication: 'AUTH configured',
      encryption: 'TLS enabled (min version: TLSv1.2)',
      certificates: 'Valid',
    });
    expect(result.recommendations.slice(0, 2)).toEqual([
      expect.stringMatching(/^Use a dedicated ACL user .*shorter than 16 characters$/),
      expect.stringMatching(/^Encrypt cached values/),
    ]);
    expect(result.recommendations).toHaveLength(BASELINE_ITEMS + 2);
  });

  it('ACL user + TLS without verification + encrypted values scores 75, MEDIUM like the config, and recommends only verification', async () => {
    const { m, result } = await validate({ ...fullySecured(), verifyCertificates: false, tlsCaPath: null }, '127.0.0.1', { valuesEncrypted: true });
    expect(result).toMatchObject({ securityScore: 75, securityLevel: 'MEDIUM', isSecure: false, verifyCertificates: false });
    expect(m.config.securityLevel).toBe('MEDIUM');
    expect(result.vulnerabilities).toEqual([expect.stringMatching(/man-in-the-middle/)]);
    expect(result.recommendations.slice(0, -BASELINE_ITEMS)).toEqual([expect.stringMatching(/^Enable certificate verification/)]);
  });

  it('verification off with a weak password lists the man-in-the-middle risk once and scores 55', async () => {
    const { result } = await validate({ redisAuth: 'password123', verifyCertificates: false }, '127.0.0.1');
    expect(result.vulnerabilities.filter((v) => /man-in-the-middle/.test(v))).toHaveLength(1);
    expect(result.vulnerabilities).toHaveLength(2);
    expect(result).toMatchObject({ securityScore: 55, securityLevel: 'LOW' });
    expect(result.recommendations).toHaveLength(BASELINE_ITEMS + 3);
  });

  it('client certificate files deleted after start are reported missing, certificates Invalid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'security-client-cert-'));
    try {
      const certPath = join(dir, 'client.crt');
      const keyPath = join(dir, 'client.key');
      copyFileSync(certs.certPath, certPath);
      copyFileSync(certs.keyPath, keyPath);
      const m = managerFor({ ...fullySecured(), tlsCertPath: certPath, tlsKeyPath: keyPath });
      const client = await m.createSecureConnection(url());
      try {
        rmSync(certPath);
        rmSync(keyPath);
        const result = await m.validateConnectionSecurity(client);
        expect(result.vulnerabilities).toEqual([`Certificate file not found: ${certPath}`, `Private key file not found: ${keyPath}`]);
        expect(result.certificateValid).toBe(false);
        expect(result.detailedChecks['certificates']).toBe('Invalid');
        // 85 for ACL + TLS + verification, minus 5 per missing file.
        expect(result.securityScore).toBe(75);
        expect(m.generateSecurityReport()).toContain('❌ certificates: Invalid');
        const test = await m.testSecurityConfiguration(url());
        expect(test.configurationValid).toBe(false);
        expect(test.errors[0]).toMatch(/^Configuration invalid: TLS certificate file not found/);
        expect(test.testDetails['configurationValidation']).toMatch(/^Invalid: /);
      } finally {
        await client.quit?.();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('testSecurityConfiguration over TLS', () => {
  it('a fully secured configuration is encrypted and overall secure', async () => {
    const result = await managerFor(fullySecured()).testSecurityConfiguration(url());
    expect(result).toMatchObject({
      configurationValid: true,
      connectionSuccessful: true,
      authenticationWorking: true,
      encryptionActive: true,
      overallSecure: true,
      securityScore: 85,
      errors: [],
    });
  });

  it('a wrong CA gives a failed result with the certificate error', async () => {
    const result = await managerFor({ ...fullySecured(), tlsCaPath: certs.otherCaPath }).testSecurityConfiguration(url());
    expect(result.connectionSuccessful).toBe(false);
    expect(result.errors).toEqual([expect.stringMatching(/^Connection failed: .*self-signed certificate/)]);
  });
});
