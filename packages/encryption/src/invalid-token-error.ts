import { ValidationError } from '@cache/core';

/**
 * A Fernet token was refused: bad base64 or padding, wrong version, too short, wrong block size,
 * MAC mismatch (wrong key or tampering), bad PKCS#7 padding, expired or too far in the future.
 * Code `INVALID_TOKEN`. Deliberately says nothing about which check failed, and never carries the
 * token, the key or any plaintext.
 */
export class InvalidTokenError extends ValidationError {
  static override readonly defaultCode: string = 'INVALID_TOKEN';

  constructor() {
    super('Invalid Fernet token');
  }
}
// The name survives minification (core's lineage brand reads `errorName` before `name`).
Object.defineProperty(InvalidTokenError, 'errorName', { value: 'InvalidTokenError' });
