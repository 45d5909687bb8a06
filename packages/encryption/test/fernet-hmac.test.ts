import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Fernet, InvalidTokenError, generateFernetKey } from '../src/index.js';

// Fernet computes HMAC-SHA256 itself (two hashes over precomputed keyed pads, in a reused buffer
// that grows, or a one-off one past 64 KiB). These tests pin every token's MAC to node's createHmac,
// across the buffer's size classes and in any order of sizes on one instance.

function decoded(token: Buffer): Buffer {
  return Buffer.from(token.toString('latin1'), 'base64url');
}

describe('Fernet HMAC-SHA256', () => {
  it('every token carries createHmac(signing key, version ‖ timestamp ‖ IV ‖ ciphertext), whatever size came before', () => {
    const key = generateFernetKey();
    const signingKey = Buffer.from(key, 'base64url').subarray(0, 16);
    const fernet = new Fernet(key);
    const reader = new Fernet(key);
    // small (kept buffer), larger than it (grown), past 64 KiB (one-off), then small again, and so on
    const sizes = [0, 15, 1000, 3000, 70_000, 16, 200_000, 2048, 65_536, 1];
    for (const size of sizes) {
      const plaintext = randomBytes(size);
      const token = fernet.encrypt(plaintext);
      const raw = decoded(token);
      const signed = raw.subarray(0, raw.length - 32);
      expect(raw.subarray(raw.length - 32).equals(createHmac('sha256', signingKey).update(signed).digest())).toBe(true);
      expect(reader.decrypt(token).equals(plaintext)).toBe(true);
      expect(fernet.decrypt(token).equals(plaintext)).toBe(true);
    }
  });

  it('a large token with a changed MAC byte is refused, and the instance still opens small tokens after it', () => {
    const fernet = new Fernet(generateFernetKey());
    const raw = decoded(fernet.encrypt(randomBytes(100_000)));
    raw[raw.length - 1] = (raw[raw.length - 1] as number) ^ 0x80;
    const tampered = raw.toString('base64url') + ['', '==', '='][raw.length % 3];
    expect(() => fernet.decrypt(tampered)).toThrow(InvalidTokenError);
    expect(fernet.decrypt(fernet.encrypt('small')).toString()).toBe('small');
  });
});
