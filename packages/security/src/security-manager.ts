import { readFileSync } from 'node:fs';
import {
  ConfigurationError,
  FeatureContext,
  InfrastructureError,
  ValidationError,
  guardRecorderCall,
  logRecorderFailure,
  sanitizeError,
  systemClock,
} from '@cache/core';
import type { CacheMetricsRecorder, Clock, EnvironmentResolver, Logger } from '@cache/core';
import { validateSecurityValues } from './config-validation.js';
import { DEFAULT_REDIS_URL, buildSecureConnectionParams } from './connection-params.js';
import { errorType, messageOf } from './error-text.js';
import { assertMandatorySecurity, assertSecureRedisUrl } from './mandatory-security.js';
import { securityRecommendations } from './recommendations.js';
import type { RedisConnector, RedisLikeClient, SecureConnectionParams } from './redis-connector.js';
import { SecurityConfig, runtimeOf } from './security-config.js';
import { SecurityEventLog } from './security-events.js';
import type { SecurityEvent } from './security-events.js';
import type { SecurityLevel } from './security-options.js';
import { renderSecurityReport } from './security-report.js';
import { loadTlsMaterial } from './tls-material.js';
import type { TlsMaterial } from './tls-material.js';
import { SecurityValidationResult } from './validation-result.js';
import type { AuthMethod } from './validation-result.js';

/** Collaborators of a {@link RedisCacheSecurityManager}; every one is optional. */
export interface SecurityManagerOptions {
  /** Receives `secure_connection_create` and `security_validation` timings (ms) with success flags. */
  metricsRecorder?: CacheMetricsRecorder;
  /** Default: the config's logger. */
  logger?: Logger;
  /** Opens clients (e.g. `createIoredisConnector(Redis)`); required for connections. */
  connector?: RedisConnector;
  /** Timestamps and durations; default `systemClock`. */
  clock?: Clock;
  /** Waits between connection attempts; default a `setTimeout` promise. */
  sleep?: (ms: number) => Promise<void>;
  /** Default: the config's resolver. */
  resolveEnvironment?: EnvironmentResolver;
  /** Certificate checks; default: the config's probe. */
  fileExists?: (path: string) => boolean;
  /** Loads TLS PEM files; default `fs.readFileSync`. */
  readFile?: (path: string) => Buffer;
  /**
   * Whether the cache encrypts values before they reach Redis (scored, and recommended when off). Default: true
   * when the config carries an `encryptionKey`.
   */
  valuesEncrypted?: boolean;
}

/** What {@link RedisCacheSecurityManager.getSecurityStatus} reports. */
export interface SecurityStatus {
  timestamp: number;
  securityLevel: SecurityLevel;
  configuration: {
    hasAuthentication: boolean;
    tlsEnabled: boolean;
    aclConfigured: boolean;
    certificateVerification: boolean;
    connectionTimeout: number;
    maxRetries: number;
  };
  lastValidation: null | {
    timestamp: number;
    isSecure: boolean;
    securityScore: number;
    /** The level of that score; equal to `securityLevel` unless the validation found a problem. */
    securityLevel: SecurityLevel;
    vulnerabilitiesCount: number;
    recommendationsCount: number;
  };
  securityEventsCount: number;
  recommendationsCount: number;
}

/** Outcome of {@link RedisCacheSecurityManager.testSecurityConfiguration}; never a rejection. */
export interface SecurityTestResult {
  timestamp: number;
  configurationValid: boolean;
  connectionSuccessful: boolean;
  authenticationWorking: boolean;
  encryptionActive: boolean;
  overallSecure: boolean;
  securityScore?: number;
  testDetails: Record<string, unknown>;
  errors: string[];
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function hasRedisVersion(info: unknown): boolean {
  if (typeof info === 'string') return /^redis_version:/m.test(info);
  return typeof info === 'object' && info !== null && 'redis_version' in info;
}

/**
 * Opens Redis connections the way a {@link SecurityConfig} demands (TLS, AUTH/ACL, timeouts,
 * bounded retries with exponential back-off), enforces the environment's mandatory rules,
 * scores live connections and reports on them. Connections go through an injected
 * {@link RedisConnector}; this package never imports a Redis client.
 */
export class RedisCacheSecurityManager {
  /** The configuration this manager enforces. */
  readonly config: SecurityConfig;
  private readonly logger: Logger;
  private readonly recorder: CacheMetricsRecorder | undefined;
  private readonly connector: RedisConnector | undefined;
  private readonly clock: Clock;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly resolveEnvironment: EnvironmentResolver;
  private readonly fileExists: (path: string) => boolean;
  private readonly tlsMaterial: TlsMaterial;
  private readonly events: SecurityEventLog;
  private readonly valuesEncrypted: boolean;
  private lastValidation: { timestamp: number; result: SecurityValidationResult } | null = null;

  /**
   * Loads the TLS material (`TLS_CONTEXT_FAILED` on a read failure) and warns when certificate
   * verification is off. A value that is not a `SecurityConfig` throws `INVALID_CONFIGURATION`.
   */
  constructor(config: SecurityConfig, options: SecurityManagerOptions = {}) {
    if (!(config instanceof SecurityConfig)) {
      throw new ConfigurationError('RedisCacheSecurityManager needs a SecurityConfig. Fix: pass new SecurityConfig({...}).', {
        code: 'INVALID_CONFIGURATION',
        context: { validation_type: 'security_config' },
      });
    }
    const runtime = runtimeOf(config);
    this.config = config;
    this.logger = options.logger ?? runtime.logger;
    this.recorder = options.metricsRecorder;
    this.connector = options.connector;
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? defaultSleep;
    this.resolveEnvironment = options.resolveEnvironment ?? runtime.resolveEnvironment;
    this.fileExists = options.fileExists ?? runtime.fileExists;
    this.tlsMaterial = loadTlsMaterial(config, options.readFile ?? ((path) => readFileSync(path)));
    this.events = new SecurityEventLog(this.clock, this.logger);
    this.valuesEncrypted = options.valuesEncrypted ?? config.encryptionKey !== null;
    if (config.useTls && !config.verifyCertificates) {
      this.logger.warn('TLS certificate verification is disabled for Redis: not recommended for production');
    }
    if (config.logSecurityEvents) {
      this.logger.info('Redis cache security manager initialised', { securityLevel: config.securityLevel });
    }
  }

  /** Client parameters for `redisUrl` (default `redis://localhost:6379`); see the package README. */
  buildConnectionParams(redisUrl: string = DEFAULT_REDIS_URL): SecureConnectionParams {
    return buildSecureConnectionParams(this.config, this.tlsMaterial, redisUrl);
  }

  /**
   * Connects with up to `maxRetries + 1` attempts, sleeping `retryDelay · 2^i` s after failed
   * attempt `i`, then checks the client with `PING` and `INFO`. All attempts failed →
   * `InfrastructureError` `CONNECTION_FAILED` (attempt count and last error in the message,
   * cause = last error); no connector → `ConfigurationError` `NO_CONNECTOR`.
   */
  async createSecureConnection(redisUrl: string = DEFAULT_REDIS_URL): Promise<RedisLikeClient> {
    const connector = this.connector;
    if (!connector) {
      throw new ConfigurationError(
        'No Redis connector configured. Fix: pass { connector: createIoredisConnector(Redis) } to RedisCacheSecurityManager.',
        { code: 'NO_CONNECTOR', context: { validation_type: 'connector' } },
      );
    }
    const params = this.buildConnectionParams(redisUrl);
    const started = this.clock.now();
    const attempts = this.config.maxRetries + 1;
    let client: RedisLikeClient | undefined;
    let lastError: unknown;
    for (let i = 0; i < attempts && client === undefined; i++) {
      try {
        client = await connector(params);
      } catch (error) {
        lastError = error;
        this.logger.warn(`Redis connection attempt ${i + 1}/${attempts} failed: ${messageOf(error)}`, {
          attempt: i + 1,
          attempts,
          error_type: errorType(error),
        });
        if (i < attempts - 1) await this.sleep(this.config.retryDelay * 2 ** i * 1000);
      }
    }
    if (client === undefined) {
      this.recordOperation('secure_connection_create', started, false);
      const error = new InfrastructureError(
        `Failed to connect to Redis after ${attempts} attempt(s): ${messageOf(lastError)}. ` +
          'Fix: check the host and port, the credentials (REDIS_AUTH / REDIS_ACL_*) and the TLS settings (CA, verification).',
        { code: 'CONNECTION_FAILED', context: { attempts, last_error: messageOf(lastError) }, cause: sanitizeError(lastError) },
      );
      this.logger.error(error.message, { attempts, error_type: errorType(lastError) });
      throw error;
    }
    try {
      await client.ping();
      const info = await client.info();
      if (!hasRedisVersion(info)) this.logger.warn('Redis INFO reply has no redis_version; the server may not be Redis');
    } catch (error) {
      await closeClient(client);
      this.recordOperation('secure_connection_create', started, false);
      this.logger.error(`Redis connection verification failed: ${messageOf(error)}`, { error_type: errorType(error) });
      throw new InfrastructureError(
        `Connected to Redis but PING/INFO failed: ${messageOf(error)}. Fix: check the user's ACL permissions and the server state.`,
        { code: 'CONNECTION_VERIFICATION_FAILED', context: { last_error: messageOf(error) }, cause: sanitizeError(error) },
      );
    }
    this.recordEvent('connection_created', {
      securityLevel: this.config.securityLevel,
      tlsEnabled: this.config.useTls,
      authConfigured: this.config.hasAuthentication,
    });
    this.recordOperation('secure_connection_create', started, true);
    return client;
  }

  /** {@link validateMandatorySecurity} (throws before any attempt), then {@link createSecureConnection}. */
  async createSecureConnectionWithValidation(redisUrl: string = DEFAULT_REDIS_URL): Promise<RedisLikeClient> {
    this.validateMandatorySecurity(redisUrl);
    return this.createSecureConnection(redisUrl);
  }

  /**
   * The config's mandatory requirements for the detected environment, then (production and
   * staging) a secure URL: `rediss://…` or `redis://…@…`, else `INSECURE_REDIS_URL`.
   */
  validateMandatorySecurity(redisUrl: string): void {
    if (typeof redisUrl !== 'string') {
      throw new ValidationError('redisUrl must be a string such as rediss://host:6380.', {
        code: 'INVALID_URL',
        context: { url_type: typeof redisUrl },
      });
    }
    const info = this.resolveEnvironment(FeatureContext.SECURITY_ENFORCEMENT);
    assertMandatorySecurity(this.config, info, this.logger);
    assertSecureRedisUrl(redisUrl, info);
    this.logger.info(`Redis connection security validated for the ${info.environment} environment`, {
      environment: info.environment,
    });
  }

  /**
   * Checks a live client (connectivity, authentication, encryption, certificates, configuration)
   * and scores it after all checks. Never rejects: an unusable client yields a failed result.
   */
  async validateConnectionSecurity(client: RedisLikeClient): Promise<SecurityValidationResult> {
    const started = this.clock.now();
    let result: SecurityValidationResult;
    try {
      if (typeof client?.ping !== 'function') throw new TypeError('client has no ping() method');
      result = await this.runChecks(client);
    } catch (error) {
      this.logger.error(`Redis security validation failed: ${messageOf(error)}`, { error_type: errorType(error) });
      this.recordOperation('security_validation', started, false);
      result = this.fallbackResult();
      this.lastValidation = { timestamp: this.clock.now(), result };
      return result;
    }
    this.lastValidation = { timestamp: this.clock.now(), result };
    this.recordEvent('security_validation', {
      securityScore: result.securityScore,
      isSecure: result.isSecure,
      vulnerabilitiesCount: result.vulnerabilities.length,
    });
    this.recordOperation('security_validation', started, true);
    return result;
  }

  /** Actionable recommendations: one per missing safeguard (authentication, ACL, TLS, verification, value encryption), then six baseline ones. */
  getSecurityRecommendations(): string[] {
    return securityRecommendations(this.config, { valuesEncrypted: this.valuesEncrypted });
  }

  /**
   * Re-validates the configuration, connects, pings, validates and closes the client. Never
   * rejects; failures are listed in `errors` (each a sentence).
   */
  async testSecurityConfiguration(redisUrl: string = DEFAULT_REDIS_URL): Promise<SecurityTestResult> {
    const result: SecurityTestResult = {
      timestamp: this.clock.now(),
      configurationValid: false,
      connectionSuccessful: false,
      authenticationWorking: false,
      encryptionActive: false,
      overallSecure: false,
      testDetails: {},
      errors: [],
    };
    try {
      validateSecurityValues(this.config, this.fileExists);
      result.configurationValid = true;
      result.testDetails['configurationValidation'] = 'Valid';
    } catch (error) {
      result.testDetails['configurationValidation'] = `Invalid: ${messageOf(error)}`;
      result.errors.push(`Configuration invalid: ${messageOf(error)}`);
    }
    let client: RedisLikeClient;
    try {
      client = await this.createSecureConnection(redisUrl);
      result.connectionSuccessful = true;
      result.testDetails['connection'] = 'Successful';
    } catch (error) {
      result.testDetails['connection'] = `Failed: ${messageOf(error)}`;
      result.errors.push(`Connection failed: ${messageOf(error)}`);
      return result;
    }
    try {
      await client.ping();
      result.authenticationWorking = true;
      result.testDetails['authentication'] = 'Working';
    } catch (error) {
      result.testDetails['authentication'] = `Failed: ${messageOf(error)}`;
      result.errors.push(`Authentication failed: ${messageOf(error)}`);
    }
    const validation = await this.validateConnectionSecurity(client);
    result.encryptionActive = validation.tlsEnabled;
    result.overallSecure = validation.isSecure;
    result.securityScore = validation.securityScore;
    result.testDetails['securityValidation'] = {
      secure: validation.isSecure,
      score: validation.securityScore,
      vulnerabilities: [...validation.vulnerabilities],
    };
    await closeClient(client);
    return result;
  }

  /** The assessment report for `result` (default: the last validation), or a one-line hint when there is none. */
  generateSecurityReport(result?: SecurityValidationResult): string {
    const subject = result ?? this.lastValidation?.result;
    if (!subject) return 'No security validation data available: run validateConnectionSecurity() first.';
    return renderSecurityReport({
      result: subject,
      configLevel: this.config.securityLevel,
      recentEvents: this.events.list().slice(-5),
    });
  }

  /** Configuration summary, last validation (or `null`) and counters. */
  getSecurityStatus(): SecurityStatus {
    const last = this.lastValidation;
    return {
      timestamp: this.clock.now(),
      securityLevel: this.config.securityLevel,
      configuration: {
        hasAuthentication: this.config.hasAuthentication,
        tlsEnabled: this.config.useTls,
        aclConfigured: this.config.aclUsername !== null,
        certificateVerification: this.config.verifyCertificates,
        connectionTimeout: this.config.connectionTimeout,
        maxRetries: this.config.maxRetries,
      },
      lastValidation: last && {
        timestamp: last.timestamp,
        isSecure: last.result.isSecure,
        securityScore: last.result.securityScore,
        securityLevel: last.result.securityLevel,
        vulnerabilitiesCount: last.result.vulnerabilities.length,
        recommendationsCount: last.result.recommendations.length,
      },
      securityEventsCount: this.events.size,
      recommendationsCount: this.getSecurityRecommendations().length,
    };
  }

  /** Recorded events, oldest first (at most 1000; only with `logSecurityEvents`). */
  getSecurityEvents(): readonly SecurityEvent[] {
    return this.events.list();
  }

  private async runChecks(client: RedisLikeClient): Promise<SecurityValidationResult> {
    const config = this.config;
    const vulnerabilities: string[] = [];
    const warnings: string[] = [];
    const checks: Record<string, string> = {};
    let authMethod: AuthMethod | null = null;

    try {
      await client.ping();
      checks['connectivity'] = 'OK';
    } catch (error) {
      vulnerabilities.push(`Connection failure: ${messageOf(error)}`);
      checks['connectivity'] = `FAILED: ${messageOf(error)}`;
    }

    try {
      await client.info('server');
      if (config.aclUsername !== null) {
        authMethod = 'ACL';
        checks['authentication'] = 'ACL configured';
      } else if (config.redisAuth !== null) {
        authMethod = 'AUTH';
        checks['authentication'] = 'AUTH configured';
      } else {
        vulnerabilities.push('No authentication configured');
        checks['authentication'] = 'None';
      }
    } catch (error) {
      vulnerabilities.push(`Authentication validation failed: ${messageOf(error)}`);
      checks['authentication'] = `FAILED: ${messageOf(error)}`;
    }

    if (config.useTls) {
      checks['encryption'] = `TLS enabled (min version: ${config.minTlsVersion})`;
    } else {
      vulnerabilities.push('Unencrypted connection: commands, data and credentials travel in plain text');
      checks['encryption'] = 'Disabled';
    }

    let certificateValid = false;
    if (config.useTls) {
      const missing: string[] = [];
      if (config.tlsCertPath !== null && !this.fileExists(config.tlsCertPath)) {
        missing.push(`Certificate file not found: ${config.tlsCertPath}`);
      }
      if (config.tlsKeyPath !== null && !this.fileExists(config.tlsKeyPath)) {
        missing.push(`Private key file not found: ${config.tlsKeyPath}`);
      }
      vulnerabilities.push(...missing);
      certificateValid = missing.length === 0;
      checks['certificates'] = certificateValid ? 'Valid' : 'Invalid';
    }

    if (config.useTls && !config.verifyCertificates) {
      vulnerabilities.push('Certificate verification disabled: TLS connections are open to man-in-the-middle attacks');
    }
    if (config.redisAuth !== null && config.redisAuth.length < 12) {
      vulnerabilities.push('Weak password: the Redis AUTH password is shorter than 12 characters');
    }
    if (config.connectionTimeout > 60) {
      warnings.push(`Connection timeout of ${config.connectionTimeout} s is long; failures surface slowly (consider ≤ 60 s)`);
    }

    return new SecurityValidationResult({
      authConfigured: config.hasAuthentication,
      tlsEnabled: config.useTls,
      aclEnabled: config.aclUsername !== null,
      certificateValid,
      verifyCertificates: config.useTls && config.verifyCertificates,
      valuesEncrypted: this.valuesEncrypted,
      vulnerabilities,
      recommendations: this.getSecurityRecommendations(),
      warnings,
      detailedChecks: checks,
      connectionEncrypted: config.useTls,
      authMethod,
      tlsVersion: config.useTls ? config.minTlsVersion : null,
    });
  }

  private fallbackResult(): SecurityValidationResult {
    const config = this.config;
    const vulnerabilities = ['Security validation failed'];
    if (!config.hasAuthentication) vulnerabilities.push('No authentication configured');
    if (!config.useTls) vulnerabilities.push('Unencrypted connection');
    if (config.useTls && !config.verifyCertificates) vulnerabilities.push('Certificate verification disabled');
    return new SecurityValidationResult({
      authConfigured: config.hasAuthentication,
      tlsEnabled: config.useTls,
      aclEnabled: config.aclUsername !== null,
      certificateValid: false,
      verifyCertificates: config.useTls && config.verifyCertificates,
      valuesEncrypted: this.valuesEncrypted,
      vulnerabilities,
      recommendations: this.getSecurityRecommendations(),
    });
  }

  private recordEvent(eventType: string, details: Record<string, unknown>): void {
    if (this.config.logSecurityEvents) this.events.record(eventType, details, this.config.securityLevel);
  }

  private recordOperation(name: string, started: number, success: boolean): void {
    const recorder = this.recorder;
    if (!recorder) return;
    try {
      guardRecorderCall(recorder.recordOperation(name, this.clock.now() - started, success), this.logger);
    } catch (error) {
      logRecorderFailure(this.logger, error);
    }
  }
}

/** Closes a client politely (`quit`), falling back to `disconnect`; never throws. */
async function closeClient(client: RedisLikeClient): Promise<void> {
  try {
    if (typeof client.quit === 'function') {
      await client.quit();
      return;
    }
  } catch {
    // quit failed (connection already gone): fall through to a hard disconnect
  }
  try {
    client.disconnect?.();
  } catch {
    // nothing left to release
  }
}
