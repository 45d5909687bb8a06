import { ConfigurationError, silentLogger } from '@cache/core';
import type { Environment } from '@cache/core';
import { describe, expect, it } from 'vitest';
import { RedisCacheSecurityManager, SecurityConfig } from '../src/index.js';
import type { SecurityConfigOptions } from '../src/index.js';
import { captureLogger, caught, everyFileExists, noFileExists, resolverFor } from './support.js';

const credentials = { REDIS_AUTH: 'env-auth-password-42', REDIS_ACL_USERNAME: 'cache-app', REDIS_ACL_PASSWORD: 'env-acl-password-42' };

function preset(environment: Environment, env: Record<string, string> = credentials, logger = silentLogger) {
  return SecurityConfig.createForEnvironment('enc-key', {
    env,
    fileExists: everyFileExists,
    resolveEnvironment: resolverFor(environment),
    logger,
  });
}

describe('SecurityConfig.createForEnvironment', () => {
  it('production: TLS 1.3 with /etc/ssl client files, verification, 30/30 s, 3 retries, monitoring', () => {
    expect(preset('production')).toMatchObject({
      useTls: true,
      tlsCertPath: '/etc/ssl/redis-client.crt',
      tlsKeyPath: '/etc/ssl/redis-client.key',
      tlsCaPath: '/etc/ssl/ca.crt',
      verifyCertificates: true,
      minTlsVersion: 'TLSv1.3',
      connectionTimeout: 30,
      socketTimeout: 30,
      maxRetries: 3,
      enableSecurityMonitoring: true,
      logSecurityEvents: true,
    });
  });

  it('staging: TLS 1.2 with the staging client files and verification', () => {
    expect(preset('staging')).toMatchObject({
      useTls: true,
      tlsCertPath: '/etc/ssl/redis-staging.crt',
      tlsKeyPath: '/etc/ssl/redis-staging.key',
      tlsCaPath: '/etc/ssl/ca.crt',
      verifyCertificates: true,
      minTlsVersion: 'TLSv1.2',
      connectionTimeout: 30,
      maxRetries: 3,
    });
  });

  it('development: TLS without files or verification, 20/20 s, 2 retries', () => {
    expect(preset('development')).toMatchObject({
      useTls: true,
      tlsCertPath: null,
      tlsKeyPath: null,
      tlsCaPath: null,
      verifyCertificates: false,
      minTlsVersion: 'TLSv1.2',
      connectionTimeout: 20,
      socketTimeout: 20,
      maxRetries: 2,
      enableSecurityMonitoring: true,
      logSecurityEvents: true,
    });
  });

  it('testing: no TLS, 10/10 s, 1 retry, monitoring and events off', () => {
    expect(preset('testing')).toMatchObject({
      useTls: false,
      verifyCertificates: false,
      minTlsVersion: 'TLSv1.2',
      connectionTimeout: 10,
      socketTimeout: 10,
      maxRetries: 1,
      enableSecurityMonitoring: false,
      logSecurityEvents: false,
    });
  });

  it('unknown: production settings, after a warning saying so', () => {
    const logger = captureLogger();
    const config = preset('unknown', credentials, logger);
    expect(config).toMatchObject({ minTlsVersion: 'TLSv1.3', tlsCertPath: '/etc/ssl/redis-client.crt', verifyCertificates: true });
    expect(logger.messages('warn')).toEqual([expect.stringMatching(/production-level/)]);
  });

  it('reads credentials from the environment only and stores the encryption key', () => {
    for (const environment of ['production', 'staging', 'development', 'testing', 'unknown'] as const) {
      const config = preset(environment);
      expect(config).toMatchObject({
        redisAuth: credentials.REDIS_AUTH,
        aclUsername: credentials.REDIS_ACL_USERNAME,
        aclPassword: credentials.REDIS_ACL_PASSWORD,
        encryptionKey: 'enc-key',
      });
      const bare = preset(environment, {});
      expect(bare).toMatchObject({ redisAuth: null, aclUsername: null, aclPassword: null });
      expect(bare.hasAuthentication).toBe(false);
    }
  });

  it('asks the resolver with the security-enforcement context', () => {
    const resolveEnvironment = resolverFor('development');
    SecurityConfig.createForEnvironment(null, { env: {}, resolveEnvironment, logger: silentLogger });
    expect(resolveEnvironment.contexts).toEqual(['security_enforcement']);
  });

  it('production and staging fail with TLS_FILE_NOT_FOUND on hosts without the /etc/ssl files', async () => {
    for (const environment of ['production', 'staging', 'unknown'] as const) {
      const error = await caught(() =>
        SecurityConfig.createForEnvironment(null, { env: credentials, fileExists: noFileExists, resolveEnvironment: resolverFor(environment), logger: silentLogger }),
      );
      expect(error).toMatchObject({ code: 'TLS_FILE_NOT_FOUND', context: { validation_type: 'tls_cert' } });
    }
  });

  it('without runtime resolver, detection reads the given env (not the test runner NODE_ENV)', () => {
    const config = SecurityConfig.createForEnvironment(null, { env: { ENVIRONMENT: 'development' }, logger: silentLogger });
    expect(config).toMatchObject({ verifyCertificates: false, connectionTimeout: 20 });
  });
});

describe('validateMandatorySecurityRequirements', () => {
  function config(environment: Environment, options: SecurityConfigOptions, logger = silentLogger): SecurityConfig {
    return new SecurityConfig(options, { env: {}, fileExists: everyFileExists, resolveEnvironment: resolverFor(environment, 0.85), logger });
  }

  async function mandatoryFailure(environment: Environment, options: SecurityConfigOptions): Promise<ConfigurationError> {
    const error = await caught(() => config(environment, options).validateMandatorySecurityRequirements());
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }

  it('authentication is mandatory outside testing, with environment, confidence and fixes', async () => {
    for (const environment of ['development', 'staging', 'production', 'unknown'] as const) {
      const error = await mandatoryFailure(environment, {});
      expect(error.code).toBe('MANDATORY_AUTHENTICATION');
      expect(error.message).toMatch(/^SECURITY ERROR/);
      expect(error.message).toContain(environment);
      expect(error.message).toContain('0.85');
      for (const fix of ['REDIS_AUTH', 'REDIS_ACL_USERNAME', 'REDIS_ACL_PASSWORD', 'createForEnvironment()']) expect(error.message).toContain(fix);
      expect(error.context).toEqual({
        environment,
        confidence: 0.85,
        validation_type: 'mandatory_authentication',
        security_requirement: 'authentication_required',
      });
    }
    expect(() => config('testing', { useTls: false }).validateMandatorySecurityRequirements()).not.toThrow();
  });

  it('TLS is mandatory in production and staging', async () => {
    for (const environment of ['production', 'staging'] as const) {
      const error = await mandatoryFailure(environment, { redisAuth: 'pw', useTls: false });
      expect(error.code).toBe('MANDATORY_TLS');
      expect(error.message).toMatch(/^SECURITY ERROR/);
      expect(error.message).toContain('REDIS_TLS_ENABLED=true');
      expect(error.context).toMatchObject({ environment, validation_type: 'mandatory_tls', security_requirement: 'tls_encryption_required' });
    }
    expect(() => config('development', { redisAuth: 'pw', useTls: false }).validateMandatorySecurityRequirements()).not.toThrow();
    expect(() => config('unknown', { redisAuth: 'pw', useTls: false }).validateMandatorySecurityRequirements()).not.toThrow();
  });

  it('certificate verification is mandatory in production only', async () => {
    const error = await mandatoryFailure('production', { redisAuth: 'pw', verifyCertificates: false });
    expect(error.code).toBe('MANDATORY_CERT_VERIFICATION');
    expect(error.context).toMatchObject({
      validation_type: 'mandatory_cert_verification',
      security_requirement: 'certificate_verification_required',
    });
    expect(() => config('staging', { redisAuth: 'pw', verifyCertificates: false }).validateMandatorySecurityRequirements()).not.toThrow();
  });

  it('success logs one info line naming the environment', () => {
    const logger = captureLogger();
    config('production', { aclUsername: 'u', aclPassword: 'p' }, logger).validateMandatorySecurityRequirements();
    expect(logger.messages('info')).toEqual([expect.stringContaining('production')]);
  });
});

describe('validateMandatorySecurity: secure URL rule', () => {
  function manager(environment: Environment, options: SecurityConfigOptions = { redisAuth: 'pw' }) {
    const config = new SecurityConfig(options, { env: {}, logger: silentLogger, resolveEnvironment: resolverFor(environment) });
    let connectorCalls = 0;
    const m = new RedisCacheSecurityManager(config, {
      connector: async () => {
        connectorCalls += 1;
        throw new Error('injected fault: no connection expected in this test');
      },
    });
    return { m, calls: () => connectorCalls };
  }

  it.each(['production', 'staging'] as const)('%s accepts rediss:// and redis://user:pw@host', (environment) => {
    const { m } = manager(environment);
    expect(() => m.validateMandatorySecurity('rediss://cache.internal:6380')).not.toThrow();
    expect(() => m.validateMandatorySecurity('redis://app:pw@cache.internal:6379')).not.toThrow();
  });

  it.each(['production', 'staging'] as const)('%s refuses plain, empty and foreign URLs, masking all but the scheme', async (environment) => {
    const { m } = manager(environment);
    const plain = await caught(() => m.validateMandatorySecurity('redis://cache.internal:6379/0'));
    expect(plain).toMatchObject({
      code: 'INSECURE_REDIS_URL',
      context: {
        redis_url_scheme: 'redis',
        environment,
        confidence: 0.95,
        validation_type: 'mandatory_secure_url',
        security_requirement: 'secure_connection_url',
      },
    });
    const message = (plain as Error).message;
    expect(message).toContain('redis://***');
    expect(message).not.toContain('cache.internal');
    expect(message).toContain('rediss://');
    expect(await caught(() => m.validateMandatorySecurity(''))).toMatchObject({ code: 'INSECURE_REDIS_URL' });
    expect(await caught(() => m.validateMandatorySecurity('http://cache.internal'))).toMatchObject({
      code: 'INSECURE_REDIS_URL',
      context: { redis_url_scheme: 'http' },
    });
  });

  it.each(['development', 'testing'] as const)('%s accepts any URL', (environment) => {
    const { m } = manager(environment);
    expect(() => m.validateMandatorySecurity('redis://localhost:6379')).not.toThrow();
    expect(() => m.validateMandatorySecurity('')).not.toThrow();
  });

  it('success logs one info line per check, the last naming the environment', () => {
    const logger = captureLogger();
    const config = new SecurityConfig({ redisAuth: 'pw' }, { env: {}, logger: silentLogger, resolveEnvironment: resolverFor('staging') });
    new RedisCacheSecurityManager(config, { logger }).validateMandatorySecurity('rediss://cache.internal:6380');
    const info = logger.messages('info');
    expect(info.at(-1)).toMatch(/connection security validated for the staging environment/);
    expect(info.filter((line) => line.includes('staging'))).toHaveLength(2);
    expect(JSON.stringify(logger.entries)).not.toContain('cache.internal');
  });

  it('runs the config rules first', async () => {
    const { m } = manager('production', { useTls: false });
    expect(await caught(() => m.validateMandatorySecurity('rediss://h:1'))).toMatchObject({ code: 'MANDATORY_AUTHENTICATION' });
  });

  it('createSecureConnectionWithValidation refuses before any connection attempt', async () => {
    const { m, calls } = manager('production');
    await expect(m.createSecureConnectionWithValidation('redis://cache.internal:6379')).rejects.toMatchObject({ code: 'INSECURE_REDIS_URL' });
    expect(calls()).toBe(0);
  });

  it('a non-string URL is a ValidationError', async () => {
    const { m } = manager('development');
    expect(await caught(() => m.validateMandatorySecurity(42 as never))).toMatchObject({ name: 'ValidationError', code: 'INVALID_URL' });
  });
});
