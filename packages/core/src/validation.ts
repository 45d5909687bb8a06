import type { SetOptions, TtlSeconds } from './cache-interface.js';
import { parseDuration } from './duration.js';
import { ValidationError } from './errors.js';

/** Largest TTL accepted anywhere: one year, in seconds. */
export const MAX_TTL_SECONDS = 31_536_000;

/**
 * Asserts `key` is a non-empty, well-formed UTF-16 string (no lone surrogate, which UTF-8 cannot
 * carry and would collapse distinct keys into one); otherwise throws `ValidationError`
 * `INVALID_KEY` (context `{ key_type }`).
 */
export function assertValidKey(key: unknown): asserts key is string {
  const error = invalidKeyError(key);
  if (error !== undefined) throw error;
}

/** The `ValidationError` {@link assertValidKey} throws for `key`, or `undefined` when `key` is valid. */
export function invalidKeyError(key: unknown): ValidationError | undefined {
  if (typeof key === 'string' && key.length > 0 && (key as WellFormedCheck).isWellFormed()) return undefined;
  const keyType = key === null ? 'null' : typeof key !== 'string' ? typeof key : key === '' ? 'empty string' : 'ill-formed string';
  const why = keyType === 'ill-formed string' ? 'keys must be well-formed Unicode (it has a lone surrogate)' : 'keys must be non-empty strings';
  return new ValidationError(`Invalid cache key (${keyType}): ${why}`, { code: 'INVALID_KEY', context: { key_type: keyType } });
}

/** Asserts `keys` is an array of valid keys ({@link assertValidKey}); else `ValidationError` `INVALID_KEY`. */
export function assertValidKeys(keys: unknown): asserts keys is readonly string[] {
  if (!Array.isArray(keys)) {
    throw new ValidationError('Invalid key list: getMany takes an array of keys', { code: 'INVALID_KEY', context: { key_type: typeof keys } });
  }
  for (const key of keys) assertValidKey(key);
}

/**
 * Asserts `entries` is an array of `{ key, value, ttl? }` whose keys, values and TTLs `set` would
 * accept; else the `ValidationError` `set` would throw (`INVALID_KEY`, `INVALID_VALUE`, `INVALID_TTL`).
 */
export function assertSetManyEntries(entries: unknown): asserts entries is ReadonlyArray<{ key: string; value: unknown; ttl?: unknown }> {
  if (!Array.isArray(entries)) {
    throw new ValidationError('Invalid entries: setMany takes an array of { key, value, ttl? }', {
      code: 'INVALID_VALUE',
      context: { value_type: typeof entries },
    });
  }
  for (const entry of entries as unknown[]) {
    if (typeof entry !== 'object' || entry === null) {
      throw new ValidationError('Invalid entry: setMany takes { key, value, ttl? } objects', {
        code: 'INVALID_VALUE',
        context: { value_type: entry === null ? 'null' : typeof entry },
      });
    }
    const { key, value, ttl } = entry as { key?: unknown; value?: unknown; ttl?: unknown };
    assertValidKey(key);
    assertStorableValue(value);
    resolveTtlSeconds(ttl, 1);
  }
}

/** `String.prototype.isWellFormed` (Node 20), not yet in the ES2023 lib typings. */
type WellFormedCheck = string & { isWellFormed(): boolean };

/** Asserts `value` can be stored: `null`/`undefined` are the miss sentinel and throw `ValidationError` `INVALID_VALUE`. */
export function assertStorableValue(value: unknown): void {
  if (value !== null && value !== undefined) return;
  throw new ValidationError(
    `Invalid cache value (${value === null ? 'null' : 'undefined'}): null means "miss"; use delete() to remove a key`,
    { code: 'INVALID_VALUE', context: { value_type: value === null ? 'null' : 'undefined' } },
  );
}

/**
 * Resolves the TTL argument of `set` (a {@link Duration} in seconds, `null`/`undefined`, or
 * {@link SetOptions} whose `ttl` is read once): `undefined`/`null` → `defaultTtl`; a duration
 * that is whole seconds in 1..{@link MAX_TTL_SECONDS} (`60`, `'90s'`, `'1h30m'`, `'2000ms'`) →
 * those seconds; anything else throws `ValidationError` `INVALID_TTL` (context `{ ttl }`).
 */
export function resolveTtlSeconds(ttlOrOptions: unknown, defaultTtl: TtlSeconds): TtlSeconds {
  if (ttlOrOptions === undefined || ttlOrOptions === null) return defaultTtl;
  if (typeof ttlOrOptions === 'number' && Number.isInteger(ttlOrOptions) && ttlOrOptions >= 1 && ttlOrOptions <= MAX_TTL_SECONDS) {
    return ttlOrOptions;
  }
  const ttl = isPlainObject(ttlOrOptions) ? (ttlOrOptions as SetOptions).ttl : ttlOrOptions;
  if (ttl === undefined || ttl === null) return defaultTtl;
  const seconds = typeof ttl === 'string' ? parseDuration(ttl, 's') : ttl;
  if (typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= 1 && seconds <= MAX_TTL_SECONDS) return seconds;
  throw invalidTtl(ttl);
}

function isPlainObject(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return false;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function invalidTtl(ttl: unknown): ValidationError {
  const shown = typeof ttl === 'number' || typeof ttl === 'string' ? ttl : typeof ttl;
  return new ValidationError(
    `Invalid TTL ${JSON.stringify(String(shown))}: use whole seconds from 1 to ${MAX_TTL_SECONDS} or a duration such as '90s' or '1h30m', or omit it for the default`,
    { code: 'INVALID_TTL', context: { ttl: shown } },
  );
}

/** Most tags one entry may carry. */
export const MAX_TAGS = 64;
const MAX_TAG_LENGTH = 256;

/**
 * Validates a list of tags (`SetOptions.tags`, `invalidateTags`): an array of at most
 * {@link MAX_TAGS} non-empty, well-formed strings of at most 256 characters; duplicates are
 * dropped. Anything else throws `ValidationError` `INVALID_TAGS`.
 */
export function assertValidTags(tags: unknown): readonly string[] {
  if (!Array.isArray(tags)) throw invalidTags('tags must be an array of strings', { tags_type: tags === null ? 'null' : typeof tags });
  if (tags.length > MAX_TAGS) throw invalidTags(`at most ${MAX_TAGS} tags per call`, { count: tags.length });
  for (const tag of tags) {
    if (typeof tag !== 'string' || tag.length === 0 || tag.length > MAX_TAG_LENGTH || !(tag as WellFormedCheck).isWellFormed()) {
      throw invalidTags(`each tag must be a non-empty, well-formed string of at most ${MAX_TAG_LENGTH} characters`, {
        tag_type: typeof tag === 'string' ? (tag.length === 0 ? 'empty string' : tag.length > MAX_TAG_LENGTH ? 'too long' : 'ill-formed string') : typeof tag,
      });
    }
  }
  return [...new Set(tags as string[])];
}

/** The validated tags of `set`'s third argument (empty unless it is `SetOptions` with `tags`). */
export function resolveTags(ttlOrOptions: unknown): readonly string[] {
  if (!isPlainObject(ttlOrOptions)) return NO_TAGS;
  const tags = (ttlOrOptions as SetOptions).tags;
  return tags === undefined ? NO_TAGS : assertValidTags(tags);
}

const NO_TAGS: readonly string[] = Object.freeze([]);

function invalidTags(why: string, context: Record<string, unknown>): ValidationError {
  return new ValidationError(`Invalid tags: ${why}`, { code: 'INVALID_TAGS', context });
}
