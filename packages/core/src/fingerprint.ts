import { createHash } from 'node:crypto';

/** First 8 lowercase hex chars of SHA-256(UTF-8 `key`): what library code logs instead of a raw key. */
export function keyFingerprint(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 8);
}
