import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EncryptedCacheLayer, Fernet, InvalidTokenError, generateFernetKey } from '../src/index.js';
import { recordingLogger } from './recording-logger.js';
import { thrown } from './thrown.js';

const fernet = new Fernet(generateFernetKey());
const PAD = ['', '==', '='] as const;
/** The padded URL-safe base64 text of raw token bytes (what Python's `urlsafe_b64encode` gives). */
const asText = (raw: Buffer): string => raw.toString('base64url') + PAD[raw.length % 3];

function rejectsRaw(raw: Uint8Array): boolean {
  try {
    fernet.decryptRaw(raw);
    return false;
  } catch (e) {
    return e instanceof InvalidTokenError;
  }
}

describe('raw (binary) Fernet tokens: encryptRaw / decryptRaw', () => {
  it('property: with the same time and IV, the base64 token is exactly the padded base64 of the raw token, and each form decrypts the other', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.nat({ max: 2 ** 40 }), (bytes, iv, time) => {
        const raw = fernet.encryptRaw(bytes, { currentTime: time, iv });
        const token = fernet.encrypt(bytes, { currentTime: time, iv });
        expect(token.toString('latin1')).toBe(asText(raw));
        expect(raw.equals(Buffer.from(token.toString('latin1'), 'base64url'))).toBe(true);
        expect(fernet.decryptRaw(raw).equals(Buffer.from(bytes))).toBe(true);
        expect(fernet.decryptRaw(Buffer.from(token.toString('latin1'), 'base64url')).equals(Buffer.from(bytes))).toBe(true);
        expect(fernet.decrypt(asText(raw)).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a raw token is 3/4 the size of its base64 form (rounded up to whole characters), and starts with the version byte 0x80', () => {
    for (const size of [0, 1, 15, 16, 1000]) {
      const raw = fernet.encryptRaw(new Uint8Array(size));
      expect(raw[0]).toBe(0x80);
      expect(raw.length).toBe(25 + (Math.floor(size / 16) + 1) * 16 + 32);
      expect(fernet.encrypt(new Uint8Array(size)).length).toBe(4 * Math.ceil(raw.length / 3));
    }
  });

  it('property: changing any one byte of a raw token is rejected with InvalidTokenError, and so is any truncation or extension', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, at, delta) => {
        const raw = fernet.encryptRaw(bytes);
        const changed = Buffer.from(raw);
        const i = at % raw.length;
        changed[i] = (changed[i] as number) ^ delta;
        expect(rejectsRaw(changed)).toBe(true);
        expect(rejectsRaw(raw.subarray(0, at % raw.length))).toBe(true);
        expect(rejectsRaw(Buffer.concat([raw, Buffer.alloc(1 + (at % 32))]))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('applies the TTL and clock-skew checks of decrypt', () => {
    const raw = fernet.encryptRaw('aged', { currentTime: 1_000_000 });
    expect(fernet.decryptRaw(raw, { ttl: 60, currentTime: 1_000_060 }).toString()).toBe('aged');
    expect(thrown(() => fernet.decryptRaw(raw, { ttl: 60, currentTime: 1_000_061 }))).toBeInstanceOf(InvalidTokenError);
    expect(thrown(() => fernet.decryptRaw(raw, { ttl: 60, currentTime: 999_939 }))).toBeInstanceOf(InvalidTokenError);
  });

  it('a base64 token given to decryptRaw, or a raw token given to decrypt, is rejected; a non-Uint8Array is INVALID_ARGUMENT', () => {
    const token = fernet.encrypt('x');
    expect(rejectsRaw(token)).toBe(true);
    expect(thrown(() => fernet.decrypt(fernet.encryptRaw('x')))).toBeInstanceOf(InvalidTokenError);
    expect(thrown(() => fernet.decryptRaw(token.toString('latin1') as unknown as Uint8Array))).toMatchObject({ name: 'ValidationError', code: 'INVALID_ARGUMENT' });
    expect(thrown(() => fernet.encryptRaw(42 as unknown as string))).toMatchObject({ name: 'ValidationError', code: 'INVALID_ARGUMENT' });
  });

  it('a raw token larger than the reused message buffer (> 64 KiB) round-trips and is still verified', () => {
    const big = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 131) & 0xff);
    const raw = fernet.encryptRaw(big);
    expect(fernet.decryptRaw(raw).equals(Buffer.from(big))).toBe(true);
    raw[raw.length - 40] = (raw[raw.length - 40] as number) ^ 1;
    expect(rejectsRaw(raw)).toBe(true);
  });
});

describe('EncryptedCacheLayer raw tokens: encryptBytesRaw / decryptBytesRaw', () => {
  const A = generateFernetKey();
  const B = generateFernetKey();

  it('round-trip; tokens of a previous key open after rotation; new ones use the primary key only', () => {
    const old = new EncryptedCacheLayer({ encryptionKey: A, logger: recordingLogger() });
    const rotated = new EncryptedCacheLayer({ encryptionKey: B, previousKeys: [A], logger: recordingLogger() });
    const fromOld = old.encryptBytesRaw(Buffer.from([1, 2, 3]));
    expect([...rotated.decryptBytesRaw(fromOld)]).toEqual([1, 2, 3]);
    const fromRotated = rotated.encryptBytesRaw(Buffer.from('new'));
    expect(new Fernet(B).decryptRaw(fromRotated).toString()).toBe('new');
    expect(thrown(() => old.decryptBytesRaw(fromRotated))).toMatchObject({ code: 'DECRYPTION_FAILURE', cause: expect.any(InvalidTokenError) });
  });

  it('never falls back to plaintext, even with allowPlaintextFallback; a non-Uint8Array is INVALID_ARGUMENT', () => {
    const layer = new EncryptedCacheLayer({ encryptionKey: A, allowPlaintextFallback: true, logger: recordingLogger() });
    expect(thrown(() => layer.decryptBytesRaw(Buffer.from('{"plain":true}')))).toMatchObject({ code: 'DECRYPTION_FAILURE' });
    expect(thrown(() => layer.decryptBytesRaw('token' as unknown as Uint8Array))).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(thrown(() => layer.encryptBytesRaw('plain' as unknown as Uint8Array))).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('counts in the performance statistics like encryptBytes / decryptBytes', () => {
    const layer = new EncryptedCacheLayer({ encryptionKey: A, logger: recordingLogger() });
    const raw = layer.encryptBytesRaw(Buffer.from('x'));
    layer.decryptBytesRaw(raw);
    layer.decryptBytesRaw(raw);
    expect(layer.getPerformanceStats()).toMatchObject({ encryptionOperations: 1, decryptionOperations: 2 });
  });

  it('a disabled layer returns copies of the input bytes', () => {
    const layer = new EncryptedCacheLayer({ encryptionKey: null, logger: recordingLogger() });
    const input = Buffer.from([7, 8, 9]);
    const sealed = layer.encryptBytesRaw(input);
    const opened = layer.decryptBytesRaw(sealed);
    expect([sealed.equals(input), opened.equals(input), sealed === input, opened === sealed]).toEqual([true, true, false, false]);
  });
});
