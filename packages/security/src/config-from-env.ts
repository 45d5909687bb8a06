import { ConfigurationError, isConfigurationError, parseEnvBoolean } from '@cache/core';
import { SecurityConfig } from './security-config.js';
import { nonEmpty, resolveRuntime } from './security-runtime.js';
import type { EnvMap, SecurityRuntime } from './security-runtime.js';

/** Variables that switch {@link createSecurityConfigFromEnv} to explicit mode when any is non-empty. */
const SECURITY_VARIABLES = [
  'REDIS_AUTH',
  'REDIS_ACL_USERNAME',
  'REDIS_ACL_PASSWORD',
  'REDIS_USE_TLS',
  'REDIS_TLS_ENABLED',
  'REDIS_TLS_CERT_PATH',
  'REDIS_TLS_KEY_PATH',
  'REDIS_TLS_CA_PATH',
  'REDIS_VERIFY_CERTIFICATES',
  'REDIS_CONNECTION_TIMEOUT',
  'REDIS_MAX_RETRIES',
  'REDIS_RETRY_DELAY',
] as const;

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

const invalidEnv = (variable: string, value: string, expected: string, cause?: unknown): ConfigurationError =>
  new ConfigurationError(
    `Environment variable ${variable} must be ${expected} (got ${JSON.stringify(value)}). Fix: correct or unset ${variable}.`,
    { code: 'INVALID_ENV_VALUE', context: { variable, value }, cause },
  );

function envNumber(env: EnvMap, variable: string, pattern: RegExp, expected: string, fallback: number): number {
  const raw = env[variable];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!pattern.test(raw.trim())) throw invalidEnv(variable, raw, expected);
  return Number(raw.trim());
}

function envBoolean(env: EnvMap, variable: string): boolean | undefined {
  try {
    return parseEnvBoolean(variable, env[variable]);
  } catch (error) {
    throw invalidEnv(variable, env[variable] ?? '', 'a boolean (true/false, 1/0, yes/no, on/off)', error);
  }
}

/**
 * A configuration from environment variables. When any `REDIS_*` security variable is set, the
 * config is built from them (TLS and verification default on; booleans `true|1|yes|on` /
 * `false|0|no|off`; bad booleans or numbers throw `ConfigurationError` `INVALID_ENV_VALUE`).
 * Otherwise the environment's preset is used ({@link SecurityConfig.createForEnvironment}); if
 * that fails, a warning is logged and a strict fallback (TLS + verification, no credentials) is
 * returned. Credentials are only ever read, never generated.
 */
export function createSecurityConfigFromEnv(env?: EnvMap, runtime: SecurityRuntime = {}): SecurityConfig {
  const source = env ?? runtime.env ?? process.env;
  const effective: SecurityRuntime = { ...runtime, env: source };
  if (SECURITY_VARIABLES.some((name) => nonEmpty(source[name]) !== null)) {
    return new SecurityConfig(
      {
        redisAuth: nonEmpty(source['REDIS_AUTH']),
        aclUsername: nonEmpty(source['REDIS_ACL_USERNAME']),
        aclPassword: nonEmpty(source['REDIS_ACL_PASSWORD']),
        useTls: envBoolean(source, 'REDIS_USE_TLS') ?? envBoolean(source, 'REDIS_TLS_ENABLED') ?? true,
        verifyCertificates: envBoolean(source, 'REDIS_VERIFY_CERTIFICATES') ?? true,
        tlsCertPath: nonEmpty(source['REDIS_TLS_CERT_PATH']),
        tlsKeyPath: nonEmpty(source['REDIS_TLS_KEY_PATH']),
        tlsCaPath: nonEmpty(source['REDIS_TLS_CA_PATH']),
        connectionTimeout: envNumber(source, 'REDIS_CONNECTION_TIMEOUT', INTEGER, 'an integer number of seconds', 30),
        maxRetries: envNumber(source, 'REDIS_MAX_RETRIES', INTEGER, 'a non-negative integer', 3),
        retryDelay: envNumber(source, 'REDIS_RETRY_DELAY', DECIMAL, 'a decimal number of seconds', 1.0),
      },
      effective,
    );
  }
  try {
    return SecurityConfig.createForEnvironment(undefined, effective);
  } catch (error) {
    resolveRuntime(effective).logger.warn(
      'Environment security preset unavailable; using the strict fallback (TLS + certificate verification, no credentials)',
      { error_type: error instanceof Error ? error.name : typeof error, error_code: isConfigurationError(error) ? error.code : null },
    );
    return new SecurityConfig({ useTls: true, verifyCertificates: true, connectionTimeout: 30, maxRetries: 3, retryDelay: 1.0 }, effective);
  }
}
