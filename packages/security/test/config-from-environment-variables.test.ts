import { ConfigurationError, silentLogger } from '@cache/core';
import type { Environment } from '@cache/core';
import { describe, expect, it } from 'vitest';
import { createSecurityConfigFromEnv } from '../src/index.js';
import { captureLogger, caught, everyFileExists, noFileExists, resolverFor } from './support.js';

const quiet = { logger: silentLogger, fileExists: everyFileExists };

const FULL = {
  REDIS_AUTH: 'env-auth-password-42',
  REDIS_ACL_USERNAME: 'cache-app',
  REDIS_ACL_PASSWORD: 'env-acl-password-42',
  REDIS_USE_TLS: 'true',
  REDIS_TLS_CERT_PATH: '/certs/client.crt',
  REDIS_TLS_KEY_PATH: '/certs/client.key',
  REDIS_TLS_CA_PATH: '/certs/ca.crt',
  REDIS_VERIFY_CERTIFICATES: 'true',
  REDIS_CONNECTION_TIMEOUT: '45',
  REDIS_MAX_RETRIES: '5',
  REDIS_RETRY_DELAY: '2.0',
};

describe('createSecurityConfigFromEnv with REDIS_* variables', () => {
  it('the full variable set gives a HIGH config with 45 s / 5 retries / 2.0 s (socket timeout not read)', () => {
    const config = createSecurityConfigFromEnv(FULL, quiet);
    expect(config.securityLevel).toBe('HIGH');
    expect(config).toMatchObject({
      redisAuth: FULL.REDIS_AUTH,
      aclUsername: 'cache-app',
      aclPassword: FULL.REDIS_ACL_PASSWORD,
      useTls: true,
      verifyCertificates: true,
      tlsCertPath: '/certs/client.crt',
      tlsKeyPath: '/certs/client.key',
      tlsCaPath: '/certs/ca.crt',
      connectionTimeout: 45,
      socketTimeout: 30,
      maxRetries: 5,
      retryDelay: 2.0,
    });
  });

  it('one variable is enough; TLS and verification default on, numbers to 30/3/1.0', () => {
    expect(createSecurityConfigFromEnv({ REDIS_AUTH: 'pw-from-env' }, quiet)).toMatchObject({
      redisAuth: 'pw-from-env',
      useTls: true,
      verifyCertificates: true,
      connectionTimeout: 30,
      maxRetries: 3,
      retryDelay: 1.0,
    });
    expect(createSecurityConfigFromEnv({ REDIS_TLS_ENABLED: 'true' }, quiet).redisAuth).toBeNull();
  });

  it('REDIS_TLS_ENABLED=false turns TLS off', () => {
    expect(createSecurityConfigFromEnv({ REDIS_AUTH: 'pw', REDIS_TLS_ENABLED: 'false' }, quiet).useTls).toBe(false);
  });

  it.each(['TRUE', 'True', ' yes ', '1', 'on'])('boolean %j reads as true', (raw) => {
    expect(createSecurityConfigFromEnv({ REDIS_TLS_ENABLED: raw, REDIS_VERIFY_CERTIFICATES: raw }, quiet)).toMatchObject({
      useTls: true,
      verifyCertificates: true,
    });
  });

  it.each(['FALSE', 'False', '0', 'no', 'OFF'])('boolean %j reads as false', (raw) => {
    expect(createSecurityConfigFromEnv({ REDIS_TLS_ENABLED: 'true', REDIS_VERIFY_CERTIFICATES: raw }, quiet).verifyCertificates).toBe(false);
  });

  it('REDIS_USE_TLS takes precedence over REDIS_TLS_ENABLED', () => {
    expect(createSecurityConfigFromEnv({ REDIS_USE_TLS: 'false', REDIS_TLS_ENABLED: 'true' }, quiet).useTls).toBe(false);
    expect(createSecurityConfigFromEnv({ REDIS_USE_TLS: 'true', REDIS_TLS_ENABLED: 'false' }, quiet).useTls).toBe(true);
  });

  it.each([
    ['REDIS_TLS_ENABLED', 'maybe'],
    ['REDIS_USE_TLS', 'disabled'],
    ['REDIS_VERIFY_CERTIFICATES', 'nope'],
  ])('a non-boolean %s=%j is INVALID_ENV_VALUE, never a silent false', async (variable, value) => {
    const error = await caught(() => createSecurityConfigFromEnv({ REDIS_AUTH: 'pw', [variable]: value }, quiet));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'INVALID_ENV_VALUE', context: { variable, value } });
    expect((error as Error).message).toContain(variable);
    expect((error as Error).message).toMatch(/true\/false/);
    expect((error as Error).cause).toMatchObject({ code: 'INVALID_ENV_BOOLEAN' });
  });

  it.each([
    ['REDIS_CONNECTION_TIMEOUT', 'abc'],
    ['REDIS_CONNECTION_TIMEOUT', '4.5'],
    ['REDIS_CONNECTION_TIMEOUT', '30s'],
    ['REDIS_MAX_RETRIES', 'three'],
    ['REDIS_MAX_RETRIES', '1e3'],
    ['REDIS_RETRY_DELAY', '1s'],
    ['REDIS_RETRY_DELAY', '1.2.3'],
  ])('an unparsable number %s=%j is INVALID_ENV_VALUE naming the variable', async (variable, value) => {
    const error = await caught(() => createSecurityConfigFromEnv({ [variable]: value }, quiet));
    expect(error).toMatchObject({ name: 'ConfigurationError', code: 'INVALID_ENV_VALUE', context: { variable, value } });
    expect((error as Error).message).toContain(`Fix: correct or unset ${variable}`);
  });

  it.each([
    ['REDIS_CONNECTION_TIMEOUT', '0'],
    ['REDIS_CONNECTION_TIMEOUT', '-5'],
    ['REDIS_CONNECTION_TIMEOUT', '86401'],
    ['REDIS_MAX_RETRIES', '-2'],
    ['REDIS_RETRY_DELAY', '-0.5'],
  ])('an out-of-range number %s=%j is INVALID_ENV_VALUE naming the variable and the accepted range', async (variable, value) => {
    const error = await caught(() => createSecurityConfigFromEnv({ [variable]: value }, quiet));
    expect(error).toMatchObject({ name: 'ConfigurationError', code: 'INVALID_ENV_VALUE', context: { variable, value } });
    expect((error as Error).message).toMatch(new RegExp(`^Environment variable ${variable} must be .*(from 1 to 86400|0 or more)`));
    expect((error as Error).message).toContain(`Fix: correct or unset ${variable}`);
  });

  it('accepts the boundaries of each numeric variable', () => {
    expect(createSecurityConfigFromEnv({ REDIS_CONNECTION_TIMEOUT: '86400', REDIS_MAX_RETRIES: '0', REDIS_RETRY_DELAY: '0' }, quiet)).toMatchObject({
      connectionTimeout: 86_400,
      maxRetries: 0,
      retryDelay: 0,
    });
    expect(createSecurityConfigFromEnv({ REDIS_RETRY_DELAY: '.5' }, quiet).retryDelay).toBe(0.5);
  });
});

describe('createSecurityConfigFromEnv is strict on every path', () => {
  const environments: Environment[] = ['production', 'staging', 'development', 'testing', 'unknown'];

  it('without variables: TLS and certificate verification on, no credentials and no certificate paths, whatever the environment', () => {
    for (const environment of environments) {
      const logger = captureLogger();
      const config = createSecurityConfigFromEnv({}, { logger, fileExists: noFileExists, resolveEnvironment: resolverFor(environment) });
      expect(config).toMatchObject({
        useTls: true,
        verifyCertificates: true,
        tlsCertPath: null,
        tlsKeyPath: null,
        tlsCaPath: null,
        redisAuth: null,
        aclUsername: null,
        aclPassword: null,
        connectionTimeout: 30,
        maxRetries: 3,
        retryDelay: 1.0,
      });
      expect(logger.messages('warn')).toEqual([]);
    }
  });

  it('NODE_ENV never relaxes verification: unset, development or test give the same strict config', () => {
    for (const env of [{}, { NODE_ENV: 'development' }, { NODE_ENV: 'test' }, { ENVIRONMENT: 'testing' }]) {
      expect(createSecurityConfigFromEnv(env, quiet)).toMatchObject({ useTls: true, verifyCertificates: true });
    }
  });

  it('REDIS_TLS_CA_PATH alone is honoured (and no other path is added)', () => {
    expect(createSecurityConfigFromEnv({ REDIS_TLS_CA_PATH: '/certs/ca.crt' }, quiet)).toMatchObject({
      tlsCaPath: '/certs/ca.crt',
      tlsCertPath: null,
      tlsKeyPath: null,
      verifyCertificates: true,
    });
  });

  it('never generates a password, in any environment', () => {
    for (const environment of environments) {
      const config = createSecurityConfigFromEnv({}, { ...quiet, resolveEnvironment: resolverFor(environment) });
      expect(config.redisAuth).toBeNull();
      expect(config.aclPassword).toBeNull();
      expect(config.hasAuthentication).toBe(false);
    }
  });
});
