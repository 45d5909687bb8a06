import type { Environment } from '@cache/core';
import type { SecurityConfigOptions } from './security-options.js';

type Preset = Omit<SecurityConfigOptions, 'redisAuth' | 'aclUsername' | 'aclPassword' | 'encryptionKey'>;

const PRODUCTION: Preset = Object.freeze({
  useTls: true,
  tlsCertPath: '/etc/ssl/redis-client.crt',
  tlsKeyPath: '/etc/ssl/redis-client.key',
  tlsCaPath: '/etc/ssl/ca.crt',
  verifyCertificates: true,
  minTlsVersion: 'TLSv1.3',
  connectionTimeout: 30,
  socketTimeout: 30,
  maxRetries: 3,
  enableSecurityMonitoring: true,
  logSecurityEvents: true,
});

const PRESETS: Readonly<Record<Exclude<Environment, 'unknown'>, Preset>> = Object.freeze({
  production: PRODUCTION,
  staging: Object.freeze({
    ...PRODUCTION,
    tlsCertPath: '/etc/ssl/redis-staging.crt',
    tlsKeyPath: '/etc/ssl/redis-staging.key',
    minTlsVersion: 'TLSv1.2',
  }),
  development: Object.freeze({
    useTls: true,
    verifyCertificates: false,
    minTlsVersion: 'TLSv1.2',
    connectionTimeout: 20,
    socketTimeout: 20,
    maxRetries: 2,
    enableSecurityMonitoring: true,
    logSecurityEvents: true,
  }),
  testing: Object.freeze({
    useTls: false,
    verifyCertificates: false,
    connectionTimeout: 10,
    socketTimeout: 10,
    maxRetries: 1,
    enableSecurityMonitoring: false,
    logSecurityEvents: false,
  }),
});

/**
 * The security preset of an environment (no credentials: those come from the environment only).
 * `unknown` gets the production preset.
 */
export function environmentPreset(environment: Environment): Preset {
  return environment === 'unknown' ? PRODUCTION : PRESETS[environment];
}
