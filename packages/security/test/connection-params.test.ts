import { silentLogger } from '@cache/core';
import { describe, expect, it } from 'vitest';
import { RedisCacheSecurityManager, SecurityConfig } from '../src/index.js';
import type { SecurityConfigOptions } from '../src/index.js';
import { captureLogger, caught, everyFileExists } from './support.js';

const PEM: Record<string, Buffer> = {
  '/certs/client.crt': Buffer.from('client-cert'),
  '/certs/client.key': Buffer.from('client-key'),
  '/certs/ca.crt': Buffer.from('ca-cert'),
};

function manager(options: SecurityConfigOptions, reads: string[] = []) {
  const config = new SecurityConfig(options, { env: {}, logger: silentLogger, fileExists: everyFileExists });
  return new RedisCacheSecurityManager(config, {
    readFile: (path) => {
      reads.push(path);
      const pem = PEM[path];
      if (!pem) throw new Error(`EACCES: permission denied, open '${path}'`);
      return pem;
    },
  });
}

describe('buildConnectionParams', () => {
  it('converts timeouts to milliseconds and defaults the URL', () => {
    const params = manager({ useTls: false, connectionTimeout: 2.5, socketTimeout: 7 }).buildConnectionParams();
    expect(params).toEqual({ url: 'redis://localhost:6379', connectTimeout: 2500, commandTimeout: 7000 });
  });

  it('uses the AUTH password alone, ACL user + password when both are set (precedence), else nothing', () => {
    expect(manager({ useTls: false, redisAuth: 'auth-pw' }).buildConnectionParams('redis://h:1')).toMatchObject({ password: 'auth-pw' });
    expect(manager({ useTls: false, redisAuth: 'auth-pw' }).buildConnectionParams('redis://h:1').username).toBeUndefined();
    expect(
      manager({ useTls: false, redisAuth: 'auth-pw', aclUsername: 'app', aclPassword: 'acl-pw' }).buildConnectionParams('redis://h:1'),
    ).toMatchObject({ username: 'app', password: 'acl-pw' });
    const none = manager({ useTls: false }).buildConnectionParams('redis://h:1');
    expect('username' in none || 'password' in none).toBe(false);
  });

  it('without TLS leaves the URL untouched and has no tls options', () => {
    const params = manager({ useTls: false }).buildConnectionParams('redis://cache:6379/2');
    expect(params.url).toBe('redis://cache:6379/2');
    expect(params.tls).toBeUndefined();
  });

  it('with TLS upgrades the first redis:// only and verifies by default', () => {
    const m = manager({ minTlsVersion: 'TLSv1.3' });
    expect(m.buildConnectionParams('redis://cache:6379').url).toBe('rediss://cache:6379');
    expect(m.buildConnectionParams('redis://cache:6379/?name=redis://x').url).toBe('rediss://cache:6379/?name=redis://x');
    expect(m.buildConnectionParams('rediss://cache:6380').url).toBe('rediss://cache:6380');
    expect(m.buildConnectionParams('redis://cache:6379').tls).toEqual({ rejectUnauthorized: true, minVersion: 'TLSv1.3' });
  });

  it('verification off also disables host-name checking', () => {
    const tls = manager({ verifyCertificates: false }).buildConnectionParams().tls;
    expect(tls?.rejectUnauthorized).toBe(false);
    expect(tls?.checkServerIdentity?.('evil.example', {})).toBeUndefined();
  });

  it('joins cipher suites with ":" and carries the PEM buffers', () => {
    const reads: string[] = [];
    const tls = manager(
      {
        cipherSuites: ['TLS_AES_256_GCM_SHA384', 'ECDHE-RSA-AES256-GCM-SHA384'],
        tlsCertPath: '/certs/client.crt',
        tlsKeyPath: '/certs/client.key',
        tlsCaPath: '/certs/ca.crt',
      },
      reads,
    ).buildConnectionParams().tls;
    expect(tls).toMatchObject({
      ciphers: 'TLS_AES_256_GCM_SHA384:ECDHE-RSA-AES256-GCM-SHA384',
      cert: PEM['/certs/client.crt'],
      key: PEM['/certs/client.key'],
      ca: PEM['/certs/ca.crt'],
    });
    expect(reads).toEqual(['/certs/client.crt', '/certs/client.key', '/certs/ca.crt']);
  });

  it('reads the client certificate only together with its key', () => {
    const reads: string[] = [];
    const tls = manager({ tlsCertPath: '/certs/client.crt', tlsCaPath: '/certs/ca.crt' }, reads).buildConnectionParams().tls;
    expect(reads).toEqual(['/certs/ca.crt']);
    expect(tls?.cert).toBeUndefined();
    expect(tls?.ca).toEqual(PEM['/certs/ca.crt']);
  });

  it('reads nothing without TLS', () => {
    const reads: string[] = [];
    manager({ useTls: false, tlsCaPath: '/certs/ca.crt' }, reads);
    expect(reads).toEqual([]);
  });

  it('an unreadable TLS file fails construction with TLS_CONTEXT_FAILED naming the path', async () => {
    const error = await caught(() => manager({ tlsCaPath: '/certs/unreadable-ca.crt' }));
    expect(error).toMatchObject({
      name: 'ConfigurationError',
      code: 'TLS_CONTEXT_FAILED',
      context: { validation_type: 'tls_context', path: '/certs/unreadable-ca.crt' },
    });
    expect((error as Error).message).toContain('Fix:');
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('construction logs one info line with the security level, only when security events are on', () => {
    const build = (logSecurityEvents: boolean) => {
      const logger = captureLogger();
      const config = new SecurityConfig({ useTls: false, redisAuth: 'SECRET-pw', logSecurityEvents }, { env: {}, logger: silentLogger });
      new RedisCacheSecurityManager(config, { logger });
      return logger;
    };
    const on = build(true);
    expect(on.entries).toEqual([expect.objectContaining({ level: 'info', meta: { securityLevel: 'MEDIUM' } })]);
    expect(JSON.stringify(on.entries)).not.toContain('SECRET');
    expect(build(false).entries).toEqual([]);
  });

  it('construction with TLS but no verification warns that it is not for production', () => {
    const logger = captureLogger();
    const config = new SecurityConfig({ verifyCertificates: false, logSecurityEvents: false }, { env: {}, logger: silentLogger });
    new RedisCacheSecurityManager(config, { logger });
    expect(logger.messages('warn')).toEqual([expect.stringMatching(/verification is disabled.*not recommended for production/)]);
  });

  it('a manager needs a SecurityConfig', async () => {
    expect(await caught(() => new RedisCacheSecurityManager({} as never))).toMatchObject({ code: 'INVALID_CONFIGURATION' });
  });

  it('createSecureConnection without a connector is NO_CONNECTOR, before any attempt', async () => {
    await expect(manager({ useTls: false }).createSecureConnection()).rejects.toMatchObject({
      name: 'ConfigurationError',
      code: 'NO_CONNECTOR',
    });
  });
});
