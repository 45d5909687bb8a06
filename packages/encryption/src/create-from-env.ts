import { ConfigurationError, defaultLogger, type Logger } from '@cache/core';
import { EncryptedCacheLayer, type EncryptedCacheLayerOptions } from './encrypted-cache-layer.js';
import { encryptionKeyRequiredError } from './layer-errors.js';

/** Options of {@link createEncryptionLayerFromEnv}; the rest is forwarded to the layer. */
export type EncryptionLayerFromEnvOptions = {
  /** Variables to read; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Allow a missing `REDIS_ENCRYPTION_KEY` (a disabled layer, with warnings); default `false`. */
  allowUnencrypted?: boolean;
  /** Logger for this factory and the layer. */
  logger?: Logger;
} & Omit<EncryptedCacheLayerOptions, 'encryptionKey'>;

/**
 * Builds a layer from `REDIS_ENCRYPTION_KEY` (required unless `allowUnencrypted`) and the optional
 * comma-separated `REDIS_ENCRYPTION_PREVIOUS_KEYS` (decrypt-only rotation keys). An invalid key
 * throws `INVALID_ENCRYPTION_KEY`; a missing one `ENCRYPTION_KEY_REQUIRED`, or with
 * `allowUnencrypted` a disabled layer plus a warning.
 */
export function createEncryptionLayerFromEnv(opts: EncryptionLayerFromEnvOptions = {}): EncryptedCacheLayer {
  const { env = process.env, allowUnencrypted = false, ...layerOptions } = opts;
  if (typeof allowUnencrypted !== 'boolean') {
    throw new ConfigurationError('createEncryptionLayerFromEnv: allowUnencrypted must be a boolean', {
      code: 'INVALID_CONFIGURATION',
      context: { option: 'allowUnencrypted' },
    });
  }
  const key = env.REDIS_ENCRYPTION_KEY?.trim() ?? '';
  const previousKeys = (env.REDIS_ENCRYPTION_PREVIOUS_KEYS ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  if (key !== '') {
    return new EncryptedCacheLayer({ ...layerOptions, encryptionKey: key, previousKeys: [...(layerOptions.previousKeys ?? []), ...previousKeys] });
  }
  if (!allowUnencrypted) throw encryptionKeyRequiredError('The REDIS_ENCRYPTION_KEY environment variable');
  const layer = new EncryptedCacheLayer({ ...layerOptions, encryptionKey: null });
  (layerOptions.logger ?? defaultLogger).warn(
    '⚠️ REDIS_ENCRYPTION_KEY is not set: cache data will NOT be encrypted (allowUnencrypted is on)',
  );
  return layer;
}
