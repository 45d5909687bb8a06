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
 * Builds the mandatory security manager: the configured config, else the one strict environment
 * reader of `@cache/security` (`createSecurityConfigFromEnv`) over `env`,
 * an ioredis connector for `testSecurityConfiguration()`, then the URL check — or, without a URL,
 * the config's own mandatory requirements. Its `ConfigurationError`s propagate unchanged.
 */
export function createSecurityManager(o: ResolvedOptions): RedisCacheSecurityManager {
  const resolveEnvironment: EnvironmentResolver = (context) => detectEnvironment(o.env, context);
  try {
    const config = o.securityConfig ?? createSecurityConfigFromEnv(o.env, { env: o.env, logger: o.logger, resolveEnvironment });
    const manager = new RedisCacheSecurityManager(config, {
      connector: createIoredisConnector(Redis as unknown as RedisClientConstructor),
      logger: o.logger,
      clock: o.clock,
      resolveEnvironment,
      ...(o.performanceMonitor ? { metricsRecorder: o.performanceMonitor } : {}),
    });
    if (o.target.kind === 'url') manager.validateMandatorySecurity(o.target.url);
    else config.validateMandatorySecurityRequirements();
    return manager;
  } catch (error) {
    if (isConfigurationError(error)) throw error;
    throw new ConfigurationError(
      `failed to initialise mandatory security: ${error instanceof Error ? error.message : String(error)}`,
      { code: 'SECURITY_INITIALISATION_FAILED', context: { error_type: 'security_initialisation' }, cause: error },
    );
  }
}

/**
 * Resolves the mandatory value encryption: the given layer, else one from the security
 * config's key, else from `REDIS_ENCRYPTION_KEY`. A missing or disabled layer needs
 * `allowUnencrypted: true`, else `ConfigurationError` `ENCRYPTION_KEY_REQUIRED`.
 */
export function resolveEncryption(o: ResolvedOptions, securityConfig: SecurityConfig): EncryptedCacheLayer {
  const layer =
    o.encryption ??
    (securityConfig.encryptionKey
      ? new EncryptedCacheLayer({ encryptionKey: securityConfig.encryptionKey, logger: o.logger })
      : createEncryptionLayerFromEnv({ env: o.env, allowUnencrypted: o.allowUnencrypted, logger: o.logger }));
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
