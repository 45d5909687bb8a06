import { describe, expect, it } from 'vitest';
import { cacheValidator, customOverridesSchema } from '../src/index.js';

const KEYS = [
  'compressionLevel', 'compressionThreshold', 'connectionTimeout', 'defaultTtl', 'enableAiCache', 'enableMonitoring',
  'enableSmartPromotion', 'hashAlgorithm', 'logLevel', 'maxConnections', 'maxTextLength', 'memoryCacheSize', 'operationTtls',
  'redisPassword', 'redisUrl', 'textHashThreshold', 'textSizeTiers', 'tlsCertPath', 'tlsKeyPath', 'useTls',
];

describe('validateCustomOverrides (V6)', () => {
  it('validationType is custom_overrides; a valid set has no messages', () => {
    const r = cacheValidator.validateCustomOverrides({ maxConnections: 5, useTls: true, logLevel: 'DEBUG', operationTtls: { qa: 60 }, defaultTtl: '5m' });
    expect(r.validationType).toBe('custom_overrides');
    expect(r.messages).toEqual([]);
  });

  it('recognises exactly the 20 keys', () => {
    expect(Object.keys(customOverridesSchema.shape).sort()).toEqual(KEYS);
  });

  it('unknown key → warning with the sorted valid keys, still valid', () => {
    const r = cacheValidator.validateCustomOverrides({ colour: 'blue' });
    expect(r.isValid).toBe(true);
    expect(r.warnings).toEqual(["Unknown override key 'colour' - will be ignored"]);
    expect(r.messages[0]?.context['valid_keys']).toEqual(KEYS);
  });

  it.each(KEYS.map((k) => [k, k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)]))('%s accepts its snake_case alias %s', (_camel, snake) => {
    const r = cacheValidator.validateCustomOverrides({ [snake]: Symbol('wrong type') });
    expect(r.warnings).toEqual([]);
    expect(r.errors).toHaveLength(1);
  });

  it.each([
    ['useTls', 1, "Override 'useTls' expects boolean, got integer"],
    ['enableAiCache', 'yes', "Override 'enableAiCache' expects boolean, got string"],
    ['maxConnections', true, "Override 'maxConnections' expects integer, got boolean"],
    ['maxConnections', 1.5, "Override 'maxConnections' expects integer, got number"],
    ['compressionLevel', '6', "Override 'compressionLevel' expects integer, got string"],
    ['redisUrl', 6379, "Override 'redisUrl' expects string, got integer"],
    ['logLevel', ['INFO'], "Override 'logLevel' expects string, got array"],
    ['operationTtls', 'x', "Override 'operationTtls' expects object, got string"],
    ['textSizeTiers', { small: 'big' }, "Override 'textSizeTiers.small' expects integer, got string"],
    ['defaultTtl', 'soon', "Override 'defaultTtl' expects integer (seconds) or a duration string such as '10m', got invalid duration \"soon\""],
    ['defaultTtl', false, "Override 'defaultTtl' expects integer (seconds) or a duration string such as '10m', got boolean"],
  ])('%s = %o → %s', (key, value, message) => {
    const r = cacheValidator.validateCustomOverrides({ [key]: value });
    expect(r.isValid).toBe(false);
    expect(r.errors).toEqual([message]);
  });

  it('a wrong-typed password is reported without its value', () => {
    const r = cacheValidator.validateCustomOverrides({ redisPassword: 123456 });
    expect(r.errors).toEqual(["Override 'redisPassword' expects string, got integer"]);
    expect(JSON.stringify(r.messages)).not.toContain('123456');
  });

  it('nullable string keys accept null; ranges are not checked here', () => {
    expect(cacheValidator.validateCustomOverrides({ redisUrl: null, tlsCertPath: null, maxConnections: 100000, logLevel: 'LOUD' }).messages).toEqual([]);
  });

  it('a non-object → error', () => {
    expect(cacheValidator.validateCustomOverrides([1]).errors).toEqual([expect.stringContaining('must be a JSON object')]);
  });
});
