import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CRITICAL_VULNERABILITIES, SecurityValidationResult } from '../src/index.js';
import type { SecurityValidationResultInit } from '../src/index.js';

const base: SecurityValidationResultInit = { authConfigured: false, tlsEnabled: false, aclEnabled: false, certificateValid: false };
const score = (init: Partial<SecurityValidationResultInit>): number => new SecurityValidationResult({ ...base, ...init }).securityScore;

describe('SecurityValidationResult score', () => {
  it('auth +20, ACL +10 more (only with auth)', () => {
    expect(score({})).toBe(0);
    expect(score({ authConfigured: true })).toBe(20);
    expect(score({ authConfigured: true, aclEnabled: true })).toBe(30);
    expect(score({ aclEnabled: true })).toBe(0);
  });

  it('TLS +25; valid certificate +10 and encrypted connection +5 only with TLS', () => {
    expect(score({ tlsEnabled: true })).toBe(25);
    expect(score({ tlsEnabled: true, certificateValid: true, connectionEncrypted: true })).toBe(40);
    expect(score({ certificateValid: true, connectionEncrypted: true })).toBe(0);
  });

  it.each([
    [365, 15],
    [91, 15],
    [90, 10],
    [31, 10],
    [30, 5],
    [8, 5],
    [7, 0],
    [-3, 0],
  ])('certificate expiry in %i days adds %i', (days, bonus) => {
    expect(score({ certificateExpiryDays: days })).toBe(bonus);
    expect(score({ certificateExpiryDays: null })).toBe(0);
  });

  it('each vulnerability costs 5, capped at 15, clamped at 0', () => {
    const full = { authConfigured: true, aclEnabled: true, tlsEnabled: true, certificateValid: true, connectionEncrypted: true };
    expect(score(full)).toBe(70);
    expect(score({ ...full, vulnerabilities: ['a'] })).toBe(65);
    expect(score({ ...full, vulnerabilities: ['a', 'b', 'c'] })).toBe(55);
    expect(score({ ...full, vulnerabilities: ['a', 'b', 'c', 'd', 'e'] })).toBe(55);
    expect(score({ authConfigured: true, vulnerabilities: ['a', 'b', 'c', 'd'] })).toBe(5);
    expect(score({ vulnerabilities: ['a'] })).toBe(0);
  });

  it('clamps at 100 and keeps a given non-zero score; 0 means "compute"', () => {
    const max = { authConfigured: true, aclEnabled: true, tlsEnabled: true, certificateValid: true, connectionEncrypted: true, certificateExpiryDays: 400 };
    expect(score(max)).toBe(85);
    expect(score({ securityScore: 42 })).toBe(42);
    expect(score({ securityScore: 0, authConfigured: true })).toBe(20);
  });

  it('matches the reference model for any input (property)', () => {
    const init = fc.record({
      authConfigured: fc.boolean(),
      tlsEnabled: fc.boolean(),
      aclEnabled: fc.boolean(),
      certificateValid: fc.boolean(),
      connectionEncrypted: fc.boolean(),
      certificateExpiryDays: fc.option(fc.integer({ min: -10, max: 400 })),
      vulnerabilities: fc.array(fc.string({ minLength: 1 }).map((s) => `finding ${s}`), { maxLength: 6 }),
    });
    fc.assert(
      fc.property(init, (i) => {
        let expected = (i.authConfigured ? 20 + (i.aclEnabled ? 10 : 0) : 0) + (i.tlsEnabled ? 25 + (i.certificateValid ? 10 : 0) + (i.connectionEncrypted ? 5 : 0) : 0);
        const d = i.certificateExpiryDays;
        if (d !== null) expected += d > 90 ? 15 : d > 30 ? 10 : d > 7 ? 5 : 0;
        expected = Math.max(0, Math.min(100, expected - Math.min(15, 5 * i.vulnerabilities.length)));
        const result = new SecurityValidationResult(i);
        expect(result.securityScore).toBe(expected);
        expect(result.isSecure).toBe(expected >= 70);
      }),
    );
  });
});

describe('SecurityValidationResult isSecure', () => {
  it('needs a score of at least 70', () => {
    expect(new SecurityValidationResult({ ...base, securityScore: 70 }).isSecure).toBe(true);
    expect(new SecurityValidationResult({ ...base, securityScore: 69 }).isSecure).toBe(false);
  });

  it('is false with any critical vulnerability, exact or as a prefix, whatever the score', () => {
    expect(CRITICAL_VULNERABILITIES).toEqual([
      'No authentication configured',
      'Unencrypted connection in production',
      'Invalid or expired certificates',
      'Weak cipher suites',
    ]);
    for (const critical of CRITICAL_VULNERABILITIES) {
      expect(new SecurityValidationResult({ ...base, securityScore: 100, vulnerabilities: [critical] }).isSecure).toBe(false);
      expect(new SecurityValidationResult({ ...base, securityScore: 100, vulnerabilities: [`${critical}: detail`] }).isSecure).toBe(false);
    }
    expect(new SecurityValidationResult({ ...base, securityScore: 100, vulnerabilities: ['Slow log disabled'] }).isSecure).toBe(true);
  });

  it('ignores an isSecure passed in', () => {
    const init = { ...base, isSecure: true } as SecurityValidationResultInit;
    expect(new SecurityValidationResult(init).isSecure).toBe(false);
  });

  it('is immutable, lists included', () => {
    const result = new SecurityValidationResult({ ...base, vulnerabilities: ['x'], detailedChecks: { connectivity: 'OK' } });
    expect(Object.isFrozen(result)).toBe(true);
    expect(Object.isFrozen(result.vulnerabilities)).toBe(true);
    expect(Object.isFrozen(result.detailedChecks)).toBe(true);
  });
});

describe('getSecuritySummary', () => {
  it('starts with status, score and score level, then counted sections', () => {
    const result = new SecurityValidationResult({
      ...base,
      securityScore: 65,
      vulnerabilities: ['Weak password', 'Certificate verification disabled'],
      recommendations: ['Enable TLS'],
    });
    const lines = result.getSecuritySummary().split('\n');
    expect(lines[0]).toBe('Security Status: INSECURE (Score: 65/100, Level: MEDIUM)');
    expect(lines).toContain('Vulnerabilities (2):');
    expect(lines).toContain('Recommendations (1):');
    expect(lines.filter((l) => l.startsWith('  • '))).toHaveLength(3);
  });

  it.each([
    [85, 'SECURE', 'HIGH'],
    [80, 'SECURE', 'HIGH'],
    [79, 'SECURE', 'MEDIUM'],
    [60, 'INSECURE', 'MEDIUM'],
    [59, 'INSECURE', 'LOW'],
  ])('score %i → %s, level %s, no empty sections', (s, status, level) => {
    const summary = new SecurityValidationResult({ ...base, securityScore: s }).getSecuritySummary();
    expect(summary).toBe(`Security Status: ${status} (Score: ${s}/100, Level: ${level})`);
  });
});
