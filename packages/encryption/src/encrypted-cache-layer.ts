import { inspect } from 'node:util';
import { ConfigurationError, ValidationError, defaultLogger, jsonCodec, type Logger } from '@cache/core';
import { Fernet, generateFernetKey } from './fernet.js';
import { InvalidTokenError } from './invalid-token-error.js';
import {
  decryptionFailureError,
  deserializationError,
  encryptionFailureError,
  encryptionKeyRequiredError,
  invalidEncryptionKeyError,
  invalidOptionError,
  serializationError,
} from './layer-errors.js';
import { PerformanceAccumulator, elapsedMsSince, type EncryptionPerformanceStats } from './performance-stats.js';

/** Options of {@link EncryptedCacheLayer}. */
export interface EncryptedCacheLayerOptions {
  /** Fernet key (44-char padded base64). `null` disables encryption deliberately (testing only); required. */
  encryptionKey: string | null;
  /** Decrypt-only keys for rotation, tried in order after the primary (MultiFernet order). Default none. */
  previousKeys?: readonly string[];
  /** Collect timing statistics; default `true`. */
  performanceMonitoring?: boolean;
  /** Read non-token bytes as plain JSON (with a warning each time), for migrations; default `false`. */
  allowPlaintextFallback?: boolean;
  /** Where info/warning/error lines go; default core's `defaultLogger` (warn + error only). */
  logger?: Logger;
  /** Warn when one encryption takes longer than this (ms); default 50. */
  slowEncryptWarnMs?: number;
  /** Warn when one decryption takes longer than this (ms); default 30. */
  slowDecryptWarnMs?: number;
}

const PROBE = Buffer.from('@cache/encryption probe', 'utf8');
const LOG_METHODS = ['debug', 'info', 'warn', 'error'] as const;

function badOption(option: string, expected: string): ConfigurationError {
  return invalidOptionError('EncryptedCacheLayer', option, expected);
}

function optionalBoolean(options: EncryptedCacheLayerOptions, name: 'performanceMonitoring' | 'allowPlaintextFallback', fallback: boolean): boolean {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw badOption(name, 'a boolean');
  return value;
}

function optionalMs(options: EncryptedCacheLayerOptions, name: 'slowEncryptWarnMs' | 'slowDecryptWarnMs', fallback: number): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw badOption(name, 'a finite number of milliseconds ≥ 0');
  return value;
}

function resolveLogger(logger: unknown): Logger {
  if (logger === undefined) return defaultLogger;
  const candidate = logger as Partial<Record<(typeof LOG_METHODS)[number], unknown>> | null;
  if (typeof candidate !== 'object' || candidate === null || LOG_METHODS.some((m) => typeof candidate[m] !== 'function')) {
    throw badOption('logger', 'an object with debug, info, warn and error methods');
  }
  return logger as Logger;
}

/** Builds a Fernet for `key` and proves it with a round trip; any failure is INVALID_ENCRYPTION_KEY. */
function provenFernet(key: string, logger: Logger, keyIndex?: number): Fernet {
  try {
    const fernet = new Fernet(key);
    if (!fernet.decrypt(fernet.encrypt(PROBE)).equals(PROBE)) throw new Error('probe round trip returned different bytes');
    return fernet;
  } catch (cause) {
    const error = invalidEncryptionKeyError(cause, keyIndex);
    logger.error(error.message, { code: error.code, error_type: 'invalid_encryption_key' });
    throw error;
  }
}

function byteView(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function invalidArgument(method: string, expected: string, data: unknown): ValidationError {
  return new ValidationError(`EncryptedCacheLayer.${method} takes ${expected}`, {
    code: 'INVALID_ARGUMENT',
    context: { argument: 'data', value_type: typeof data },
  });
}

function inputBytes(data: unknown, method: string): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof Uint8Array) return byteView(data);
  throw invalidArgument(method, 'a string or a Uint8Array', data);
}

/** How one token form is made and opened with one key: padded base64 text, or the raw bytes it encodes. */
interface TokenForm<T> {
  encrypt(fernet: Fernet, plaintext: Uint8Array): Buffer;
  decrypt(fernet: Fernet, token: T): Buffer;
}

const BASE64_TOKEN: TokenForm<Uint8Array | string> = {
  encrypt: (fernet, plaintext) => fernet.encrypt(plaintext),
  decrypt: (fernet, token) => fernet.decrypt(token),
};

const RAW_TOKEN: TokenForm<Uint8Array> = {
  encrypt: (fernet, plaintext) => fernet.encryptRaw(plaintext),
  decrypt: (fernet, token) => fernet.decryptRaw(token),
};

/**
 * Application-layer encryption of cache values: JSON (core `jsonCodec`, key order kept) then Fernet,
 * interchangeable with Python's `cryptography.fernet` sharing one `REDIS_ENCRYPTION_KEY`. Decrypts
 * with the primary key, then each of `previousKeys`. Strict by default: a key is required (`null`
 * to opt out, with a warning), and non-token data is refused unless `allowPlaintextFallback`.
 * Key material is never logged, thrown or shown by `inspect`.
 */
export class EncryptedCacheLayer {
  /** Whether timing statistics are collected (default `true`). */
  readonly performanceMonitoring: boolean;
  readonly #fernets: readonly Fernet[];
  readonly #primary: Fernet | null;
  readonly #allowPlaintextFallback: boolean;
  readonly #logger: Logger;
  readonly #slowEncryptWarnMs: number;
  readonly #slowDecryptWarnMs: number;
  readonly #stats = new PerformanceAccumulator();
  #warnedUnencryptedWrite = false;

  /** Validates every option and key; throws `ConfigurationError` (codes in the package README) on bad input. */
  constructor(options: EncryptedCacheLayerOptions) {
    if (typeof options !== 'object' || options === null) throw badOption('options', 'an object');
    const logger = resolveLogger(options.logger);
    this.performanceMonitoring = optionalBoolean(options, 'performanceMonitoring', true);
    this.#allowPlaintextFallback = optionalBoolean(options, 'allowPlaintextFallback', false);
    this.#slowEncryptWarnMs = optionalMs(options, 'slowEncryptWarnMs', 50);
    this.#slowDecryptWarnMs = optionalMs(options, 'slowDecryptWarnMs', 30);
    const previousKeys = options.previousKeys ?? [];
    if (!Array.isArray(previousKeys)) throw badOption('previousKeys', 'an array of Fernet keys');
    this.#logger = logger;

    const key = options.encryptionKey;
    if (key === undefined || key === '') throw encryptionKeyRequiredError('encryptionKey');
    if (key === null) {
      if (previousKeys.length > 0) throw badOption('previousKeys', 'empty when encryptionKey is null');
      this.#primary = null;
      this.#fernets = [];
      logger.warn(
        '⚠️ SECURITY WARNING: cache encryption is disabled (encryptionKey: null). Cached data is stored in plaintext. ' +
          'This is only acceptable in testing environments; production deployments must use encryption.',
      );
      return;
    }
    const primary = provenFernet(key, logger);
    this.#primary = primary;
    this.#fernets = [primary, ...previousKeys.map((k: unknown, i) => provenFernet(k as string, logger, i))];
    logger.info(
      `🔒 Cache encryption enabled (Fernet: AES-128-CBC + HMAC-SHA256)` +
        (previousKeys.length > 0 ? `, ${previousKeys.length} previous key(s) accepted for decryption` : ''),
    );
  }

  /** A layer with a fresh random key (development and tests); other options are forwarded. */
  static createWithGeneratedKey(options: Omit<EncryptedCacheLayerOptions, 'encryptionKey'> = {}): EncryptedCacheLayer {
    return new EncryptedCacheLayer({ ...options, encryptionKey: generateFernetKey() });
  }

  /** True when a key is configured (values are encrypted). */
  get isEnabled(): boolean {
    return this.#primary !== null;
  }

  /**
   * JSON-serializes `data` (core's `jsonCodec`: object keys in insertion order, UTF-8) and returns the Fernet token as ASCII bytes; when
   * disabled, the JSON bytes themselves. Non-JSON data → `ValidationError` `SERIALIZATION_ERROR`.
   */
  encryptCacheData(data: unknown): Buffer {
    const start = this.performanceMonitoring ? process.hrtime.bigint() : 0n;
    let json: Uint8Array;
    try {
      json = jsonCodec.encode(data);
    } catch (cause) {
      throw serializationError(data, cause);
    }
    const out = this.#seal(json, BASE64_TOKEN);
    if (this.performanceMonitoring) this.#recordEncryption(start, json.byteLength);
    return out;
  }

  /**
   * Decrypts a token (trying every configured key) and decodes its JSON. Invalid token →
   * `DECRYPTION_FAILURE` (or, with `allowPlaintextFallback`, the bytes read as JSON with a
   * warning); bad JSON or UTF-8 → `DESERIALIZATION_ERROR`. Each call returns a fresh value.
   */
  decryptCacheData<T = unknown>(data: Uint8Array | string): T {
    const start = this.performanceMonitoring ? process.hrtime.bigint() : 0n;
    const size = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : inputBytes(data, 'decryptCacheData').byteLength;
    let plaintext: Uint8Array;
    if (this.#primary === null) {
      plaintext = inputBytes(data, 'decryptCacheData');
    } else {
      try {
        plaintext = this.#open(data, size, BASE64_TOKEN);
      } catch (error) {
        if (!this.#allowPlaintextFallback || !(error instanceof ConfigurationError) || !(error.cause instanceof InvalidTokenError)) throw error;
        this.#logger.warn('Reading unencrypted cache data for backward compatibility (allowPlaintextFallback is on); re-write it to encrypt it', {
          data_size: size,
        });
        plaintext = inputBytes(data, 'decryptCacheData');
      }
    }
    let value: unknown;
    try {
      value = jsonCodec.decode(plaintext);
    } catch (cause) {
      throw deserializationError(cause, size);
    }
    if (this.performanceMonitoring) this.#recordDecryption(start, size);
    return value as T;
  }

  /** Encrypts raw bytes under the primary key and returns the token as ASCII bytes; disabled: a copy. */
  encryptBytes(plaintext: Uint8Array): Buffer {
    return this.#encryptBytes(plaintext, 'encryptBytes', BASE64_TOKEN);
  }

  /**
   * Encrypts like {@link EncryptedCacheLayer.encryptBytes} but returns the raw token (the binary
   * bytes the base64 token encodes: 25% smaller, no encode; used by `@cache/redis`). Disabled: a copy.
   */
  encryptBytesRaw(plaintext: Uint8Array): Buffer {
    return this.#encryptBytes(plaintext, 'encryptBytesRaw', RAW_TOKEN);
  }

  /**
   * Decrypts a token with the primary key, then each previous key; no key opens it →
   * `ConfigurationError` `DECRYPTION_FAILURE` (cause `InvalidTokenError`). Never falls back to
   * plaintext. Disabled layer: a copy of the input bytes.
   */
  decryptBytes(token: Uint8Array | string): Buffer {
    const start = this.performanceMonitoring ? process.hrtime.bigint() : 0n;
    const bytes = typeof token === 'string' ? null : inputBytes(token, 'decryptBytes');
    const size = bytes === null ? Buffer.byteLength(token as string, 'utf8') : bytes.byteLength;
    const out =
      this.#primary !== null ? this.#open(token, size, BASE64_TOKEN) : bytes === null ? Buffer.from(token as string, 'utf8') : Buffer.from(bytes);
    if (this.performanceMonitoring) this.#recordDecryption(start, size);
    return out;
  }

  /**
   * Decrypts a raw token ({@link EncryptedCacheLayer.encryptBytesRaw}'s output) with the same keys,
   * order, errors and statistics as {@link EncryptedCacheLayer.decryptBytes}: MAC checked in
   * constant time first, nothing partial returned, never a plaintext fallback. Disabled layer: a copy.
   */
  decryptBytesRaw(token: Uint8Array): Buffer {
    const start = this.performanceMonitoring ? process.hrtime.bigint() : 0n;
    if (!(token instanceof Uint8Array)) throw invalidArgument('decryptBytesRaw', 'a Uint8Array', token);
    const out = this.#primary !== null ? this.#open(token, token.byteLength, RAW_TOKEN) : Buffer.from(token);
    if (this.performanceMonitoring) this.#recordDecryption(start, token.byteLength);
    return out;
  }

  /** Totals and averages in ms, or `{ performanceMonitoring: false, error }` when monitoring is off. */
  getPerformanceStats(): EncryptionPerformanceStats {
    if (!this.performanceMonitoring) return { performanceMonitoring: false, error: 'Performance monitoring is disabled' };
    return this.#stats.snapshot(this.isEnabled);
  }

  /** Zeroes the statistics and logs one info line; idempotent, never throws. */
  resetPerformanceStats(): void {
    this.#stats.reset();
    try {
      this.#logger.info('Encryption performance statistics reset');
    } catch {
      // The contract says reset never throws; a broken logger must not change that.
    }
  }

  /** Shows configuration only, never key material. */
  [inspect.custom](): string {
    return `EncryptedCacheLayer { isEnabled: ${this.isEnabled}, previousKeys: ${Math.max(this.#fernets.length - 1, 0)}, performanceMonitoring: ${this.performanceMonitoring} }`;
  }

  #encryptBytes(plaintext: Uint8Array, method: string, form: TokenForm<Uint8Array>): Buffer {
    const start = this.performanceMonitoring ? process.hrtime.bigint() : 0n;
    if (!(plaintext instanceof Uint8Array)) throw invalidArgument(method, 'a Uint8Array', plaintext);
    const out = this.#seal(plaintext, form);
    if (this.performanceMonitoring) this.#recordEncryption(start, plaintext.byteLength);
    return out;
  }

  #seal(plaintext: Uint8Array, form: TokenForm<Uint8Array>): Buffer {
    if (this.#primary === null) {
      if (!this.#warnedUnencryptedWrite) {
        this.#warnedUnencryptedWrite = true;
        this.#logger.warn('⚠️ Cache data is being stored WITHOUT encryption (encryption is disabled on this layer)');
      }
      return Buffer.from(plaintext);
    }
    try {
      return form.encrypt(this.#primary, plaintext);
    } catch (cause) {
      const error = encryptionFailureError(cause);
      this.#logger.error(error.message, { code: error.code, error_type: 'encryption_failure' });
      throw error;
    }
  }

  /** Tries each key in order; only an InvalidTokenError moves on to the next key. */
  #open<T>(token: T, size: number, form: TokenForm<T>): Buffer {
    let cause: unknown = null;
    for (const fernet of this.#fernets) {
      try {
        return form.decrypt(fernet, token);
      } catch (error) {
        cause = error;
        if (!(error instanceof InvalidTokenError)) {
          const failure = decryptionFailureError(error, size);
          this.#logger.error(failure.message, { code: failure.code, error_type: 'decryption_failure', data_size: size });
          throw failure;
        }
      }
    }
    throw decryptionFailureError(cause, size);
  }

  #recordEncryption(start: bigint, bytes: number): void {
    const ms = elapsedMsSince(start);
    this.#stats.addEncryption(ms);
    if (ms > this.#slowEncryptWarnMs) this.#logger.warn(`Slow cache encryption: ${ms.toFixed(3)} ms for ${bytes} bytes`, { duration_ms: ms, data_size: bytes });
  }

  #recordDecryption(start: bigint, bytes: number): void {
    const ms = elapsedMsSince(start);
    this.#stats.addDecryption(ms);
    if (ms > this.#slowDecryptWarnMs) this.#logger.warn(`Slow cache decryption: ${ms.toFixed(3)} ms for ${bytes} bytes`, { duration_ms: ms, data_size: bytes });
  }
}
