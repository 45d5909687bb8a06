import type { SecurityLevel } from './security-options.js';

/** The safeguards that decide a security level. */
export interface LevelSafeguards {
  /** The connection uses TLS. */
  readonly tls: boolean;
  /** The server certificate and host name are verified (meaningful only with TLS). */
  readonly verifyCertificates: boolean;
  /** The client authenticates (password or ACL user). */
  readonly authenticated: boolean;
}

/** Lowest score of each level; a score's level is the highest level whose floor it reaches. */
export const LEVEL_FLOOR: Readonly<Record<SecurityLevel, number>> = Object.freeze({ HIGH: 80, MEDIUM: 60, LOW: 0 });

/**
 * `HIGH` with TLS, certificate verification and authentication; `MEDIUM` with TLS or authentication;
 * else `LOW`. The one rule behind both a configuration's level and a validation score's band.
 */
export function securityLevelOf(s: LevelSafeguards): SecurityLevel {
  if (s.tls && s.verifyCertificates && s.authenticated) return 'HIGH';
  if (s.tls || s.authenticated) return 'MEDIUM';
  return 'LOW';
}

/** Level of a score: ≥ 80 HIGH, ≥ 60 MEDIUM, else LOW. */
export function levelOfScore(score: number): SecurityLevel {
  if (score >= LEVEL_FLOOR.HIGH) return 'HIGH';
  if (score >= LEVEL_FLOOR.MEDIUM) return 'MEDIUM';
  return 'LOW';
}
