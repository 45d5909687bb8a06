import fc from 'fast-check';
import { silentLogger } from '@cache/core';
import { describe, expect, it } from 'vitest';
import { CRITICAL_VULNERABILITIES, SecurityConfig, SecurityValidationResult } from '../src/index.js';
import type { SecurityConfigOptions, SecurityValidationResultInit } from '../src/index.js';
import { everyFileExists } from './support.js';

const base: SecurityValidationResultInit = { authConfigured: false, tlsEnabled: false, aclEnabled: false, certificateValid: false };
const result = (init: Partial<SecurityValidationResultInit>) => new SecurityValidationResult({ ...base, ...init });
const score = (init: Partial<SecurityValidationResultInit>): number => result(init).securityScore;

/** TLS + verification + authentication: the configuration level HIGH. */
const high = { tlsEnabled: true, verifyCertificates: true, authConfigured: true, certificateValid: true, connectionEncrypted: true };

describe('SecurityValidationResult score: the band is the configuration level', () => {
  it('TLS + verification + ACL user + encrypted values scores 95, level HIGH, secure (it scored 70 "MEDIUM" before)', () => {
    const r = result({ ...high, aclEnabled: true, valuesEncrypted: true });
    expect(r.securityScore).toBe(95);
    expect(r.securityLevel).toBe('HIGH');
    expect(r.isSecure).toBe(true);
    expect(r.getSecuritySummary()).toBe('Security Status: SECURE (Score: 95/100, Level: HIGH)');
  });

  it('starts each band at its floor: HIGH 80, MEDIUM 60 (TLS or authentication), LOW 0', () => {
    expect(score(high)).toBe(80);
    expect(score({ tlsEnabled: true, verifyCertificates: true })).toBe(60);
    expect(score({ tlsEnabled: true, authConfigured: true })).toBe(60);
    expect(score({ authConfigured: true })).toBe(60);
    expect(score({ tlsEnabled: true })).toBe(60);
    expect(score({})).toBe(0);
    expect(score({ verifyCertificates: true, authConfigured: true })).toBe(60);
  });

  it('adds ACL +5 (only with authentication), encrypted values +10, a certificate valid > 30 days +5 (only with TLS)', () => {
    expect(score({ ...high, aclEnabled: true })).toBe(85);
    expect(score({ aclEnabled: true })).toBe(0);
    expect(score({ ...high, valuesEncrypted: true })).toBe(90);
    expect(score({ valuesEncrypted: true })).toBe(10);
    expect(score({ ...high, certificateExpiryDays: 31 })).toBe(85);
    expect(score({ ...high, certificateExpiryDays: 30 })).toBe(80);
    expect(score({ ...high, certificateExpiryDays: null })).toBe(80);
    expect(score({ authConfigured: true, certificateExpiryDays: 400 })).toBe(60);
    expect(score({ ...high, aclEnabled: true, valuesEncrypted: true, certificateExpiryDays: 400 })).toBe(100);
  });

  it('keeps a MEDIUM score below 80 whatever the extras', () => {
    const all = { aclEnabled: true, valuesEncrypted: true, certificateExpiryDays: 400 };
    expect(score({ ...high, verifyCertificates: false, ...all })).toBe(79);
    expect(result({ tlsEnabled: true, verifyCertificates: true, ...all }).securityLevel).toBe('MEDIUM');
  });
});

describe('SecurityValidationResult score: findings', () => {
  it('a missing safeguard listed as a vulnerability costs nothing more: the band already reflects it', () => {
    expect(score({ authConfigured: true, vulnerabilities: ['Unencrypted connection: commands, data and credentials travel in plain text'] })).toBe(60);
    expect(score({ tlsEnabled: true, authConfigured: true, vulnerabilities: ['Certificate verification disabled: man-in-the-middle'] })).toBe(60);
  });

  it('each other finding costs 5, at most 15, and can lower the level', () => {
    const full = { ...high, aclEnabled: true, valuesEncrypted: true };
    expect(score({ ...full, vulnerabilities: ['Weak password'] })).toBe(90);
    expect(score({ ...full, vulnerabilities: ['a', 'b', 'c'] })).toBe(80);
    expect(score({ ...full, vulnerabilities: ['a', 'b', 'c', 'd', 'e'] })).toBe(80);
    const weak = result({ ...high, vulnerabilities: ['Weak password: the Redis AUTH password is shorter than 12 characters'] });
    expect([weak.securityScore, weak.securityLevel, weak.isSecure]).toEqual([75, 'MEDIUM', false]);
    expect(score({ valuesEncrypted: true, vulnerabilities: ['a', 'b', 'c'] })).toBe(0);
  });

  it('a critical vulnerability keeps the score below 80, so the result is insecure', () => {
    const full = { ...high, aclEnabled: true, valuesEncrypted: true };
    for (const critical of CRITICAL_VULNERABILITIES) {
      const r = result({ ...full, vulnerabilities: [`${critical}: detail`] });
      expect(r.securityScore).toBeLessThan(80);
      expect(r.isSecure).toBe(false);
    }
  });

  it('keeps a given non-zero score; 0 means "compute"', () => {
    expect(score({ securityScore: 42 })).toBe(42);
    expect(score({ securityScore: 0, authConfigured: true })).toBe(60);
  });
});

describe('SecurityValidationResult score agrees with the configuration level (property)', () => {
  const facts = fc.record({
    useTls: fc.boolean(),
    verifyCertificates: fc.boolean(),
    auth: fc.constantFrom('none', 'password', 'acl'),
    valuesEncrypted: fc.boolean(),
    certificateExpiryDays: fc.option(fc.integer({ min: -10, max: 400 })),
    findings: fc.array(fc.string({ minLength: 1 }).map((s) => `finding ${s}`), { maxLength: 5 }),
  });
  const configOf = (f: { useTls: boolean; verifyCertificates: boolean; auth: string }): SecurityConfig => {
    const options: SecurityConfigOptions = { useTls: f.useTls, verifyCertificates: f.verifyCertificates };
    if (f.auth === 'password') options.redisAuth = 'a-long-enough-password';
    if (f.auth === 'acl') Object.assign(options, { aclUsername: 'app', aclPassword: 'app-password' });
    return new SecurityConfig(options, { env: {}, logger: silentLogger, fileExists: everyFileExists });
  };

  it('without findings the level equals the config level; findings only ever lower it; secure ⟺ HIGH', () => {
    const rank = { LOW: 0, MEDIUM: 1, HIGH: 2 } as const;
    fc.assert(
      fc.property(facts, (f) => {
        const config = configOf(f);
        const init: SecurityValidationResultInit = {
          authConfigured: config.hasAuthentication,
          tlsEnabled: config.useTls,
          aclEnabled: config.aclUsername !== null,
          certificateValid: true,
          verifyCertificates: config.useTls && config.verifyCertificates,
          valuesEncrypted: f.valuesEncrypted,
          certificateExpiryDays: f.certificateExpiryDays,
        };
        const clean = new SecurityValidationResult(init);
        expect(clean.securityLevel).toBe(config.securityLevel);
        const found = new SecurityValidationResult({ ...init, vulnerabilities: f.findings });
        expect(found.securityScore).toBeLessThanOrEqual(clean.securityScore);
        expect(found.securityScore).toBeGreaterThanOrEqual(clean.securityScore - 15);
        expect(rank[found.securityLevel]).toBeLessThanOrEqual(rank[config.securityLevel]);
        expect(found.isSecure).toBe(found.securityScore >= 80);
      }),
    );
  });
});

describe('SecurityValidationResult isSecure', () => {
  it('needs a score in the HIGH band (at least 80)', () => {
    expect(new SecurityValidationResult({ ...base, securityScore: 80 }).isSecure).toBe(true);
    expect(new SecurityValidationResult({ ...base, securityScore: 79 }).isSecure).toBe(false);
  });

  it('is false with any critical vulnerability, exact or as a prefix, whatever the score', () => {
    expect(CRITICAL_VULNERABILITIES).toEqual([
      'No authentication configured',
      'Unencrypted connection in production',
      'Invalid or expired certificates',
      'Weak cipher suites',
      'Security validation failed',
      'Connection failure',
      'Authentication validation failed',
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
    const r = new SecurityValidationResult({ ...base, vulnerabilities: ['x'], detailedChecks: { connectivity: 'OK' } });
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.vulnerabilities)).toBe(true);
    expect(Object.isFrozen(r.detailedChecks)).toBe(true);
  });
});

describe('getSecuritySummary', () => {
  it('starts with status, score and score level, then counted sections', () => {
    const r = new SecurityValidationResult({
      ...base,
      securityScore: 65,
      vulnerabilities: ['Weak password', 'Certificate verification disabled'],
      recommendations: ['Enable TLS'],
    });
    const lines = r.getSecuritySummary().split('\n');
    expect(lines[0]).toBe('Security Status: INSECURE (Score: 65/100, Level: MEDIUM)');
    expect(lines).toContain('Vulnerabilities (2):');
    expect(lines).toContain('Recommendations (1):');
    expect(lines.filter((l) => l.startsWith('  • '))).toHaveLength(3);
  });

  it.each([
    [95, 'SECURE', 'HIGH'],
    [80, 'SECURE', 'HIGH'],
    [79, 'INSECURE', 'MEDIUM'],
    [60, 'INSECURE', 'MEDIUM'],
    [59, 'INSECURE', 'LOW'],
  ])('score %i → %s, level %s, no empty sections', (s, status, level) => {
    const summary = new SecurityValidationResult({ ...base, securityScore: s }).getSecuritySummary();
    expect(summary).toBe(`Security Status: ${status} (Score: ${s}/100, Level: ${level})`);
  });
});
