import type { SecurityConfigValues } from './config-validation.js';

/** Advice that applies to every deployment, appended after the conditional items. */
const BASELINE: readonly string[] = Object.freeze([
  'Deploy Redis on a private network or behind a VPN, never on a public interface',
  'Restrict access to the Redis port with firewall rules that allow only application hosts',
  'Monitor the Redis slow log for unusual or expensive commands',
  'Monitor and alert on failed authentication attempts',
  'Rotate Redis passwords and TLS certificates regularly',
  'Use Redis Sentinel (or a managed failover) for high availability',
]);

/** AUTH passwords shorter than this get a "use a stronger password" recommendation. */
const RECOMMENDED_PASSWORD_LENGTH = 16;

/**
 * Actionable recommendations for a configuration: enable authentication, TLS and certificate
 * verification when missing, strengthen a short AUTH password, then six baseline items. A
 * strictly more secure configuration never gets more items (insecure 8, full TLS+ACL+verify 6).
 */
export function securityRecommendations(config: SecurityConfigValues & { readonly hasAuthentication: boolean }): string[] {
  const items: string[] = [];
  if (!config.hasAuthentication) {
    items.push('Enable Redis authentication: set REDIS_AUTH or an ACL user (REDIS_ACL_USERNAME + REDIS_ACL_PASSWORD)');
  }
  if (!config.useTls) items.push('Enable TLS encryption to protect data in transit (useTls: true, rediss://)');
  else if (!config.verifyCertificates) {
    items.push('Enable certificate verification (verifyCertificates: true) to prevent man-in-the-middle attacks');
  }
  if (config.redisAuth !== null && config.redisAuth.length < RECOMMENDED_PASSWORD_LENGTH) {
    items.push(`Use a stronger password of at least ${RECOMMENDED_PASSWORD_LENGTH} characters mixing letters, digits and symbols`);
  }
  items.push(...BASELINE);
  return items;
}
