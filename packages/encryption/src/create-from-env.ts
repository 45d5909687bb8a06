import { ConfigurationError, defaultLogger, type Logger } from '@cache/core';
import { EncryptedCacheLayer, type EncryptedCacheLayerOptions } from './encrypted-cache-layer.js';
import { encryptionKeyRequiredError, invalidOptionError } from './layer-errors.js';

/** Options of {@link createEncryptionLayerFromEnv}; the rest is forwarded to the layer. */
export type EncryptionLayerFromEnvOptions = {
  /** Variables to read; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Allow a missing `REDIS_ENCRYPTION_KEY` (a disabled layer, with warnings); default `false`. */
  allowUnencrypted?: boolean;
  /** Logger for this factory and the layer. */
  logger?: Logger;
} & Omit<EncryptedCacheLayerOptions, 'encryptionKey'>;

function badOption(option: string, expected: string): ConfigurationError {
  return invalidOptionError('createEncryptionLayerFromEnv', option, expected);
}

/** A variable's trimmed value; '' when unset. A non-string value → INVALID_CONFIGURATION. */
function variable(env: Readonly<Record<string, unknown>>, name: string): string {
  const value = env[name];
  if (value === undefined) return '';
  if (typeof value !== 'string') throw badOption(`env.${name}`, 'a string');
  return value.trim();
}

/**
 * Builds a layer from `REDIS_ENCRYPTION_KEY` (required unless `allowUnencrypted`) and the optional
 * comma-separated `REDIS_ENCRYPTION_PREVIOUS_KEYS` (decrypt-only rotation keys). An invalid key
 * throws `INVALID_ENCRYPTION_KEY`; a missing one `ENCRYPTION_KEY_REQUIRED`, or with
 * `allowUnencrypted` a disabled layer plus a warning.
 */
export function createEncryptionLayerFromEnv(opts: EncryptionLayerFromEnvOptions = {}): EncryptedCacheLayer {
  if (typeof opts !== 'object' || opts === null) throw badOption('options', 'an object');
  const { env = process.env, allowUnencrypted = false, ...layerOptions } = opts;
  if (typeof env !== 'object' || env === null) throw badOption('env', 'an object of environment variables');
  if (typeof allowUnencrypted !== 'boolean') throw badOption('allowUnencrypted', 'a boolean');
  const key = variable(env, 'REDIS_ENCRYPTION_KEY');
  const previousKeys = variable(env, 'REDIS_ENCRYPTION_PREVIOUS_KEYS')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  if (key !== '') {
    const extra = layerOptions.previousKeys ?? [];
    if (!Array.isArray(extra)) throw badOption('previousKeys', 'an array of Fernet keys');
    return new EncryptedCacheLayer({ ...layerOptions, encryptionKey: key, previousKeys: [...extra, ...previousKeys] });
  }
  if (!allowUnencrypted) throw encryptionKeyRequiredError('The REDIS_ENCRYPTION_KEY environment variable');
  // Previous keys without a primary is a half-removed configuration, not a request to go unencrypted.
  if (previousKeys.length > 0) throw badOption('env', 'without REDIS_ENCRYPTION_PREVIOUS_KEYS when REDIS_ENCRYPTION_KEY is unset');
  const layer = new EncryptedCacheLayer({ ...layerOptions, encryptionKey: null });
  (layerOptions.logger ?? defaultLogger).warn(
    '⚠️ REDIS_ENCRYPTION_KEY is not set: cache data will NOT be encrypted (allowUnencrypted is on)',
  );
  return layer;
}
