import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fernet, InvalidTokenError, generateFernetKey } from '../src/index.js';

const fernet = new Fernet(generateFernetKey());

// The twin of a base64 character in the other alphabet decodes to the same bits; swapping it is an
// alphabet change, not a corruption, and is exercised separately (mixed alphabets are refused).
const TWIN: Record<number, number> = { 45: 43, 43: 45, 95: 47, 47: 95 };

function rejectsWithInvalidToken(token: Uint8Array | string): boolean {
  try {
    fernet.decrypt(token);
    return false;
  } catch (e) {
    return e instanceof InvalidTokenError;
  }
}

describe('Fernet properties (fast-check)', () => {
  it('any bytes (0..600) round-trip exactly, from Uint8Array and from a Buffer view with an offset', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat({ max: 7 }), (bytes, offset) => {
        expect(fernet.decrypt(fernet.encrypt(bytes)).equals(Buffer.from(bytes))).toBe(true);
        const padded = Buffer.alloc(bytes.length + offset + 3, 0xaa);
        padded.set(bytes, offset);
        const view = padded.subarray(offset, offset + bytes.length);
        expect(fernet.decrypt(fernet.encrypt(view).toString('latin1')).equals(view)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('any string round-trips as UTF-8', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        expect(fernet.decrypt(fernet.encrypt(text)).toString('utf8')).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('changing any one byte of a token (text level) is always rejected with InvalidTokenError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, at, delta) => {
        const token = fernet.encrypt(bytes);
        const i = at % token.length;
        const original = token[i] as number;
        const replacement = (original + delta) & 0xff;
        fc.pre(TWIN[original] !== replacement);
        const corrupted = Buffer.from(token);
        corrupted[i] = replacement;
        expect(rejectsWithInvalidToken(corrupted)).toBe(true);
        expect(rejectsWithInvalidToken(corrupted.toString('latin1'))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('changing any one byte of the decoded token (binary level) is always rejected', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, at, delta) => {
        const raw = Buffer.from(fernet.encrypt(bytes).toString('ascii'), 'base64');
        const i = at % raw.length;
        raw[i] = (raw[i] as number) ^ delta;
        const pad = ['', '==', '='][raw.length % 3];
        expect(rejectsWithInvalidToken(raw.toString('base64url') + pad)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('exhaustive: every position of a short token × every replacement byte (except the alphabet twin) is rejected', () => {
    const token = fernet.encrypt(Buffer.from('0123456789'));
    let attempts = 0;
    for (let i = 0; i < token.length; i++) {
      const original = token[i] as number;
      for (let value = 0; value < 256; value++) {
        if (value === original || TWIN[original] === value) continue;
        const corrupted = Buffer.from(token);
        corrupted[i] = value;
        attempts++;
        if (!rejectsWithInvalidToken(corrupted)) throw new Error(`byte ${value} at ${i} was accepted`);
      }
    }
    expect(attempts).toBe(token.length * 254 + token.length - token.filter((b) => TWIN[b] !== undefined).length);
  });

  it('string tokens: a character beyond Latin-1 whose low byte is a valid base64 letter is rejected', () => {
    const token = fernet.encrypt(Buffer.from('abc')).toString('ascii');
    for (const i of [0, 5, token.length - 3]) {
      const code = token.charCodeAt(i);
      for (const high of [0x100, 0x4100, 0xff00]) {
        const aliased = token.slice(0, i) + String.fromCharCode(high | code) + token.slice(i + 1);
        expect(rejectsWithInvalidToken(aliased)).toBe(true);
      }
    }
  });

  it('truncating a token anywhere is rejected', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(), (bytes, cut) => {
        const token = fernet.encrypt(bytes);
        expect(rejectsWithInvalidToken(token.subarray(0, cut % token.length))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
