import { ConfigurationError, ValidationError, isValidationError } from '@cache/core';

/**
 * The errors `EncryptedCacheLayer` throws: stable codes, snake_case context shared with the Python
 * service, and messages that say how to fix the problem. None of them ever carries a key, a token
 * or cached data.
 */

const LOCK = '🔒';

/** `name: message` of an error, for `original_error`; `fallback` for anything that is not an Error. */
function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : 'non-Error value thrown';
}

/** A constructor or factory option has the wrong type or value (never echoes the value). */
export function invalidOptionError(owner: string, option: string, expected: string): ConfigurationError {
  return new ConfigurationError(`${owner}: option ${option} must be ${expected}`, {
    code: 'INVALID_CONFIGURATION',
    context: { option },
  });
}

/** A key (primary, or previous at `keyIndex`) failed validation or the probe round trip. */
export function invalidEncryptionKeyError(cause: unknown, keyIndex?: number): ConfigurationError {
  const original = describeError(cause);
  const which = keyIndex === undefined ? 'encryptionKey' : `previousKeys[${keyIndex}]`;
  return new ConfigurationError(
    [
      `${LOCK} ENCRYPTION ERROR: Invalid encryption key (${which}): ${original}`,
      '',
      'To fix this issue:',
      `1. Generate a valid key (32 random bytes, padded URL-safe base64, 44 characters):`,
      `   Node:   node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url') + '=')"`,
      `   Python: python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`,
      '2. Set it in the REDIS_ENCRYPTION_KEY environment variable (previous keys, comma-separated, in REDIS_ENCRYPTION_PREVIOUS_KEYS).',
      '3. For development only, use EncryptedCacheLayer.createWithGeneratedKey() or generateFernetKey().',
    ].join('\n'),
    {
      code: 'INVALID_ENCRYPTION_KEY',
      context: {
        error_type: 'invalid_encryption_key',
        original_error: original,
        ...(keyIndex === undefined ? {} : { key_index: keyIndex }),
      },
      cause,
    },
  );
}

/** `encryptionKey` was `undefined` or `''`. */
export function encryptionKeyRequiredError(source: string): ConfigurationError {
  return new ConfigurationError(
    `${LOCK} ENCRYPTION ERROR: ${source} is required. Pass a Fernet key (see generateFernetKey()), ` +
      'or null to disable encryption deliberately (testing only).',
    { code: 'ENCRYPTION_KEY_REQUIRED', context: { error_type: 'encryption_key_required' } },
  );
}

/** Type name of the top-level value, for `data_type` (`'object'` for a plain object). */
function topLevelType(data: unknown): string {
  if (data === null) return 'null';
  if (Array.isArray(data)) return 'array';
  if (typeof data !== 'object') return typeof data;
  const proto: unknown = Object.getPrototypeOf(data);
  if (proto === Object.prototype || proto === null) return 'object';
  const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'object';
}

/** The value is not JSON data (a function, symbol, cycle or other value the codec cannot round-trip): a `ValidationError`, since the input is at fault. */
export function serializationError(data: unknown, cause: unknown): ValidationError {
  const context = isValidationError(cause) ? cause.context : {};
  const original = typeof context.original_error === 'string' ? context.original_error : describeError(cause);
  return new ValidationError(
    [
      `${LOCK} ENCRYPTION ERROR: Failed to serialize cache data: ${original}`,
      '',
      'Only JSON-serializable data can be cached:',
      '- basic types: string, number (finite), boolean, null',
      '- collections: arrays and plain objects of the above, nested',
      '- avoid: Date (store an ISO string), class instances, functions, symbols, bigint, Map/Set, NaN/Infinity, circular references',
    ].join('\n'),
    {
      code: 'SERIALIZATION_ERROR',
      context: { error_type: 'serialization_error', data_type: topLevelType(data), path: context.path ?? '$', original_error: original },
      cause,
    },
  );
}

/** Fernet itself failed while encrypting (the key and input were fine). */
export function encryptionFailureError(cause: unknown): ConfigurationError {
  const original = describeError(cause);
  return new ConfigurationError(
    [
      `${LOCK} ENCRYPTION ERROR: Failed to encrypt cache data: ${original}`,
      '',
      'This may indicate:',
      '- a corrupted encryption key in memory',
      '- system resource limits (memory, entropy)',
      '- a problem in the crypto library (node:crypto / OpenSSL)',
    ].join('\n'),
    { code: 'ENCRYPTION_FAILURE', context: { error_type: 'encryption_failure', original_error: original }, cause },
  );
}

/** No configured key opens the token (wrong key, tampering, rotation) or decryption failed otherwise. */
export function decryptionFailureError(cause: unknown, dataSize: number): ConfigurationError {
  const original = describeError(cause);
  return new ConfigurationError(
    [
      `${LOCK} DECRYPTION ERROR: Failed to decrypt cache data: ${original}`,
      '',
      'This may indicate:',
      '- the data was encrypted with a different (wrong) encryption key',
      '- corrupted or tampered cache data',
      '- key rotation without the old key in previousKeys',
    ].join('\n'),
    { code: 'DECRYPTION_FAILURE', context: { error_type: 'decryption_failure', data_size: dataSize, original_error: original }, cause },
  );
}

/**
 * The (decrypted or plaintext) bytes are not UTF-8 JSON. `JSON.parse` messages quote the input, so
 * only the kind of failure is kept, not the parser's message nor the error itself.
 */
export function deserializationError(cause: unknown, dataSize: number): ConfigurationError {
  // Core's codec reports the failure's kind (its class name) as `original_error`, never the parser message.
  const kind = isValidationError(cause) ? cause.context['original_error'] : cause instanceof Error ? cause.name : undefined;
  const original =
    kind === 'SyntaxError'
      ? 'SyntaxError: the data is not valid JSON'
      : kind === 'TypeError'
        ? 'TypeError: the data is not valid UTF-8'
        : 'the data could not be decoded as UTF-8 JSON';
  return new ConfigurationError(
    [
      `${LOCK} DECRYPTION ERROR: Failed to deserialize cache data: ${original}`,
      '',
      'This may indicate:',
      '- corrupted cache data',
      '- the wrong encryption key',
      '- a data format mismatch (the value was not written as JSON by this library)',
      '- cache corruption',
    ].join('\n'),
    { code: 'DESERIALIZATION_ERROR', context: { error_type: 'deserialization_error', data_size: dataSize, original_error: original } },
  );
}
