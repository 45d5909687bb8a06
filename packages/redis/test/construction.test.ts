import { detectEnvironment, silentLogger } from '@cache/core';
import { EncryptedCacheLayer, generateFernetKey } from '@cache/encryption';
import { SecurityConfig } from '@cache/security';
import { describe, expect, it } from 'vitest';
import { GenericRedisCache, type GenericRedisCacheOptions } from '../src/index.js';
import { newEncryption, recordingLogger, securityFor, testEnv } from './helpers.js';

const base = (): GenericRedisCacheOptions => ({
  redisUrl: 'redis://127.0.0.1:1',
  securityConfig: securityFor(),
  encryption: newEncryption(),
  env: testEnv,
  logger: silentLogger,
});
const build = (overrides: Record<string, unknown>) => () => new GenericRedisCache({ ...base(), ...overrides } as GenericRedisCacheOptions);

describe('construction (R1–R4)', () => {
  it('defaults, no network I/O: state idle, readable fields, credentials masked', () => {
    const cache = new GenericRedisCache({ ...base(), redisUrl: 'redis://user:secret-pw@127.0.0.1:1' });
    expect(cache.connectionState).toBe('idle');
    expect(cache.redisUrl).not.toContain('secret-pw');
    expect([cache.defaultTtl, cache.l1CacheSize, cache.compressionThreshold, cache.compressionLevel, cache.keyPrefix, cache.enableL1Cache]).toEqual([
      3600, 100, 1000, 6, '', true,
    ]);
    expect(cache.getStats().l1).toEqual({ enabled: true, size: 0, maxSize: 100 });
  });

  it.each([
    ['defaultTtl', 0, 'defaultTtl must be an integer between 1 and 31536000 seconds (got 0)'],
    ['defaultTtl', 31_536_001, 'defaultTtl must be an integer between 1 and 31536000 seconds'],
    ['l1CacheSize', 10_001, 'l1CacheSize must be an integer between 0 and 10000'],
    ['compressionLevel', 0, 'compressionLevel must be an integer between 1 and 9'],
    ['compressionLevel', 10, 'compressionLevel must be an integer between 1 and 9'],
    ['compressionThreshold', -1, 'compressionThreshold must be an integer between 0 and 1048576'],
    ['l1MaxTtl', 86_401, 'l1MaxTtl must be an integer between 1 and 86400'],
    ['connectTimeoutMs', 0, 'connectTimeoutMs must be a positive integer'],
    ['commandTimeoutMs', 1.5, 'commandTimeoutMs must be a positive integer'],
    ['scanCount', 100_001, 'scanCount must be an integer between 1 and 100000'],
    ['redisUrl', 'http://host', 'redisUrl scheme must be redis://, rediss:// or unix://'],
    ['redisUrl', 'redis://:pw@', 'redisUrl must be a redis://, rediss:// or unix:// URL'],
    ['redisUrl', 'redis://127.0.0.1:0', 'redisUrl port must be between 1 and 65535'],
    ['defualtTtl', 5, 'defualtTtl is not a known GenericRedisCache option'],
  ])('%s = %j → ConfigurationError INVALID_CONFIGURATION naming the option', (option, value, message) => {
    expect(build({ [option]: value })).toThrow(expect.objectContaining({ name: 'ConfigurationError', code: 'INVALID_CONFIGURATION', message: expect.stringContaining(message) }));
  });

  it('bounds are inclusive; checks run in the documented order; exactly one target', () => {
    expect(build({ compressionLevel: 1, l1CacheSize: 0, defaultTtl: 31_536_000, l1MaxTtl: 86_400, compressionThreshold: 0 })).not.toThrow();
    expect(build({ compressionLevel: 9, l1CacheSize: 10_000, defaultTtl: 1, l1MaxTtl: 1 })).not.toThrow();
    expect(build({ defaultTtl: 0, l1CacheSize: -1 })).toThrow(/defaultTtl/);
    expect(build({ compressionLevel: 0, compressionThreshold: -1 })).toThrow(/compressionLevel/);
    expect(build({ redisUrl: undefined })).toThrow(/exactly one of redisUrl, cluster, sentinel or client/);
    expect(build({ cluster: { nodes: ['127.0.0.1:1'] } })).toThrow(/exactly one of redisUrl, cluster, sentinel or client must be given \(got redisUrl and cluster\)/);
    expect(build({ redisUrl: 'unix:///tmp/redis.sock' })).not.toThrow();
  });

  it('a rejected redisUrl never shows its password in the error', () => {
    for (const redisUrl of ['http://user:top-secret-pw@host:6379', 'redis://:top-secret-pw@127.0.0.1:70000', 'redis://:top-secret-pw@']) {
      let caught: unknown;
      try {
        new GenericRedisCache({ ...base(), redisUrl });
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ name: 'ConfigurationError', code: 'INVALID_CONFIGURATION' });
      expect(JSON.stringify({ message: (caught as Error).message, context: (caught as { context?: unknown }).context })).not.toContain('top-secret-pw');
    }
  });

  it("a keyPrefix must end with ':' — the error says why (\"app\" would alias \"app2\") and what to use", () => {
    expect(build({ keyPrefix: 'app' })).toThrow(
      expect.objectContaining({
        name: 'ConfigurationError',
        code: 'INVALID_CONFIGURATION',
        message: expect.stringMatching(/^keyPrefix must end with ':' so that no prefix is the start of another \("app" would also read and clear the keys of "app2"\); use "app:" \(got "app"\)$/),
      }),
    );
    for (const keyPrefix of ['app:', '', '{tenant}:', 'app:sub:']) expect(build({ keyPrefix })).not.toThrow();
  });

  it('name defaults to the kind and is reported; an empty name is refused', () => {
    expect(new GenericRedisCache(base()).name).toBe('redis');
    const named = new GenericRedisCache({ ...base(), name: 'sessions' });
    expect(named.name).toBe('sessions');
    expect(named.getStats().name).toBe('sessions');
    expect(build({ name: ' ' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION', message: expect.stringContaining('name must be a non-empty string') }));
  });

  it('l1CacheSize 0 or enableL1Cache false means no L1', () => {
    expect(new GenericRedisCache({ ...base(), l1CacheSize: 0 }).getStats().l1.enabled).toBe(false);
    expect(new GenericRedisCache({ ...base(), enableL1Cache: false }).getStats().l1.enabled).toBe(false);
  });

  it('production: a redis:// URL without authentication is refused at construction', () => {
    const prod = { NODE_ENV: 'production' };
    const resolver = (context?: Parameters<typeof detectEnvironment>[1]) => detectEnvironment(prod, context);
    const securityConfig = new SecurityConfig({ useTls: true }, { env: prod, logger: silentLogger, resolveEnvironment: resolver, fileExists: () => true });
    expect(() => new GenericRedisCache({ ...base(), env: prod, securityConfig })).toThrow(expect.objectContaining({ name: 'ConfigurationError' }));
    expect(() => new GenericRedisCache({ redisUrl: 'redis://10.0.0.1:6379', env: prod, logger: silentLogger, encryption: newEncryption() })).toThrow(
      expect.objectContaining({ name: 'ConfigurationError' }),
    );
  });

  it('encryption is mandatory: no key and no opt-out, or a disabled layer, → ENCRYPTION_KEY_REQUIRED', () => {
    expect(build({ encryption: undefined })).toThrow(expect.objectContaining({ code: 'ENCRYPTION_KEY_REQUIRED' }));
    const disabled = new EncryptedCacheLayer({ encryptionKey: null, logger: silentLogger });
    expect(build({ encryption: disabled })).toThrow(expect.objectContaining({ code: 'ENCRYPTION_KEY_REQUIRED' }));
  });

  it('encryption from REDIS_ENCRYPTION_KEY or the security config key; explicit opt-out warns and reports valuesEncrypted false', () => {
    const fromEnv = new GenericRedisCache({ ...base(), encryption: undefined, env: { ...testEnv, REDIS_ENCRYPTION_KEY: generateFernetKey() } });
    expect(fromEnv.getSecurityStatus().valuesEncrypted).toBe(true);
    const keyed = new SecurityConfig({ useTls: false, encryptionKey: generateFernetKey() }, { env: testEnv, logger: silentLogger });
    expect(new GenericRedisCache({ ...base(), encryption: undefined, securityConfig: keyed }).getSecurityStatus().valuesEncrypted).toBe(true);
    const logger = recordingLogger();
    const optOut = new GenericRedisCache({ ...base(), encryption: undefined, allowUnencrypted: true, logger });
    expect(optOut.getSecurityStatus().valuesEncrypted).toBe(false);
    expect(logger.warnings.some((w) => w.includes('WITHOUT encryption'))).toBe(true);
  });

  it('the security manager knows when values are encrypted by a given layer: no "encrypt cached values" recommendation, and it says so when they are not', () => {
    const encrypted = new GenericRedisCache({ ...base(), encryption: EncryptedCacheLayer.createWithGeneratedKey({ logger: silentLogger }) });
    expect(encrypted.getSecurityRecommendations().some((r) => r.startsWith('Encrypt cached values'))).toBe(false);
    const optOut = new GenericRedisCache({ ...base(), encryption: undefined, allowUnencrypted: true });
    expect(optOut.getSecurityRecommendations().some((r) => r.startsWith('Encrypt cached values'))).toBe(true);
  });

  it('createSecure uses REDIS_URL from env, else rediss://localhost:6380', () => {
    const env = { ...testEnv, REDIS_ENCRYPTION_KEY: generateFernetKey() };
    expect(GenericRedisCache.createSecure({ env, logger: silentLogger }).redisUrl).toBe('rediss://localhost:6380');
    expect(GenericRedisCache.createSecure({ env: { ...env, REDIS_URL: 'redis://127.0.0.1:7000' }, logger: silentLogger }).redisUrl).toBe(
      'redis://127.0.0.1:7000',
    );
  });
});
