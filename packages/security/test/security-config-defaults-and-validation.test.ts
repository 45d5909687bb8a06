import { inspect } from 'node:util';
import { ConfigurationError, silentLogger } from '@cache/core';
import { describe, expect, it, vi } from 'vitest';
import { SecurityConfig } from '../src/index.js';
import type { SecurityConfigOptions } from '../src/index.js';
import { captureLogger, caught, everyFileExists, noFileExists } from './support.js';

const quiet = { logger: silentLogger, fileExists: everyFileExists, env: {} };

describe('SecurityConfig defaults', () => {
  it('are strict: TLS and verification on, no credentials, 30/30 s, 3 retries, 1.0 s delay', () => {
    const config = new SecurityConfig({}, quiet);
    expect(config).toMatchObject({
      redisAuth: null,
      aclUsername: null,
      aclPassword: null,
      useTls: true,
      verifyCertificates: true,
      tlsCertPath: null,
      tlsKeyPath: null,
      tlsCaPath: null,
      minTlsVersion: 'TLSv1.2',
      cipherSuites: null,
      connectionTimeout: 30,
      socketTimeout: 30,
      maxRetries: 3,
      retryDelay: 1.0,
      enableSecurityMonitoring: true,
      logSecurityEvents: true,
      encryptionKey: null,
    });
    expect(config.hasAuthentication).toBe(false);
    expect(config.securityLevel).toBe('MEDIUM');
  });

  it('a redisAuth-only config authenticates over TLS; turning TLS off explicitly makes it MEDIUM', () => {
    const onlyAuth = new SecurityConfig({ redisAuth: 'a-long-enough-password' }, quiet);
    expect(onlyAuth).toMatchObject({ useTls: true, aclUsername: null, connectionTimeout: 30, socketTimeout: 30, maxRetries: 3, retryDelay: 1.0 });
    expect(onlyAuth.hasAuthentication).toBe(true);
    expect(onlyAuth.securityLevel).toBe('HIGH');
    const noTls = new SecurityConfig({ redisAuth: 'a-long-enough-password', useTls: false }, quiet);
    expect(noTls.hasAuthentication).toBe(true);
    expect(noTls.securityLevel).toBe('MEDIUM');
  });

  it('a full TLS + ACL + verification config with present files is HIGH and exposes every field', () => {
    const options: SecurityConfigOptions = {
      redisAuth: 'auth-password-123456',
      aclUsername: 'cache-app',
      aclPassword: 'acl-password-123456',
      useTls: true,
      verifyCertificates: true,
      tlsCertPath: '/certs/client.crt',
      tlsKeyPath: '/certs/client.key',
      tlsCaPath: '/certs/ca.crt',
      minTlsVersion: 'TLSv1.3',
      cipherSuites: ['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'],
      connectionTimeout: 5,
      socketTimeout: 7,
      maxRetries: 4,
      retryDelay: 0.25,
      enableSecurityMonitoring: false,
      logSecurityEvents: false,
      encryptionKey: 'key-material',
    };
    const config = new SecurityConfig(options, quiet);
    expect(config.securityLevel).toBe('HIGH');
    expect(config).toMatchObject(options);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.cipherSuites)).toBe(true);
  });
});

describe('SecurityConfig validation (first failure wins, each with validation_type)', () => {
  const missingAll = { useTls: true, tlsCertPath: '/no/cert.pem', tlsKeyPath: '/no/key.pem', tlsCaPath: '/no/ca.pem' };

  async function failure(options: SecurityConfigOptions, fileExists: (p: string) => boolean = everyFileExists): Promise<ConfigurationError> {
    const error = await caught(() => new SecurityConfig(options, { ...quiet, fileExists }));
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }

  it('missing TLS files are reported cert → key → CA with the path and a fix', async () => {
    const cert = await failure(missingAll, noFileExists);
    expect(cert.code).toBe('TLS_FILE_NOT_FOUND');
    expect(cert.message).toMatch(/^TLS certificate file not found: \/no\/cert\.pem/);
    expect(cert.message).toContain('Fix:');
    expect(cert.context).toEqual({ cert_path: '/no/cert.pem', validation_type: 'tls_cert' });

    const key = await failure(missingAll, (p) => p === '/no/cert.pem');
    expect(key.message).toMatch(/^TLS key file not found: \/no\/key\.pem/);
    expect(key.context).toEqual({ key_path: '/no/key.pem', validation_type: 'tls_key' });

    const ca = await failure(missingAll, (p) => p !== '/no/ca.pem');
    expect(ca.message).toMatch(/^TLS CA file not found: \/no\/ca\.pem/);
    expect(ca.context).toEqual({ ca_path: '/no/ca.pem', validation_type: 'tls_ca' });
  });

  it('TLS paths are not checked when TLS is off', () => {
    const config = new SecurityConfig({ ...missingAll, useTls: false }, { ...quiet, fileExists: noFileExists });
    expect(config.tlsCertPath).toBe('/no/cert.pem');
  });

  it('an ACL user without password is refused', async () => {
    const error = await failure({ aclUsername: 'cache-app' });
    expect(error.code).toBe('INVALID_CONFIGURATION');
    expect(error.message).toMatch(/^ACL password is required/);
    expect(error.message).toContain('REDIS_ACL_PASSWORD');
    expect(error.context).toEqual({ acl_username: 'cache-app', validation_type: 'acl_config' });
    expect((await failure({ aclUsername: 'cache-app', aclPassword: '' })).context['validation_type']).toBe('acl_config');
  });

  it.each([
    [{ connectionTimeout: 0 }, /^Connection timeout must be positive/],
    [{ connectionTimeout: -1 }, /^Connection timeout must be positive/],
    [{ connectionTimeout: Number.NaN }, /^Connection timeout must be positive/],
    [{ socketTimeout: 0 }, /^Socket timeout must be positive/],
    [{ socketTimeout: -5 }, /^Socket timeout must be positive/],
  ])('timeout %o is refused', async (options, message) => {
    const error = await failure(options);
    expect(error.code).toBe('INVALID_CONFIGURATION');
    expect(error.message).toMatch(message);
    expect(error.message).toContain('Fix:');
    expect(error.context['validation_type']).toBe('timeout');
  });

  it.each([
    [{ connectionTimeout: 86_401 }, /^Connection timeout must be at most 86400 s/],
    [{ socketTimeout: 1e12 }, /^Socket timeout must be at most 86400 s/],
  ])('timeout %o beyond one day is refused (Node timers would fire at once)', async (options, message) => {
    const error = await failure(options);
    expect(error.code).toBe('INVALID_CONFIGURATION');
    expect(error.message).toMatch(message);
    expect(error.message).toContain('Fix:');
    expect(error.context['validation_type']).toBe('timeout');
  });

  it('a timeout of exactly one day is accepted', () => {
    expect(new SecurityConfig({ connectionTimeout: 86_400, socketTimeout: 86_400 }, quiet)).toMatchObject({ connectionTimeout: 86_400 });
  });

  it('a retry back-off whose last wait exceeds one day is refused; one within a day is accepted', async () => {
    const error = await failure({ maxRetries: 20, retryDelay: 1 });
    expect(error.message).toMatch(/^Retry back-off too long: .* = 524288 s, exceeds 86400 s\. Fix: lower maxRetries or retryDelay/);
    expect(error.context).toEqual({ max_retries: 20, retry_delay: 1, validation_type: 'retry_config' });
    expect(new SecurityConfig({ maxRetries: 17, retryDelay: 1 }, quiet).maxRetries).toBe(17);
    expect(new SecurityConfig({ maxRetries: 0, retryDelay: 1e9 }, quiet).retryDelay).toBe(1e9);
  });

  it.each([
    [{ maxRetries: -1 }, /^Max retries cannot be negative/],
    [{ maxRetries: 1.5 }, /^Max retries cannot be negative/],
    [{ retryDelay: -0.1 }, /^Retry delay cannot be negative/],
  ])('retry setting %o is refused', async (options, message) => {
    const error = await failure(options);
    expect(error.message).toMatch(message);
    expect(error.context['validation_type']).toBe('retry_config');
  });

  it('an unsupported TLS version or an empty cipher name is refused with the accepted values', async () => {
    const version = await failure({ minTlsVersion: 'TLSv1.1' as never });
    expect(version.code).toBe('INVALID_CONFIGURATION');
    expect(version.message).toContain("'TLSv1.2' or 'TLSv1.3'");
    expect(version.context).toEqual({ min_tls_version: 'TLSv1.1', validation_type: 'tls_version' });
    expect((await failure({ cipherSuites: ['AES128-SHA', ''] })).context['validation_type']).toBe('tls_ciphers');
  });

  it('options of the wrong type are refused, not coerced', async () => {
    expect((await failure({ useTls: 'false' as never })).context).toEqual({ option: 'useTls', validation_type: 'option_type' });
    expect((await failure({ redisAuth: 12345 as never })).context['option']).toBe('redisAuth');
    expect((await failure({ connectionTimeout: '30' as never })).context['validation_type']).toBe('timeout');
  });

  it('cipherSuites given as one string is refused, not split into single-character cipher names', async () => {
    const error = await failure({ cipherSuites: 'TLS_AES_256_GCM_SHA384' as never });
    expect(error.code).toBe('INVALID_CONFIGURATION');
    expect(error.context).toEqual({ option: 'cipherSuites', validation_type: 'option_type' });
    expect(error.message).toContain('an array of OpenSSL cipher names');
  });

  it('the first failure in rule order wins', async () => {
    const all = { ...missingAll, aclUsername: 'u', connectionTimeout: 0, maxRetries: -1, minTlsVersion: 'SSLv3' as never };
    expect((await failure(all, noFileExists)).context['validation_type']).toBe('tls_cert');
    expect((await failure(all, everyFileExists)).context['validation_type']).toBe('acl_config');
    expect((await failure({ ...all, aclPassword: 'p' }, everyFileExists)).context['validation_type']).toBe('timeout');
    expect((await failure({ ...all, aclPassword: 'p', connectionTimeout: 1 })).context['validation_type']).toBe('retry_config');
    expect((await failure({ ...all, aclPassword: 'p', connectionTimeout: 1, maxRetries: 0 })).context['validation_type']).toBe('tls_version');
  });
});

describe('hasAuthentication and securityLevel', () => {
  it.each([
    [{}, false],
    [{ redisAuth: '' }, false],
    [{ redisAuth: 'pw' }, true],
    [{ aclUsername: '', aclPassword: 'pw' }, false],
    [{ aclUsername: 'u', aclPassword: 'pw' }, true],
    [{ redisAuth: '', aclUsername: 'u', aclPassword: 'pw' }, true],
  ] as [SecurityConfigOptions, boolean][])('%o → hasAuthentication %s', (options, expected) => {
    expect(new SecurityConfig({ useTls: false, ...options }, quiet).hasAuthentication).toBe(expected);
  });

  it.each([
    [{ useTls: true, verifyCertificates: true, redisAuth: 'pw' }, 'HIGH'],
    [{ useTls: true, verifyCertificates: false, redisAuth: 'pw' }, 'MEDIUM'],
    [{ useTls: true, verifyCertificates: true }, 'MEDIUM'],
    [{ useTls: false, redisAuth: 'pw' }, 'MEDIUM'],
    [{ useTls: false, aclUsername: 'u', aclPassword: 'p' }, 'MEDIUM'],
    [{ useTls: false }, 'LOW'],
  ] as [SecurityConfigOptions, string][])('%o → %s', (options, level) => {
    expect(new SecurityConfig(options, quiet).securityLevel).toBe(level);
  });
});

describe('secrets stay out of serialisation', () => {
  const secrets = { redisAuth: 'auth-SECRET-1', aclUsername: 'app', aclPassword: 'acl-SECRET-2', encryptionKey: 'key-SECRET-3' };

  it('toJSON(), JSON.stringify and util.inspect redact redisAuth, aclPassword and encryptionKey', () => {
    const config = new SecurityConfig(secrets, quiet);
    const json = config.toJSON();
    expect(json).toMatchObject({ redisAuth: '***', aclPassword: '***', encryptionKey: '***', aclUsername: 'app', securityLevel: 'HIGH' });
    for (const text of [JSON.stringify(config), inspect(config, { depth: 5 }), String(inspect(config, { showHidden: true }))]) {
      expect(text).not.toMatch(/SECRET/);
      expect(text).toContain('***');
    }
  });

  it('unset secrets serialise as null, not as a redaction marker', () => {
    expect(new SecurityConfig({}, quiet).toJSON()).toMatchObject({ redisAuth: null, aclPassword: null, encryptionKey: null });
  });
});

describe('explicit relaxations warn once per process per kind', () => {
  it('useTls:false and verifyCertificates:false each log one warning, however many configs are built', async () => {
    vi.resetModules();
    const fresh = await import('../src/index.js');
    const logger = captureLogger();
    const runtime = { logger, fileExists: everyFileExists, env: {} };
    new fresh.SecurityConfig({ useTls: false }, runtime);
    new fresh.SecurityConfig({ useTls: false, redisAuth: 'SECRET-pw' }, runtime);
    new fresh.SecurityConfig({ verifyCertificates: false }, runtime);
    new fresh.SecurityConfig({ verifyCertificates: false, redisAuth: 'SECRET-pw' }, runtime);
    new fresh.SecurityConfig({}, runtime);
    const warnings = logger.messages('warn');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/TLS is disabled.*plain text/);
    expect(warnings[1]).toMatch(/certificate verification is disabled.*man-in-the-middle/);
    expect(JSON.stringify(logger.entries)).not.toContain('SECRET');
  });

  it('strict configs log no warning', async () => {
    vi.resetModules();
    const fresh = await import('../src/index.js');
    const logger = captureLogger();
    new fresh.SecurityConfig({ redisAuth: 'a-strong-password-1' }, { logger, env: {} });
    expect(logger.messages('warn')).toEqual([]);
  });
});
