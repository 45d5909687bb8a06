import { randomInt } from 'node:crypto';
import { ValidationError, defaultLogger } from '@cache/core';
import type { Logger } from '@cache/core';

/** Letters, digits and `!@#$%^&*-_=+`, without the look-alikes `0 O l I` (70 symbols). */
const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ123456789!@#$%^&*-_=+';

/** Below this length a generated password is considered weak (a warning is logged). */
const MIN_RECOMMENDED_LENGTH = 8;

/**
 * A random password of exactly `length` characters, each drawn uniformly (`crypto.randomInt`)
 * from a 70-symbol alphabet without look-alikes (`0 O l I`). For provisioning servers and tests;
 * configurations never use it to invent credentials. Lengths below 8 warn but are honoured;
 * a non-integer or negative length throws `ValidationError` `INVALID_LENGTH`.
 */
export function generateSecurePassword(length: number, opts: { logger?: Logger } = {}): string {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new ValidationError(`Password length must be a non-negative integer (got ${String(length)}). Fix: pass e.g. 32.`, {
      code: 'INVALID_LENGTH',
      context: { length },
    });
  }
  if (length < MIN_RECOMMENDED_LENGTH) {
    (opts.logger ?? defaultLogger).warn(
      `Generating a ${length}-character password; use at least ${MIN_RECOMMENDED_LENGTH} (32 recommended for production)`,
      { length },
    );
  }
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}
