import type { SecurityLevel } from './security-options.js';

/** Findings that make a result insecure whatever its score (matched exactly or as a prefix). */
export const CRITICAL_VULNERABILITIES: readonly string[] = Object.freeze([
  'No authentication configured',
  'Unencrypted connection in production',
  'Invalid or expired certificates',
  'Weak cipher suites',
]);

/** How a connection was authenticated. */
export type AuthMethod = 'ACL' | 'AUTH';

/** Inputs of a {@link SecurityValidationResult}; lists default to empty, `securityScore` to computed. */
export interface SecurityValidationResultInit {
  authConfigured: boolean;
  tlsEnabled: boolean;
  aclEnabled: boolean;
  certificateValid: boolean;
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

const MAX_PENALTY = 15;

function computeScore(init: SecurityValidationResultInit, vulnerabilityCount: number): number {
  let score = 0;
  if (init.authConfigured) score += 20;
  if (init.authConfigured && init.aclEnabled) score += 10;
  if (init.tlsEnabled) {
    score += 25;
    if (init.certificateValid) score += 10;
    if (init.connectionEncrypted) score += 5;
  }
  const days = init.certificateExpiryDays;
  if (typeof days === 'number') {
    if (days > 90) score += 15;
    else if (days > 30) score += 10;
    else if (days > 7) score += 5;
  }
  score -= Math.min(5 * vulnerabilityCount, MAX_PENALTY);
  return Math.max(0, Math.min(100, score));
}

/** Level of a score: ≥ 80 HIGH, ≥ 60 MEDIUM, else LOW. */
function levelOfScore(score: number): SecurityLevel {
  if (score >= 80) return 'HIGH';
  if (score >= 60) return 'MEDIUM';
  return 'LOW';
}

/**
 * The immutable outcome of a security validation. Score: auth +20 (+10 with ACL), TLS +25 and,
 * only with TLS, valid certificate +10 and encrypted connection +5; certificate expiry > 90 / 30
 * / 7 days +15 / +10 / +5; −5 per vulnerability (at most −15); clamped to 0..100. `isSecure` =
 * score ≥ 70 and no critical vulnerability.
 */
export class SecurityValidationResult {
  /** Score ≥ 70 and no vulnerability in {@link CRITICAL_VULNERABILITIES}. */
  readonly isSecure: boolean;
  /** 0..100. */
  readonly securityScore: number;
  /** Authentication is configured. */
  readonly authConfigured: boolean;
  /** TLS is enabled. */
  readonly tlsEnabled: boolean;
  /** ACL authentication is configured. */
  readonly aclEnabled: boolean;
  /** No configured certificate file is missing. */
  readonly certificateValid: boolean;
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
    this.vulnerabilities = Object.freeze([...(init.vulnerabilities ?? [])]);
    this.recommendations = Object.freeze([...(init.recommendations ?? [])]);
    this.warnings = Object.freeze([...(init.warnings ?? [])]);
    this.detailedChecks = Object.freeze({ ...(init.detailedChecks ?? {}) });
    this.connectionEncrypted = init.connectionEncrypted ?? false;
    this.authMethod = init.authMethod ?? null;
    this.tlsVersion = init.tlsVersion ?? null;
    this.cipherSuite = init.cipherSuite ?? null;
    this.certificateExpiryDays = init.certificateExpiryDays ?? null;
    this.securityScore = init.securityScore ? init.securityScore : computeScore(init, this.vulnerabilities.length);
    const critical = this.vulnerabilities.some((v) => CRITICAL_VULNERABILITIES.some((c) => v === c || v.startsWith(c)));
    this.isSecure = this.securityScore >= 70 && !critical;
    Object.freeze(this);
  }

  /** `Security Status: SECURE|INSECURE (Score: N/100, Level: …)` plus counted vulnerability and recommendation lists. */
  getSecuritySummary(): string {
    const lines = [
      `Security Status: ${this.isSecure ? 'SECURE' : 'INSECURE'} (Score: ${this.securityScore}/100, Level: ${levelOfScore(this.securityScore)})`,
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
