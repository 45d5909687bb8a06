import { ConfigurationError } from '@cache/core';
import { TLS_VERSIONS } from './security-options.js';
import type { TlsVersion } from './security-options.js';

/** Every option of a security configuration with its default applied. */
export interface SecurityConfigValues {
  readonly redisAuth: string | null;
  readonly aclUsername: string | null;
  readonly aclPassword: string | null;
  readonly useTls: boolean;
  readonly verifyCertificates: boolean;
  readonly tlsCertPath: string | null;
  readonly tlsKeyPath: string | null;
  readonly tlsCaPath: string | null;
  readonly minTlsVersion: TlsVersion;
  readonly cipherSuites: readonly string[] | null;
  readonly connectionTimeout: number;
  readonly socketTimeout: number;
  readonly maxRetries: number;
  readonly retryDelay: number;
  readonly enableSecurityMonitoring: boolean;
  readonly logSecurityEvents: boolean;
  readonly encryptionKey: string | null;
}

const invalid = (message: string, context: Record<string, unknown>): ConfigurationError =>
  new ConfigurationError(message, { code: 'INVALID_CONFIGURATION', context });

function checkTlsFile(
  path: string | null,
  fileExists: (path: string) => boolean,
  label: string,
  option: string,
  variable: string,
  contextKey: string,
  validationType: string,
): void {
  if (path === null || fileExists(path)) return;
  throw new ConfigurationError(
    `${label} file not found: ${path}. Fix: point ${option} (${variable}) at an existing PEM file, ` +
      'or leave it unset if the server does not need it.',
    { code: 'TLS_FILE_NOT_FOUND', context: { [contextKey]: path, validation_type: validationType } },
  );
}

/**
 * Longest timeout or back-off delay accepted, in seconds (one day). Node timers cannot wait longer
 * than about 24.8 days: a longer delay fires after 1 ms, turning a timeout into an instant failure
 * and a back-off into a retry storm.
 */
export const MAX_DELAY_SECONDS = 86_400;

function checkPositiveSeconds(value: number, label: string, option: string, contextKey: string): void {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_DELAY_SECONDS) return;
  const problem = typeof value === 'number' && value > MAX_DELAY_SECONDS ? `must be at most ${MAX_DELAY_SECONDS} s` : 'must be positive';
  throw invalid(
    `${label} timeout ${problem} (got ${String(value)}). Fix: set ${option} to a number of seconds greater than 0 ` +
      `and at most ${MAX_DELAY_SECONDS}.`,
    { [contextKey]: value, validation_type: 'timeout' },
  );
}

/**
 * Checks a configuration in the contract's order (TLS files cert → key → CA, ACL pair, timeouts
 * (> 0, ≤ one day), retries (and a longest back-off ≤ one day), then TLS version and cipher list); the first failure throws a `ConfigurationError`
 * with `context.validation_type`. TLS paths are only checked when TLS is on.
 */
export function validateSecurityValues(values: SecurityConfigValues, fileExists: (path: string) => boolean): void {
  if (values.useTls) {
    checkTlsFile(values.tlsCertPath, fileExists, 'TLS certificate', 'tlsCertPath', 'REDIS_TLS_CERT_PATH', 'cert_path', 'tls_cert');
    checkTlsFile(values.tlsKeyPath, fileExists, 'TLS key', 'tlsKeyPath', 'REDIS_TLS_KEY_PATH', 'key_path', 'tls_key');
    checkTlsFile(values.tlsCaPath, fileExists, 'TLS CA', 'tlsCaPath', 'REDIS_TLS_CA_PATH', 'ca_path', 'tls_ca');
  }
  if (values.aclUsername !== null && values.aclPassword === null) {
    throw invalid(
      'ACL password is required when an ACL username is provided. Fix: set aclPassword (REDIS_ACL_PASSWORD) ' +
        'or remove aclUsername.',
      { acl_username: values.aclUsername, validation_type: 'acl_config' },
    );
  }
  checkPositiveSeconds(values.connectionTimeout, 'Connection', 'connectionTimeout', 'connection_timeout');
  checkPositiveSeconds(values.socketTimeout, 'Socket', 'socketTimeout', 'socket_timeout');
  if (!Number.isInteger(values.maxRetries) || values.maxRetries < 0) {
    throw invalid(
      `Max retries cannot be negative and must be a whole number (got ${String(values.maxRetries)}). ` +
        'Fix: set maxRetries to 0 or a positive integer.',
      { max_retries: values.maxRetries, validation_type: 'retry_config' },
    );
  }
  if (typeof values.retryDelay !== 'number' || !Number.isFinite(values.retryDelay) || values.retryDelay < 0) {
    throw invalid(
      `Retry delay cannot be negative (got ${String(values.retryDelay)}). Fix: set retryDelay to 0 or more seconds.`,
      { retry_delay: values.retryDelay, validation_type: 'retry_config' },
    );
  }
  const longestBackoff = values.maxRetries === 0 ? 0 : values.retryDelay * 2 ** (values.maxRetries - 1);
  if (longestBackoff > MAX_DELAY_SECONDS) {
    throw invalid(
      `Retry back-off too long: the last wait, retryDelay · 2^(maxRetries − 1) = ${longestBackoff} s, exceeds ` +
        `${MAX_DELAY_SECONDS} s. Fix: lower maxRetries or retryDelay.`,
      { max_retries: values.maxRetries, retry_delay: values.retryDelay, validation_type: 'retry_config' },
    );
  }
  if (!TLS_VERSIONS.includes(values.minTlsVersion)) {
    throw invalid(
      `Unsupported minimum TLS version ${JSON.stringify(values.minTlsVersion)}. Fix: set minTlsVersion to ` +
        `${TLS_VERSIONS.map((v) => `'${v}'`).join(' or ')}.`,
      { min_tls_version: values.minTlsVersion, validation_type: 'tls_version' },
    );
  }
  if (
    values.cipherSuites !== null &&
    (!Array.isArray(values.cipherSuites) || values.cipherSuites.some((c: unknown) => typeof c !== 'string' || c.trim() === ''))
  ) {
    throw invalid(
      'cipherSuites must be a list of non-empty OpenSSL cipher names. Fix: pass e.g. ' +
        "['TLS_AES_256_GCM_SHA384'] or leave it unset for Node's defaults.",
      { validation_type: 'tls_ciphers' },
    );
  }
}
