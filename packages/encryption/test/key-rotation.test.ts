import { describe, expect, it } from 'vitest';
import { EncryptedCacheLayer, Fernet, generateFernetKey } from '../src/index.js';
import { recordingLogger } from './recording-logger.js';
import { thrown } from './thrown.js';

describe('key rotation through previousKeys', () => {
  const A = generateFernetKey();
  const B = generateFernetKey();
  const C = generateFernetKey();

  it('tokens made under the old key A still decrypt with { encryptionKey: B, previousKeys: [A] }', () => {
    const old = new EncryptedCacheLayer({ encryptionKey: A, logger: recordingLogger() });
    const rotated = new EncryptedCacheLayer({ encryptionKey: B, previousKeys: [A], logger: recordingLogger() });
    const jsonToken = old.encryptCacheData({ v: 'old' });
    const byteToken = old.encryptBytes(Buffer.from([1, 2, 3]));
    expect(rotated.decryptCacheData(jsonToken)).toEqual({ v: 'old' });
    expect([...rotated.decryptBytes(byteToken)]).toEqual([1, 2, 3]);
    expect([...rotated.decryptBytes(byteToken.toString('ascii'))]).toEqual([1, 2, 3]);
  });

  it('new tokens always use the primary key B: they verify under B only, never under A', () => {
    const rotated = new EncryptedCacheLayer({ encryptionKey: B, previousKeys: [A], logger: recordingLogger() });
    for (const token of [rotated.encryptCacheData({ v: 'new' }), rotated.encryptBytes(Buffer.from('new'))]) {
      expect(() => new Fernet(B).decrypt(token)).not.toThrow();
      expect(() => new Fernet(A).decrypt(token)).toThrow(expect.objectContaining({ code: 'INVALID_TOKEN' }));
      expect(() => new EncryptedCacheLayer({ encryptionKey: A, logger: recordingLogger() }).decryptBytes(token)).toThrow(
        expect.objectContaining({ code: 'DECRYPTION_FAILURE' }),
      );
    }
  });

  it('previous keys are tried in order; every listed key opens its own tokens', () => {
    const layer = new EncryptedCacheLayer({ encryptionKey: C, previousKeys: [B, A], logger: recordingLogger() });
    for (const key of [A, B, C]) {
      expect(layer.decryptCacheData(new Fernet(key).encrypt('{"k":1}'))).toEqual({ k: 1 });
    }
  });

  it('encryptBytes/decryptBytes round-trip; a foreign token → DECRYPTION_FAILURE (cause InvalidTokenError), never plaintext', () => {
    const layer = new EncryptedCacheLayer({ encryptionKey: B, previousKeys: [A], allowPlaintextFallback: true, logger: recordingLogger() });
    const payload = Buffer.from([0, 255, 1, 254, 2]);
    expect(layer.decryptBytes(layer.encryptBytes(payload)).equals(payload)).toBe(true);
    const foreign = new Fernet(C).encrypt(payload);
    const error = thrown(() => layer.decryptBytes(foreign));
    expect(error).toMatchObject({ name: 'ConfigurationError', code: 'DECRYPTION_FAILURE', context: { data_size: foreign.length } });
    expect(error.cause).toMatchObject({ name: 'InvalidTokenError' });
    expect(thrown(() => layer.decryptBytes(Buffer.from('{"plain":true}'))).code).toBe('DECRYPTION_FAILURE');
  });

  it('byte-level and JSON-level calls share the statistics', () => {
    const layer = new EncryptedCacheLayer({ encryptionKey: B, previousKeys: [A], logger: recordingLogger() });
    layer.decryptBytes(layer.encryptBytes(Buffer.from('x')));
    layer.decryptCacheData(layer.encryptCacheData({ y: 1 }));
    layer.decryptBytes(new Fernet(A).encrypt('z'));
    expect(layer.getPerformanceStats()).toMatchObject({ encryptionOperations: 2, decryptionOperations: 3, totalOperations: 5 });
  });
});
