import fc from 'fast-check';
import { ValidationError, silentLogger } from '@cache/core';
import { describe, expect, it } from 'vitest';
import { generateSecurePassword } from '../src/index.js';
import { captureLogger } from './support.js';

const ALLOWED = /^[A-Za-z0-9!@#$%^&*\-_=+]*$/;
const LOOK_ALIKES = /[0OlI]/;

describe('generateSecurePassword', () => {
  it('returns exactly n characters from the 70-symbol alphabet without 0 O l I (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), (n) => {
        const password = generateSecurePassword(n, { logger: silentLogger });
        expect(password).toHaveLength(n);
        expect(password).toMatch(ALLOWED);
        expect(password).not.toMatch(LOOK_ALIKES);
      }),
    );
  });

  it('draws from all 70 symbols', () => {
    const seen = new Set(generateSecurePassword(20_000));
    expect(seen.size).toBe(70);
    for (const c of '0OlI') expect(seen.has(c)).toBe(false);
  });

  it('the original per-environment lengths (32/24/16/12) give distinct passwords without warnings', () => {
    const logger = captureLogger();
    const passwords = [32, 24, 16, 12].map((n) => generateSecurePassword(n, { logger }));
    expect(passwords.map((p) => p.length)).toEqual([32, 24, 16, 12]);
    expect(new Set(passwords).size).toBe(4);
    expect(logger.entries).toEqual([]);
  });

  it('warns below 8 characters but still returns n characters, never logging the password', () => {
    const logger = captureLogger();
    const password = generateSecurePassword(5, { logger });
    expect(password).toHaveLength(5);
    expect(logger.messages('warn')).toEqual([expect.stringMatching(/5-character password; use at least 8/)]);
    expect(JSON.stringify(logger.entries)).not.toContain(password);
  });

  it.each([-1, 1.5, Number.NaN, '8' as unknown as number])('refuses length %s with a ValidationError', (n) => {
    expect(() => generateSecurePassword(n)).toThrow(ValidationError);
  });
});
