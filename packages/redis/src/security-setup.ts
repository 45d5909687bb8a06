import { ConfigurationError, detectEnvironment, isConfigurationError, type EnvironmentResolver } from '@cache/core';
import { EncryptedCacheLayer, createEncryptionLayerFromEnv } from '@cache/encryption';
import {
  RedisCacheSecurityManager,
  createIoredisConnector,
  createSecurityConfigFromEnv,
  type RedisClientConstructor,
  type SecurityConfig,
} from '@cache/security';
import { Redis } from 'ioredis';
import type { ResolvedOptions } from './options.js';

/**
 * Builds the mandatory security manager and the value encryption: the configured security config,
 * else the one strict environment reader of `@cache/security` (`createSecurityConfigFromEnv`) over
 * `env`; the encryption layer (see {@link resolveEncryption}), which the manager is told about so
 * that its score and recommendations reflect it; an ioredis connector for
 * `testSecurityConfiguration()`; then the URL check — or, without a URL, the config's own
 * mandatory requirements — and finally the encryption requirement. `ConfigurationError`s propagate unchanged.
 */
export function createSecurity(o: ResolvedOptions): { manager: RedisCacheSecurityManager; encryption: EncryptedCacheLayer } {
  const resolveEnvironment: EnvironmentResolver = (context) => detectEnvironment(o.env, context);
  const config = securityStep(() => o.securityConfig ?? createSecurityConfigFromEnv(o.env, { env: o.env, logger: o.logger, resolveEnvironment }));
  const encryption = encryptionLayer(o, config);
  const manager = securityStep(() => {
    const m = new RedisCacheSecurityManager(config, {
      connector: createIoredisConnector(Redis as unknown as RedisClientConstructor),
      logger: o.logger,
      clock: o.clock,
      resolveEnvironment,
      valuesEncrypted: encryption.isEnabled,
      ...(o.performanceMonitor ? { metricsRecorder: o.performanceMonitor } : {}),
    });
    if (o.target.kind === 'url') m.validateMandatorySecurity(o.target.url);
    else config.validateMandatorySecurityRequirements();
    return m;
  });
  return { manager, encryption: resolveEncryption(o, encryption) };
}

/** Runs one security set-up step: its `ConfigurationError`s propagate unchanged, anything else becomes `SECURITY_INITIALISATION_FAILED`. */
function securityStep<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (isConfigurationError(error)) throw error;
    throw new ConfigurationError(
      `failed to initialise mandatory security: ${error instanceof Error ? error.message : String(error)}`,
      { code: 'SECURITY_INITIALISATION_FAILED', context: { error_type: 'security_initialisation' }, cause: error },
    );
  }
}

/** The given layer, else one from the security config's key, else from `REDIS_ENCRYPTION_KEY` (possibly disabled). */
function encryptionLayer(o: ResolvedOptions, securityConfig: SecurityConfig): EncryptedCacheLayer {
  return (
    o.encryption ??
    (securityConfig.encryptionKey
      ? new EncryptedCacheLayer({ encryptionKey: securityConfig.encryptionKey, logger: o.logger })
      : createEncryptionLayerFromEnv({ env: o.env, allowUnencrypted: o.allowUnencrypted, logger: o.logger }))
  );
}

/**
 * The mandatory value encryption: a missing or disabled layer needs `allowUnencrypted: true`,
 * else `ConfigurationError` `ENCRYPTION_KEY_REQUIRED`; the opt-out warns once.
 */
function resolveEncryption(o: ResolvedOptions, layer: EncryptedCacheLayer): EncryptedCacheLayer {
  if (!layer.isEnabled && !o.allowUnencrypted) {
    throw new ConfigurationError(
      'ENCRYPTION ERROR: cache values must be encrypted, but the encryption layer is disabled. ' +
        'Set REDIS_ENCRYPTION_KEY (generate one with: node -e "console.log(require(\'node:crypto\').randomBytes(32).toString(\'base64\').replace(/\\+/g, \'-\').replace(/\\//g, \'_\'))"), ' +
        'pass an enabled `encryption` layer, or set allowUnencrypted: true deliberately (testing only).',
      { code: 'ENCRYPTION_KEY_REQUIRED', context: { error_type: 'encryption_key_required' } },
    );
  }
  if (!layer.isEnabled) {
    o.logger.warn('SECURITY WARNING: GenericRedisCache stores values WITHOUT encryption (allowUnencrypted: true); use only for testing');
  }
  return layer;
}
