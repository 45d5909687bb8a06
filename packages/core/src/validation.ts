import type { TtlSeconds } from './cache-interface.js';
import { ValidationError } from './errors.js';

/** Largest TTL accepted anywhere: one year, in seconds. */
export const MAX_TTL_SECONDS = 31_536_000;

/** Asserts `key` is a non-empty string; otherwise throws `ValidationError` `INVALID_KEY` (context `{ key_type }`). */
export function assertValidKey(key: unknown): asserts key is string {
  if (typeof key === 'string' && key.length > 0) return;
  const keyType = key === null ? 'null' : typeof key === 'string' ? 'empty string' : typeof key;
  throw new ValidationError(`Invalid cache key (${keyType}): keys must be non-empty strings`, {
    code: 'INVALID_KEY',
    context: { key_type: keyType },
  });
}

/** Asserts `value` can be stored: `null`/`undefined` are the miss sentinel and throw `ValidationError` `INVALID_VALUE`. */
export function assertStorableValue(value: unknown): void {
  if (value !== null && value !== undefined) return;
  throw new ValidationError(
    `Invalid cache value (${value === null ? 'null' : 'undefined'}): null means "miss"; use delete() to remove a key`,
    { code: 'INVALID_VALUE', context: { value_type: value === null ? 'null' : 'undefined' } },
  );
}

/**
 * Resolves a TTL argument: `undefined`/`null` → `defaultTtl`; an integer 1..{@link MAX_TTL_SECONDS}
 * → itself; anything else throws `ValidationError` `INVALID_TTL` (context `{ ttl }`).
 */
export function resolveTtlSeconds(ttl: unknown, defaultTtl: TtlSeconds): TtlSeconds {
  if (ttl === undefined || ttl === null) return defaultTtl;
  if (typeof ttl === 'number' && Number.isInteger(ttl) && ttl >= 1 && ttl <= MAX_TTL_SECONDS) return ttl;
  const shown = typeof ttl === 'number' || typeof ttl === 'string' ? ttl : typeof ttl;
  throw new ValidationError(
    `Invalid TTL ${JSON.stringify(String(shown))}: use whole seconds from 1 to ${MAX_TTL_SECONDS}, or omit it for the default`,
    { code: 'INVALID_TTL', context: { ttl: shown } },
  );
}
