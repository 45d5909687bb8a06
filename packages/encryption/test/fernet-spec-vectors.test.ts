import { describe, expect, it } from 'vitest';
import { EncryptedCacheLayer, Fernet, InvalidTokenError } from '../src/index.js';
import { recordingLogger } from './recording-logger.js';
import { loadFernetVectors, unixSeconds, type GenerateCase, type InvalidCase, type VerifyCase } from './fernet-fixtures.js';

const generate = loadFernetVectors<GenerateCase>('generate');
const verify = loadFernetVectors<VerifyCase>('verify');
const invalid = loadFernetVectors<InvalidCase>('invalid');

describe('official Fernet spec vectors (test/fixtures/fernet)', () => {
  it('the files hold 1 generate, 1 verify and 8 invalid cases', () => {
    expect([generate.length, verify.length, invalid.length]).toEqual([1, 1, 8]);
  });

  it.each(generate)('generate: encrypting $src at $now with the given IV yields exactly the spec token', (c) => {
    const token = new Fernet(c.secret).encrypt(c.src, { currentTime: unixSeconds(c.now), iv: Uint8Array.from(c.iv) });
    expect(token.toString('ascii')).toBe(c.token);
  });

  it.each(verify)('verify: the spec token decrypts to $src at $now with ttl $ttl_sec', (c) => {
    const plaintext = new Fernet(c.secret).decrypt(c.token, { ttl: c.ttl_sec, currentTime: unixSeconds(c.now) });
    expect(plaintext.toString('utf8')).toBe(c.src);
  });

  it.each(invalid)('invalid: "$desc" is rejected with InvalidTokenError', (c) => {
    const fernet = new Fernet(c.secret);
    const attempt = () => fernet.decrypt(c.token, { ttl: c.ttl_sec, currentTime: unixSeconds(c.now) });
    expect(attempt).toThrow(InvalidTokenError);
    expect(attempt).toThrow(expect.objectContaining({ name: 'InvalidTokenError', code: 'INVALID_TOKEN', message: 'Invalid Fernet token' }));
  });
});

describe('tokens written out literally: the spec generate vector and one made by Python cryptography', () => {
  const key = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=';
  const iv = Uint8Array.from({ length: 16 }, (_, i) => i);

  it("encrypt('hello', time 499162800, IV 0..15) equals the spec token byte for byte", () => {
    const token = new Fernet(key).encrypt('hello', { currentTime: 499162800, iv });
    expect(token.toString('ascii')).toBe(
      'gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==',
    );
  });

  it('the Python-produced JSON token decrypts (Fernet and layer) to the given object', () => {
    const pythonToken =
      'gAAAAABlU_EAAAECAwQFBgcICQoLDA0OD28vKoE--9o5qD8d-B2UkfJJWv4ztbdvj9YSeNmVIWmpBXqgZPV6Rm1oJQb3I0STAWN-B-Y9g7jCt4jLq5KCZXSFfKK3QtLaewvoMScCZ0qY';
    const fernet = new Fernet(key);
    expect(fernet.decrypt(pythonToken).toString('utf8')).toBe('{"a": 1, "b": [1.0, "é", null, true]}');
    expect(fernet.extractTimestamp(pythonToken)).toBe(1700000000);
    const layer = new EncryptedCacheLayer({ encryptionKey: key, logger: recordingLogger() });
    expect(layer.decryptCacheData(pythonToken)).toEqual({ a: 1, b: [1, 'é', null, true] });
    expect(layer.decryptCacheData(Buffer.from(pythonToken, 'ascii'))).toEqual({ a: 1, b: [1, 'é', null, true] });
  });
});
