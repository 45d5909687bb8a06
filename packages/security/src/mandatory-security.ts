import { ConfigurationError } from '@cache/core';
import type { EnvironmentInfo, Logger } from '@cache/core';

/** The parts of a configuration the mandatory rules look at. */
export interface MandatorySecuritySubject {
  readonly hasAuthentication: boolean;
  readonly useTls: boolean;
  readonly verifyCertificates: boolean;
}

type MandatoryCode = 'MANDATORY_AUTHENTICATION' | 'MANDATORY_TLS' | 'MANDATORY_CERT_VERIFICATION';

const FIXES: Readonly<Record<MandatoryCode, string>> = {
  MANDATORY_AUTHENTICATION:
    'Fix: set REDIS_AUTH (Redis password), or REDIS_ACL_USERNAME + REDIS_ACL_PASSWORD (ACL user), ' +
    'or build the config with SecurityConfig.createForEnvironment() after setting them.',
  MANDATORY_TLS:
    'Fix: set REDIS_TLS_ENABLED=true (useTls: true) with a CA file, or use SecurityConfig.createForEnvironment().',
  MANDATORY_CERT_VERIFICATION:
    'Fix: set REDIS_VERIFY_CERTIFICATES=true (verifyCertificates: true) and provide REDIS_TLS_CA_PATH, ' +
    'or use SecurityConfig.createForEnvironment().',
};

function mandatoryError(
  code: MandatoryCode,
  what: string,
  info: EnvironmentInfo,
  validationType: string,
  requirement: string,
): ConfigurationError {
  return new ConfigurationError(
    `SECURITY ERROR: ${what} is mandatory in the ${info.environment} environment ` +
      `(detected with confidence ${info.confidence}). ${FIXES[code]}`,
    {
      code,
      context: {
        environment: info.environment,
        confidence: info.confidence,
        validation_type: validationType,
        security_requirement: requirement,
      },
    },
  );
}

/**
 * Enforces the environment's mandatory requirements: authentication everywhere but testing, TLS
 * in production/staging, certificate verification in production. Unknown environments get only
 * the authentication rule. Success logs one info line naming the environment.
 */
export function assertMandatorySecurity(subject: MandatorySecuritySubject, info: EnvironmentInfo, logger: Logger): void {
  const env = info.environment;
  if (env !== 'testing' && !subject.hasAuthentication) {
    throw mandatoryError('MANDATORY_AUTHENTICATION', 'Redis authentication', info, 'mandatory_authentication', 'authentication_required');
  }
  if ((env === 'production' || env === 'staging') && !subject.useTls) {
    throw mandatoryError('MANDATORY_TLS', 'TLS encryption', info, 'mandatory_tls', 'tls_encryption_required');
  }
  if (env === 'production' && !subject.verifyCertificates) {
    throw mandatoryError(
      'MANDATORY_CERT_VERIFICATION',
      'TLS certificate verification',
      info,
      'mandatory_cert_verification',
      'certificate_verification_required',
    );
  }
  logger.info(`Mandatory Redis security requirements satisfied for the ${env} environment`, {
    environment: env,
    confidence: info.confidence,
  });
}

/** `rediss://…`, or `redis://…` carrying credentials (`@`), counts as a secure URL. */
function isSecureUrl(url: string): boolean {
  return url.startsWith('rediss://') || (url.startsWith('redis://') && url.includes('@'));
}

/**
 * In production/staging the Redis URL must be secure (see {@link isSecureUrl}); otherwise throws
 * `INSECURE_REDIS_URL` showing only `<scheme>://***`. Development and testing accept any URL.
 */
export function assertSecureRedisUrl(url: string, info: EnvironmentInfo): void {
  if (info.environment !== 'production' && info.environment !== 'staging') return;
  if (isSecureUrl(url)) return;
  const schemeEnd = url.indexOf('://');
  const scheme = schemeEnd > 0 ? url.slice(0, schemeEnd) : '';
  throw new ConfigurationError(
    `SECURITY ERROR: insecure Redis URL ${scheme || '<none>'}://*** in the ${info.environment} environment ` +
      `(detected with confidence ${info.confidence}). Fix: use rediss://host:port (TLS), or at least ` +
      'redis://user:password@host:port with credentials.',
    {
      code: 'INSECURE_REDIS_URL',
      context: {
        redis_url_scheme: scheme,
        environment: info.environment,
        confidence: info.confidence,
        validation_type: 'mandatory_secure_url',
        security_requirement: 'secure_connection_url',
      },
    },
  );
}
