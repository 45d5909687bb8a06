import type { SecurityConfigValues } from './config-validation.js';

/** Advice that applies to every deployment, appended after the items about missing safeguards. */
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

/** What the configuration alone cannot tell. */
export interface RecommendationContext {
  /** Cached values are encrypted before they reach Redis. */
  readonly valuesEncrypted: boolean;
}

/**
 * Actionable recommendations, one per missing safeguard, then six baseline items:
 * - authentication: enable it (ACL user preferred) when absent; with only the shared AUTH password, move to a
 *   dedicated ACL user (noting a password shorter than 16 characters); with an ACL user, strengthen a short AUTH
 *   password if one is also set;
 * - transport: enable TLS when off, else certificate verification when off;
 * - values: encrypt them when they are not.
 * A strictly more secure configuration never gets more items (nothing in place 9; TLS + verification + ACL user +
 * encrypted values 6).
 */
export function securityRecommendations(
  config: SecurityConfigValues & { readonly hasAuthentication: boolean },
  context: RecommendationContext,
): string[] {
  const items: string[] = [];
  const shortPassword = config.redisAuth !== null && config.redisAuth.length < RECOMMENDED_PASSWORD_LENGTH;
  if (!config.hasAuthentication) {
    items.push(
      'Enable Redis authentication, preferably a dedicated ACL user (REDIS_ACL_USERNAME + REDIS_ACL_PASSWORD), else a password (REDIS_AUTH)',
    );
  } else if (config.aclUsername === null) {
    items.push(
      'Use a dedicated ACL user (REDIS_ACL_USERNAME + REDIS_ACL_PASSWORD) limited to the commands and keys the cache needs, instead of the shared default-user password' +
        (shortPassword ? `; the current password is also shorter than ${RECOMMENDED_PASSWORD_LENGTH} characters` : ''),
    );
  } else if (shortPassword) {
    items.push(`Use a stronger REDIS_AUTH password of at least ${RECOMMENDED_PASSWORD_LENGTH} characters mixing letters, digits and symbols`);
  }
  if (!config.useTls) items.push('Enable TLS encryption to protect data in transit (useTls: true, rediss://)');
  else if (!config.verifyCertificates) {
    items.push('Enable certificate verification (verifyCertificates: true) to prevent man-in-the-middle attacks');
  }
  if (!context.valuesEncrypted) {
    items.push('Encrypt cached values (set REDIS_ENCRYPTION_KEY) so that Redis, its backups and replicas never hold them in plain text');
  }
  items.push(...BASELINE);
  return items;
}
