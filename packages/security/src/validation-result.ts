import { LEVEL_FLOOR, levelOfScore, securityLevelOf } from './security-level.js';
import type { SecurityLevel } from './security-options.js';

/**
 * Findings that make a result insecure whatever else it has (matched exactly or as a prefix): they keep its score
 * below the HIGH band. A connection whose checks could not run counts as unproven, hence insecure.
 */
export const CRITICAL_VULNERABILITIES: readonly string[] = Object.freeze([
  'No authentication configured',
  'Unencrypted connection in production',
  'Invalid or expired certificates',
  'Weak cipher suites',
  'Security validation failed',
  'Connection failure',
  'Authentication validation failed',
]);

/**
 * Findings that restate a missing safeguard (matched as a prefix). The score's band already reflects the missing
 * safeguard, so these cost no further points.
 */
const MISSING_SAFEGUARDS: readonly string[] = ['No authentication configured', 'Unencrypted connection', 'Certificate verification disabled'];

/** How a connection was authenticated. */
export type AuthMethod = 'ACL' | 'AUTH';

/** Inputs of a {@link SecurityValidationResult}; lists default to empty, booleans to `false`, `securityScore` to computed. */
export interface SecurityValidationResultInit {
  authConfigured: boolean;
  tlsEnabled: boolean;
  aclEnabled: boolean;
  certificateValid: boolean;
  /** The server certificate and host name are verified. */
  verifyCertificates?: boolean;
  /** Cached values are encrypted before they reach Redis. */
  valuesEncrypted?: boolean;
  vulnerabilities?: readonly string[];
  recommendations?: readonly string[];
  warnings?: readonly string[];
  /** Kept when non-zero; absent or 0 → computed from the other fields. */
  securityScore?: number;
  detailedChecks?: Readonly<Record<string, string>>;
  connectionEncrypted?: boolean;
  authMethod?: AuthMethod | null;
  tlsVersion?: string | null;
  cipherSuite?: string | null;
  certificateExpiryDays?: number | null;
}

const BAND_TOP: Readonly<Record<SecurityLevel, number>> = Object.freeze({ HIGH: 100, MEDIUM: LEVEL_FLOOR.HIGH - 1, LOW: LEVEL_FLOOR.MEDIUM - 1 });
const ACL_BONUS = 5;
const ENCRYPTION_BONUS = 10;
const CERTIFICATE_LIFETIME_BONUS = 5;
const FINDING_PENALTY = 5;
const MAX_PENALTY = 15;

const matches = (list: readonly string[], v: string): boolean => list.some((c) => v === c || v.startsWith(c));

function computeScore(init: SecurityValidationResultInit, vulnerabilities: readonly string[]): number {
  const level = securityLevelOf({
    tls: init.tlsEnabled,
    verifyCertificates: init.verifyCertificates === true,
    authenticated: init.authConfigured,
  });
  let extras = 0;
  if (init.authConfigured && init.aclEnabled) extras += ACL_BONUS;
  if (init.valuesEncrypted === true) extras += ENCRYPTION_BONUS;
  const days = init.certificateExpiryDays;
  if (init.tlsEnabled && typeof days === 'number' && days > 30) extras += CERTIFICATE_LIFETIME_BONUS;
  let score = Math.min(LEVEL_FLOOR[level] + extras, BAND_TOP[level]);
  const findings = vulnerabilities.filter((v) => !matches(MISSING_SAFEGUARDS, v)).length;
  score -= Math.min(FINDING_PENALTY * findings, MAX_PENALTY);
  if (vulnerabilities.some((v) => matches(CRITICAL_VULNERABILITIES, v))) score = Math.min(score, BAND_TOP.MEDIUM);
  return Math.max(0, Math.min(100, score));
}

/**
 * The immutable outcome of a security validation, scored 0..100 so that the score's level agrees with the
 * configuration's level ({@link SecurityConfig.securityLevel}) whenever the validation finds nothing else:
 * - band: TLS + certificate verification + authentication start at 80 (HIGH); TLS or authentication at 60
 *   (MEDIUM); neither at 0 (LOW);
 * - inside the band: an ACL user +5, encrypted values +10, a server certificate known to be valid for more than
 *   30 days +5 (a MEDIUM score stays below 80, a LOW one below 60);
 * - each finding other than a missing safeguard (a weak password, a missing certificate file, …) costs 5, at
 *   most 15 in all, and may lower the level; a critical vulnerability keeps the score below 80.
 * So TLS + verification + an ACL user + encrypted values score 95 (HIGH). `isSecure` = HIGH band and no critical
 * vulnerability.
 */
export class SecurityValidationResult {
  /** Score in the HIGH band (≥ 80) and no vulnerability in {@link CRITICAL_VULNERABILITIES}. */
  readonly isSecure: boolean;
  /** 0..100. */
  readonly securityScore: number;
  /** The level of {@link securityScore}: ≥ 80 HIGH, ≥ 60 MEDIUM, else LOW. */
  readonly securityLevel: SecurityLevel;
  /** Authentication is configured. */
  readonly authConfigured: boolean;
  /** TLS is enabled. */
  readonly tlsEnabled: boolean;
  /** ACL authentication is configured. */
  readonly aclEnabled: boolean;
  /** No configured certificate file is missing. */
  readonly certificateValid: boolean;
  /** The server certificate and host name are verified. */
  readonly verifyCertificates: boolean;
  /** Cached values are encrypted before they reach Redis. */
  readonly valuesEncrypted: boolean;
  /** Findings that lower the score, each once. */
  readonly vulnerabilities: readonly string[];
  /** Actions that would improve security. */
  readonly recommendations: readonly string[];
  /** Non-scoring observations. */
  readonly warnings: readonly string[];
  /** Per-check outcome (`connectivity`, `authentication`, `encryption`, `certificates`). */
  readonly detailedChecks: Readonly<Record<string, string>>;
  /** The connection is encrypted. */
  readonly connectionEncrypted: boolean;
  /** How the client authenticated, or `null`. */
  readonly authMethod: AuthMethod | null;
  /** TLS version, or `null`. */
  readonly tlsVersion: string | null;
  /** Negotiated cipher, or `null`. */
  readonly cipherSuite: string | null;
  /** Days until the server certificate expires, or `null` when unknown. */
  readonly certificateExpiryDays: number | null;

  /** Builds a result; a non-zero `securityScore` is kept, otherwise the score is computed. */
  constructor(init: SecurityValidationResultInit) {
    this.authConfigured = init.authConfigured;
    this.tlsEnabled = init.tlsEnabled;
    this.aclEnabled = init.aclEnabled;
    this.certificateValid = init.certificateValid;
    this.verifyCertificates = init.verifyCertificates === true;
    this.valuesEncrypted = init.valuesEncrypted === true;
    this.vulnerabilities = Object.freeze([...(init.vulnerabilities ?? [])]);
    this.recommendations = Object.freeze([...(init.recommendations ?? [])]);
    this.warnings = Object.freeze([...(init.warnings ?? [])]);
    this.detailedChecks = Object.freeze({ ...(init.detailedChecks ?? {}) });
    this.connectionEncrypted = init.connectionEncrypted ?? false;
    this.authMethod = init.authMethod ?? null;
    this.tlsVersion = init.tlsVersion ?? null;
    this.cipherSuite = init.cipherSuite ?? null;
    this.certificateExpiryDays = init.certificateExpiryDays ?? null;
    this.securityScore = init.securityScore ? init.securityScore : computeScore(init, this.vulnerabilities);
    this.securityLevel = levelOfScore(this.securityScore);
    const critical = this.vulnerabilities.some((v) => matches(CRITICAL_VULNERABILITIES, v));
    this.isSecure = this.securityLevel === 'HIGH' && !critical;
    Object.freeze(this);
  }

  /** `Security Status: SECURE|INSECURE (Score: N/100, Level: …)` plus counted vulnerability and recommendation lists. */
  getSecuritySummary(): string {
    const lines = [
      `Security Status: ${this.isSecure ? 'SECURE' : 'INSECURE'} (Score: ${this.securityScore}/100, Level: ${this.securityLevel})`,
    ];
    if (this.vulnerabilities.length > 0) {
      lines.push('', `Vulnerabilities (${this.vulnerabilities.length}):`, ...this.vulnerabilities.map((v) => `  • ${v}`));
    }
    if (this.recommendations.length > 0) {
      lines.push('', `Recommendations (${this.recommendations.length}):`, ...this.recommendations.map((r) => `  • ${r}`));
    }
    return lines.join('\n');
  }
}
