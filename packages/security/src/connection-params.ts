import type { SecurityConfigValues } from './config-validation.js';
import type { SecureConnectionParams, SecureTlsParams } from './redis-connector.js';
import type { TlsMaterial } from './tls-material.js';

/** Default Redis URL when none is given. */
export const DEFAULT_REDIS_URL = 'redis://localhost:6379';

const acceptAnyServerIdentity = (): undefined => undefined;

/**
 * Turns a configuration into client parameters: timeouts in ms; ACL user + password when both
 * are set, else the AUTH password; with TLS a `redis://` URL becomes `rediss://` and the TLS
 * options carry verification, minimum version, ciphers and the loaded PEM material.
 */
export function buildSecureConnectionParams(
  config: SecurityConfigValues,
  material: TlsMaterial,
  redisUrl: string = DEFAULT_REDIS_URL,
): SecureConnectionParams {
  const params: SecureConnectionParams = {
    url: redisUrl,
    connectTimeout: config.connectionTimeout * 1000,
    commandTimeout: config.socketTimeout * 1000,
  };
  if (config.aclUsername !== null && config.aclPassword !== null) {
    params.username = config.aclUsername;
    params.password = config.aclPassword;
  } else if (config.redisAuth !== null) {
    params.password = config.redisAuth;
  }
  if (!config.useTls) return params;
  if (redisUrl.startsWith('redis://')) params.url = redisUrl.replace('redis://', 'rediss://');
  const tls: SecureTlsParams = { rejectUnauthorized: config.verifyCertificates, minVersion: config.minTlsVersion };
  if (!config.verifyCertificates) tls.checkServerIdentity = acceptAnyServerIdentity;
  if (config.cipherSuites !== null && config.cipherSuites.length > 0) tls.ciphers = config.cipherSuites.join(':');
  if (material.cert) tls.cert = material.cert;
  if (material.key) tls.key = material.key;
  if (material.ca) tls.ca = material.ca;
  params.tls = tls;
  return params;
}
