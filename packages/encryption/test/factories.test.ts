import { afterEach, describe, expect, it, vi } from 'vitest';
import { EncryptedCacheLayer, Fernet, createEncryptionLayerFromEnv, generateFernetKey } from '../src/index.js';
import { recordingLogger } from './recording-logger.js';
import { thrown } from './thrown.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('EncryptedCacheLayer.createWithGeneratedKey', () => {
  it('gives an enabled layer that round-trips, with a fresh key per call (cross-instance decrypt fails)', () => {
    const a = EncryptedCacheLayer.createWithGeneratedKey({ logger: recordingLogger() });
    const b = EncryptedCacheLayer.createWithGeneratedKey({ logger: recordingLogger() });
    expect(a.isEnabled && b.isEnabled).toBe(true);
    const token = a.encryptCacheData({ hello: 'world' });
    expect(a.decryptCacheData(token)).toEqual({ hello: 'world' });
    expect(() => b.decryptCacheData(token)).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILURE' }));
  });

  it('forwards options: performanceMonitoring false is honoured, the logger is used', () => {
    const logger = recordingLogger();
    const layer = EncryptedCacheLayer.createWithGeneratedKey({ performanceMonitoring: false, logger });
    expect(layer.performanceMonitoring).toBe(false);
    expect(layer.getPerformanceStats()).toEqual({ performanceMonitoring: false, error: 'Performance monitoring is disabled' });
    expect(logger.at('info')).toHaveLength(1);
    expect(EncryptedCacheLayer.createWithGeneratedKey().isEnabled).toBe(true);
  });
});

describe('createEncryptionLayerFromEnv', () => {
  it('REDIS_ENCRYPTION_KEY set → an enabled layer using that key', () => {
    const key = generateFernetKey();
    const layer = createEncryptionLayerFromEnv({ env: { REDIS_ENCRYPTION_KEY: key }, logger: recordingLogger() });
    expect(layer.isEnabled).toBe(true);
    expect(new Fernet(key).decrypt(layer.encryptBytes(Buffer.from('x'))).toString()).toBe('x');
  });

  it('reads process.env by default', () => {
    const key = generateFernetKey();
    vi.stubEnv('REDIS_ENCRYPTION_KEY', key);
    const layer = createEncryptionLayerFromEnv({ logger: recordingLogger() });
    expect(new Fernet(key).decrypt(layer.encryptBytes(Buffer.from('y'))).toString()).toBe('y');
  });

  it('REDIS_ENCRYPTION_PREVIOUS_KEYS (comma-separated) become decrypt-only previous keys', () => {
    const [primary, old1, old2] = [generateFernetKey(), generateFernetKey(), generateFernetKey()];
    const layer = createEncryptionLayerFromEnv({
      env: { REDIS_ENCRYPTION_KEY: primary, REDIS_ENCRYPTION_PREVIOUS_KEYS: ` ${old1}, ${old2} ,` },
      logger: recordingLogger(),
    });
    expect(layer.decryptCacheData(new Fernet(old1).encrypt('1'))).toBe(1);
    expect(layer.decryptCacheData(new Fernet(old2).encrypt('2'))).toBe(2);
    expect(() => new Fernet(old1).decrypt(layer.encryptCacheData(3))).toThrow();
  });

  it('an invalid key throws INVALID_ENCRYPTION_KEY without echoing it', () => {
    const error = thrown(() => createEncryptionLayerFromEnv({ env: { REDIS_ENCRYPTION_KEY: 'not-a-valid-key' }, logger: recordingLogger() }));
    expect(error).toMatchObject({ name: 'ConfigurationError', code: 'INVALID_ENCRYPTION_KEY' });
    expect(error.message).not.toContain('not-a-valid-key');
  });

  it.each([[{}], [{ REDIS_ENCRYPTION_KEY: '' }], [{ REDIS_ENCRYPTION_KEY: '   ' }]])('missing/empty key %o → ENCRYPTION_KEY_REQUIRED naming REDIS_ENCRYPTION_KEY', (env) => {
    const error = thrown(() => createEncryptionLayerFromEnv({ env, logger: recordingLogger() }));
    expect(error).toMatchObject({ name: 'ConfigurationError', code: 'ENCRYPTION_KEY_REQUIRED' });
    expect(error.message).toContain('REDIS_ENCRYPTION_KEY');
  });

  it('missing key with allowUnencrypted → a disabled layer, the env warning plus the SECURITY WARNING', () => {
    const logger = recordingLogger();
    const layer = createEncryptionLayerFromEnv({ env: {}, allowUnencrypted: true, logger });
    expect(layer.isEnabled).toBe(false);
    const warnings = logger.at('warn').map((l) => l.message);
    expect(warnings).toHaveLength(2);
    expect(warnings).toContainEqual(expect.stringMatching(/SECURITY WARNING/));
    expect(warnings).toContainEqual(expect.stringMatching(/REDIS_ENCRYPTION_KEY is not set.*not be encrypted/i));
    expect(JSON.parse(layer.encryptCacheData({ a: 1 }).toString())).toEqual({ a: 1 });
  });

  it.each([
    ['options null', null],
    ['env null', { env: null }],
    ['env a string', { env: 'REDIS_ENCRYPTION_KEY=x' }],
    ['a non-string REDIS_ENCRYPTION_KEY', { env: { REDIS_ENCRYPTION_KEY: 42 } }],
    ['previousKeys not an array next to the env key', { env: { REDIS_ENCRYPTION_KEY: generateFernetKey() }, previousKeys: 'k' }],
  ])('bad input (%s) → ConfigurationError INVALID_CONFIGURATION', (_what, opts) => {
    const error = thrown(() => createEncryptionLayerFromEnv(opts as unknown as Parameters<typeof createEncryptionLayerFromEnv>[0]));
    expect(error).toMatchObject({ name: 'ConfigurationError', code: 'INVALID_CONFIGURATION' });
  });

  it('previous keys without a primary key are refused even with allowUnencrypted (no silently dropped keys)', () => {
    const old = generateFernetKey();
    const logger = recordingLogger();
    const error = thrown(() =>
      createEncryptionLayerFromEnv({ env: { REDIS_ENCRYPTION_PREVIOUS_KEYS: old }, allowUnencrypted: true, logger }),
    );
    expect(error).toMatchObject({ name: 'ConfigurationError', code: 'INVALID_CONFIGURATION' });
    expect(error.message).toContain('REDIS_ENCRYPTION_PREVIOUS_KEYS');
    expect(error.message).not.toContain(old);
    expect(logger.lines).toHaveLength(0);
  });

  it('forwards layer options and validates its own', () => {
    const layer = createEncryptionLayerFromEnv({
      env: { REDIS_ENCRYPTION_KEY: generateFernetKey() },
      performanceMonitoring: false,
      logger: recordingLogger(),
    });
    expect(layer.performanceMonitoring).toBe(false);
    expect(thrown(() => createEncryptionLayerFromEnv({ env: {}, allowUnencrypted: 'yes' as unknown as boolean }))).toMatchObject({
      code: 'INVALID_CONFIGURATION',
    });
  });
});
