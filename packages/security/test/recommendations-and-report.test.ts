import fc from 'fast-check';
import { silentLogger } from '@cache/core';
import { describe, expect, it } from 'vitest';
import { RedisCacheSecurityManager, SecurityConfig, SecurityValidationResult } from '../src/index.js';
import type { RedisLikeClient, SecurityConfigOptions } from '../src/index.js';
import { captureLogger, everyFileExists } from './support.js';

const ACTION_VERBS = /^(Enable|Use|Deploy|Restrict|Monitor|Rotate|Configure)\b/;

function manager(options: SecurityConfigOptions, extra: ConstructorParameters<typeof RedisCacheSecurityManager>[1] = {}) {
  const config = new SecurityConfig(options, { env: {}, logger: silentLogger, fileExists: everyFileExists });
  return new RedisCacheSecurityManager(config, { logger: silentLogger, ...extra });
}

describe('getSecurityRecommendations', () => {
  it('counts 8 insecure, 8 AUTH-only with a short password, 6 for full TLS + ACL + verification', () => {
    expect(manager({ useTls: false }).getSecurityRecommendations()).toHaveLength(8);
    expect(manager({ useTls: false, redisAuth: 'password123' }).getSecurityRecommendations()).toHaveLength(8);
    expect(manager({ aclUsername: 'app', aclPassword: 'acl-password-123' }).getSecurityRecommendations()).toHaveLength(6);
    expect(manager({ aclUsername: 'app', aclPassword: 'p', redisAuth: 'a-sixteen-chars!' }).getSecurityRecommendations()).toHaveLength(6);
  });

  it('names the missing protections first, then six baseline items', () => {
    const items = manager({ useTls: false }).getSecurityRecommendations();
    expect(items[0]).toMatch(/authentication/);
    expect(items[1]).toMatch(/TLS.*data in transit/);
    expect(items.slice(2).join('\n')).toMatch(/private network[\s\S]*firewall[\s\S]*slow log[\s\S]*failed authentication[\s\S]*Rotate[\s\S]*Sentinel/);
    expect(manager({ verifyCertificates: false, redisAuth: 'short' }).getSecurityRecommendations().slice(0, 2)).toEqual([
      expect.stringMatching(/certificate verification/),
      expect.stringMatching(/at least 16 characters/),
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
    const level = fc.tuple(fc.nat({ max: credentials.length - 1 }), fc.nat({ max: transport.length - 1 }));
    const count = ([c, t]: [number, number]): number =>
      manager({ ...credentials[c], ...transport[t] }).getSecurityRecommendations().length;
    fc.assert(
      fc.property(level, level, (a, b) => {
        const more: [number, number] = [Math.max(a[0], b[0]), Math.max(a[1], b[1])];
        expect(count(more)).toBeLessThanOrEqual(count(a));
      }),
    );
  });
});

describe('generateSecurityReport', () => {
  const result = new SecurityValidationResult({
    authConfigured: true,
    tlsEnabled: true,
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
      'Security Level: HIGH',
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
      recommendationsCount: 6,
    });
    expect(status.timestamp).toBeGreaterThan(0);
  });
});
