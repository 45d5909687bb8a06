import fc from 'fast-check';
import { silentLogger } from '@cache/core';
import { describe, expect, it } from 'vitest';
import { RedisCacheSecurityManager, SecurityConfig, SecurityValidationResult } from '../src/index.js';
import type { RedisLikeClient, SecurityConfigOptions } from '../src/index.js';
import { captureLogger, everyFileExists } from './support.js';

const ACTION_VERBS = /^(Enable|Use|Deploy|Restrict|Monitor|Rotate|Configure|Encrypt)\b/;

function manager(options: SecurityConfigOptions, extra: ConstructorParameters<typeof RedisCacheSecurityManager>[1] = {}) {
  const config = new SecurityConfig(options, { env: {}, logger: silentLogger, fileExists: everyFileExists });
  return new RedisCacheSecurityManager(config, { logger: silentLogger, ...extra });
}

describe('getSecurityRecommendations', () => {
  it('counts 9 with nothing in place, 9 for a short password alone, 7 for TLS + ACL + verification, 6 with encrypted values too', () => {
    expect(manager({ useTls: false }).getSecurityRecommendations()).toHaveLength(9);
    expect(manager({ useTls: false, redisAuth: 'password123' }).getSecurityRecommendations()).toHaveLength(9);
    expect(manager({ aclUsername: 'app', aclPassword: 'acl-password-123' }).getSecurityRecommendations()).toHaveLength(7);
    expect(manager({ aclUsername: 'app', aclPassword: 'p', encryptionKey: 'k' }).getSecurityRecommendations()).toHaveLength(6);
    expect(manager({ aclUsername: 'app', aclPassword: 'p', redisAuth: 'a-sixteen-chars!' }, { valuesEncrypted: true }).getSecurityRecommendations()).toHaveLength(6);
  });

  it('names each missing safeguard first (authentication, transport, value encryption), then six baseline items', () => {
    const items = manager({ useTls: false }).getSecurityRecommendations();
    expect(items.slice(0, 3)).toEqual([
      expect.stringMatching(/^Enable Redis authentication, preferably a dedicated ACL user/),
      expect.stringMatching(/TLS.*data in transit/),
      expect.stringMatching(/^Encrypt cached values \(set REDIS_ENCRYPTION_KEY\)/),
    ]);
    expect(items.slice(3).join('\n')).toMatch(/private network[\s\S]*firewall[\s\S]*slow log[\s\S]*failed authentication[\s\S]*Rotate[\s\S]*Sentinel/);
  });

  it('is specific to what is missing: only the ACL user, only verification, only encryption, only a stronger password', () => {
    const specific = (options: SecurityConfigOptions, extra = {}) => manager(options, extra).getSecurityRecommendations().slice(0, -6);
    expect(specific({ redisAuth: 'a-long-enough-password', encryptionKey: 'k' })).toEqual([
      expect.stringMatching(/^Use a dedicated ACL user .* instead of the shared default-user password$/),
    ]);
    expect(specific({ redisAuth: 'short', encryptionKey: 'k' })).toEqual([
      expect.stringMatching(/^Use a dedicated ACL user .*; the current password is also shorter than 16 characters$/),
    ]);
    expect(specific({ aclUsername: 'app', aclPassword: 'p', verifyCertificates: false }, { valuesEncrypted: true })).toEqual([
      expect.stringMatching(/^Enable certificate verification/),
    ]);
    expect(specific({ aclUsername: 'app', aclPassword: 'p' })).toEqual([expect.stringMatching(/^Encrypt cached values/)]);
    expect(specific({ aclUsername: 'app', aclPassword: 'p', redisAuth: 'short', encryptionKey: 'k' })).toEqual([
      expect.stringMatching(/^Use a stronger REDIS_AUTH password of at least 16 characters/),
    ]);
    expect(specific({ aclUsername: 'app', aclPassword: 'p', encryptionKey: 'k' }, { valuesEncrypted: false })).toEqual([
      expect.stringMatching(/^Encrypt cached values/),
    ]);
  });

  it('every item is actionable: longer than 10 characters and starting with a verb', () => {
    for (const options of [{ useTls: false }, { verifyCertificates: false, redisAuth: 'x' }, { redisAuth: 'long-enough-password' }]) {
      for (const item of manager(options).getSecurityRecommendations()) {
        expect(item.length).toBeGreaterThan(10);
        expect(item).toMatch(ACTION_VERBS);
      }
    }
  });

  it('a strictly more secure config never gets more items (property)', () => {
    // Each chain is ordered from less to more secure. A short AUTH password beside an ACL user is a
    // weak credential, not an improvement, so it is not on the credentials chain.
    const credentials: SecurityConfigOptions[] = [
      {},
      { redisAuth: 'short-pw' },
      { redisAuth: 'a-long-sixteen-plus-password' },
      { aclUsername: 'app', aclPassword: 'acl-pw' },
      { aclUsername: 'app', aclPassword: 'acl-pw', redisAuth: 'a-long-sixteen-plus-password' },
    ];
    const transport: SecurityConfigOptions[] = [{ useTls: false }, { useTls: true, verifyCertificates: false }, { useTls: true }];
    const values: SecurityConfigOptions[] = [{}, { encryptionKey: 'k' }];
    const level = fc.tuple(fc.nat({ max: credentials.length - 1 }), fc.nat({ max: transport.length - 1 }), fc.nat({ max: values.length - 1 }));
    const count = ([c, t, v]: [number, number, number]): number =>
      manager({ ...credentials[c], ...transport[t], ...values[v] }).getSecurityRecommendations().length;
    fc.assert(
      fc.property(level, level, (a, b) => {
        const more: [number, number, number] = [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.max(a[2], b[2])];
        expect(count(more)).toBeLessThanOrEqual(count(a));
      }),
    );
  });
});

describe('generateSecurityReport', () => {
  const result = new SecurityValidationResult({
    authConfigured: true,
    tlsEnabled: true,
    verifyCertificates: true,
    aclEnabled: false,
    certificateValid: false,
    vulnerabilities: ['Certificate file not found: /certs/client.crt'],
    warnings: ['Connection timeout of 90 s is long'],
    recommendations: ['Enable certificate verification'],
    detailedChecks: { connectivity: 'OK', authentication: 'AUTH configured', encryption: 'TLS enabled (min version: TLSv1.2)', certificates: 'Invalid' },
    authMethod: 'AUTH',
    tlsVersion: 'TLSv1.2',
    connectionEncrypted: true,
  });

  it('without any validation returns the one-line hint', () => {
    const text = manager({}).generateSecurityReport();
    expect(text).toMatch(/no security validation data/i);
    expect(text).toContain('run validateConnectionSecurity() first');
    expect(text.split('\n')).toHaveLength(1);
  });

  it('has the rule, title, sections, markers and footer', () => {
    const text = manager({ redisAuth: 'long-enough-password' }).generateSecurityReport(result);
    expect(text.length).toBeGreaterThan(200);
    const lines = text.split('\n');
    expect(lines[0]).toBe('='.repeat(60));
    for (const expected of [
      'REDIS CACHE SECURITY ASSESSMENT REPORT',
      'EXECUTIVE SUMMARY',
      'Security Status: ❌ INSECURE',
      `Security Score: ${result.securityScore}/100`,
      `Score: ${result.securityScore}/100`,
      // The level of this result's score (75: HIGH lowered by the missing certificate file), not the config's.
      'Security Level: MEDIUM',
      'SECURITY CONFIGURATION',
      'Authentication: ✅',
      'Auth Method: AUTH',
      'TLS Encryption: ✅',
      'TLS Version: TLSv1.2',
      'ACL Authentication: ❌',
      'Certificate Validation: ❌',
      'SECURITY VULNERABILITIES',
      '1. Certificate file not found: /certs/client.crt',
      'SECURITY WARNINGS',
      '1. Connection timeout of 90 s is long',
      'SECURITY RECOMMENDATIONS',
      '1. Enable certificate verification',
      'DETAILED SECURITY CHECKS',
      'Report generated by Redis Cache Security Manager',
      'Configuration Security Level: HIGH',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('marks a check ✅ only for OK / Valid / … configured / TLS enabled…, so "Invalid" shows ❌', () => {
    const text = manager({}).generateSecurityReport(result);
    expect(text).toContain('✅ connectivity: OK');
    expect(text).toContain('✅ authentication: AUTH configured');
    expect(text).toContain('✅ encryption: TLS enabled (min version: TLSv1.2)');
    expect(text).toContain('❌ certificates: Invalid');
    const secure = new SecurityValidationResult({ ...result, vulnerabilities: [], securityScore: 90, detailedChecks: { certificates: 'Valid', authentication: 'None', connectivity: 'FAILED: boom' } });
    const other = manager({}).generateSecurityReport(secure);
    expect(other).toContain('Security Status: ✅ SECURE');
    expect(other).toContain('✅ certificates: Valid');
    expect(other).toContain('❌ authentication: None');
    expect(other).toContain('❌ connectivity: FAILED: boom');
    expect(other).not.toContain('SECURITY VULNERABILITIES');
  });
});

describe('validateConnectionSecurity with an unusable client', () => {
  it('resolves a failed result (never rejects), records a failed operation and logs an error', async () => {
    const logger = captureLogger();
    const calls: [string, boolean][] = [];
    const m = manager(
      { verifyCertificates: false },
      { logger, metricsRecorder: { recordOperation: (name, _ms, ok) => void calls.push([name, ok]) } },
    );
    const result = await m.validateConnectionSecurity({} as RedisLikeClient);
    expect(result.vulnerabilities).toEqual(['Security validation failed', 'No authentication configured', 'Certificate verification disabled']);
    expect(result.certificateValid).toBe(false);
    expect(result.isSecure).toBe(false);
    expect(result.recommendations).toEqual(m.getSecurityRecommendations());
    expect(calls).toEqual([['security_validation', false]]);
    expect(logger.messages('error')).toEqual([expect.stringMatching(/security validation failed/i)]);
  });

  it('lists "Unencrypted connection" without TLS and omits auth when configured', async () => {
    const result = await manager({ useTls: false, redisAuth: 'pw' }).validateConnectionSecurity(null as unknown as RedisLikeClient);
    expect(result.vulnerabilities).toEqual(['Security validation failed', 'Unencrypted connection']);
  });
});

describe('getSecurityStatus before any validation', () => {
  it('reports the configuration, no last validation, and the recommendation count', () => {
    const status = manager({ aclUsername: 'app', aclPassword: 'p', connectionTimeout: 12, maxRetries: 2 }).getSecurityStatus();
    expect(status).toMatchObject({
      securityLevel: 'HIGH',
      configuration: { hasAuthentication: true, tlsEnabled: true, aclConfigured: true, certificateVerification: true, connectionTimeout: 12, maxRetries: 2 },
      lastValidation: null,
      securityEventsCount: 0,
      recommendationsCount: 7,
    });
    expect(status.timestamp).toBeGreaterThan(0);
  });
});
