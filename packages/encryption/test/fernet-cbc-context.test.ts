import { createCipheriv, createDecipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fernet, generateFernetKey } from '../src/index.js';
import { loadFernetVectors, unixSeconds, type GenerateCase } from './fernet-fixtures.js';

// Fernet keeps one AES-CBC context per direction across calls (see src/fernet.ts). These tests pin
// that every token is still exactly the one-shot AES-128-CBC of its plaintext under its own IV,
// whatever the instance encrypted or decrypted before.

const [vector] = loadFernetVectors<GenerateCase>('generate');

/** Independent reference: a fresh createCipheriv per token, PKCS#7 by OpenSSL. */
function referenceCiphertext(key: string, iv: Buffer, plaintext: Uint8Array): Buffer {
  const aesKey = Buffer.from(key, 'base64url').subarray(16);
  const cipher = createCipheriv('aes-128-cbc', aesKey, iv);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]);
}

function parts(token: Buffer): { iv: Buffer; ciphertext: Buffer } {
  const raw = Buffer.from(token.toString('latin1'), 'base64');
  return { iv: raw.subarray(9, 25), ciphertext: raw.subarray(25, raw.length - 32) };
}

describe('Fernet AES-CBC contexts reused across calls', () => {
  it('the spec generate vector is still exact after the same instance made and opened other tokens', () => {
    const c = vector as GenerateCase;
    const fernet = new Fernet(c.secret);
    const options = { currentTime: unixSeconds(c.now), iv: Uint8Array.from(c.iv) };
    expect(fernet.encrypt(c.src, options).toString('latin1')).toBe(c.token);
    for (let i = 0; i < 5; i++) fernet.decrypt(fernet.encrypt(Buffer.alloc(100 + i, i)));
    expect(fernet.decrypt(c.token).toString()).toBe(c.src);
    expect(fernet.encrypt(c.src, options).toString('latin1')).toBe(c.token);
    expect(fernet.decrypt(c.token).toString()).toBe(c.src);
  });

  it('property: over an interleaved sequence, every ciphertext equals a one-shot AES-128-CBC under its IV, and tokens open in any order on any instance', () => {
    const key = generateFernetKey();
    const writer = new Fernet(key);
    const reader = new Fernet(key);
    const aesKey = Buffer.from(key, 'base64url').subarray(16);
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { minLength: 1, maxLength: 12 }), fc.nat(), (plaintexts, seed) => {
        const tokens = plaintexts.map((p) => writer.encrypt(p));
        tokens.forEach((token, i) => {
          const { iv, ciphertext } = parts(token);
          expect(ciphertext.equals(referenceCiphertext(key, iv, plaintexts[i] as Uint8Array))).toBe(true);
          // an independent one-shot decipher reads it too
          const decipher = createDecipheriv('aes-128-cbc', aesKey, iv);
          expect(Buffer.concat([decipher.update(ciphertext), decipher.final()]).equals(Buffer.from(plaintexts[i] as Uint8Array))).toBe(true);
        });
        // open them in a shuffled order, alternating instances, interleaved with new encryptions
        const order = tokens.map((_, i) => i).sort((a, b) => ((a * 7919 + seed) % 13) - ((b * 7919 + seed) % 13));
        for (const [n, i] of order.entries()) {
          const opener = n % 2 === 0 ? reader : writer;
          expect(opener.decrypt(tokens[i] as Buffer).equals(Buffer.from(plaintexts[i] as Uint8Array))).toBe(true);
          const extra = writer.encrypt(Buffer.from([n]));
          expect(reader.decrypt(extra)).toEqual(Buffer.from([n]));
        }
      }),
      { numRuns: 100 },
    );
  });
});
