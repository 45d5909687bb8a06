import { inspect } from 'node:util';
import { ConfigurationError } from '@cache/core';
import { validateSecurityValues } from './config-validation.js';
import type { SecurityConfigValues } from './config-validation.js';
import { environmentPreset } from './environment-presets.js';
import { securityLevelOf } from './security-level.js';
import { assertMandatorySecurity } from './mandatory-security.js';
import { warnOptOutOnce } from './opt-out-warnings.js';
import type { SecurityConfigOptions, SecurityLevel, TlsVersion } from './security-options.js';
import { nonEmpty, resolveRuntime, securityEnvironment } from './security-runtime.js';
import type { ResolvedRuntime, SecurityRuntime } from './security-runtime.js';

const runtimes = new WeakMap<SecurityConfig, ResolvedRuntime>();

/** The runtime (env, file probe, resolver, logger) a config was built with. Internal to this package. */
export function runtimeOf(config: SecurityConfig): ResolvedRuntime {
  const runtime = runtimes.get(config);
  if (!runtime) throw new TypeError('not a SecurityConfig built by @cache/security');
  return runtime;
}

const invalidOption = (name: string, expected: string, value: unknown): ConfigurationError =>
  new ConfigurationError(`Security option ${name} must be ${expected} (got ${typeof value}). Fix: pass ${expected} or omit it.`, {
    code: 'INVALID_CONFIGURATION',
    context: { option: name, validation_type: 'option_type' },
  });

function optionalString(options: SecurityConfigOptions, name: keyof SecurityConfigOptions): string | null {
  const value: unknown = options[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalidOption(name, 'a string', value);
  return nonEmpty(value);
}

function booleanOption(options: SecurityConfigOptions, name: keyof SecurityConfigOptions): boolean {
  const value: unknown = options[name];
  if (value === undefined) return true;
  if (typeof value !== 'boolean') throw invalidOption(name, 'a boolean', value);
  return value;
}

/** A copy of `cipherSuites` (`null` when unset); anything but an array is refused, never spread into characters. */
function cipherSuitesOption(options: SecurityConfigOptions): readonly string[] | null {
  const value: unknown = options.cipherSuites;
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value)) throw invalidOption('cipherSuites', 'an array of OpenSSL cipher names', value);
  return Object.freeze([...(value as unknown[])]) as readonly string[];
}

/**
 * How a Redis connection must be secured. Validated at construction (first failure throws a
 * `ConfigurationError` with `context.validation_type`); defaults are strict (TLS and certificate
 * verification on, credentials only from configuration or environment). Secrets (`redisAuth`,
 * `aclPassword`, `encryptionKey`) never appear in `toJSON()` or `util.inspect`.
 */
export class SecurityConfig implements SecurityConfigValues {
  /** Redis AUTH password, or `null`. Secret. */
  readonly redisAuth: string | null;
  /** ACL user name, or `null`. */
  readonly aclUsername: string | null;
  /** ACL password, or `null`. Secret. */
  readonly aclPassword: string | null;
  /** TLS on (default `true`). */
  readonly useTls: boolean;
  /** Certificate and host-name verification (default `true`). */
  readonly verifyCertificates: boolean;
  /** Client certificate path, or `null`. */
  readonly tlsCertPath: string | null;
  /** Client key path, or `null`. */
  readonly tlsKeyPath: string | null;
  /** CA bundle path, or `null`. */
  readonly tlsCaPath: string | null;
  /** Minimum TLS version (default `'TLSv1.2'`). */
  readonly minTlsVersion: TlsVersion;
  /** OpenSSL cipher names, or `null` for Node's defaults. */
  readonly cipherSuites: readonly string[] | null;
  /** Connect timeout, seconds (default 30). */
  readonly connectionTimeout: number;
  /** Command timeout, seconds (default 30). */
  readonly socketTimeout: number;
  /** Extra connection attempts (default 3). */
  readonly maxRetries: number;
  /** Base retry delay, seconds (default 1.0). */
  readonly retryDelay: number;
  /** Security monitoring on (default `true`). */
  readonly enableSecurityMonitoring: boolean;
  /** Security events recorded (default `true`). */
  readonly logSecurityEvents: boolean;
  /** Encryption key carried for `@cache/redis`, or `null`. Secret. */
  readonly encryptionKey: string | null;

  /** Validates `options` (rule order: TLS files, ACL, timeouts, retries, TLS version, ciphers) and applies defaults. */
  constructor(options: SecurityConfigOptions = {}, runtime: SecurityRuntime = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new ConfigurationError('SecurityConfig options must be an object. Fix: pass {} or omit the argument.', {
        code: 'INVALID_CONFIGURATION',
        context: { validation_type: 'option_type' },
      });
    }
    const resolved = resolveRuntime(runtime);
    this.redisAuth = optionalString(options, 'redisAuth');
    this.aclUsername = optionalString(options, 'aclUsername');
    this.aclPassword = optionalString(options, 'aclPassword');
    this.useTls = booleanOption(options, 'useTls');
    this.verifyCertificates = booleanOption(options, 'verifyCertificates');
    this.tlsCertPath = optionalString(options, 'tlsCertPath');
    this.tlsKeyPath = optionalString(options, 'tlsKeyPath');
    this.tlsCaPath = optionalString(options, 'tlsCaPath');
    this.minTlsVersion = options.minTlsVersion ?? 'TLSv1.2';
    this.cipherSuites = cipherSuitesOption(options);
    this.connectionTimeout = options.connectionTimeout ?? 30;
    this.socketTimeout = options.socketTimeout ?? 30;
    this.maxRetries = options.maxRetries ?? 3;
    this.retryDelay = options.retryDelay ?? 1.0;
    this.enableSecurityMonitoring = booleanOption(options, 'enableSecurityMonitoring');
    this.logSecurityEvents = booleanOption(options, 'logSecurityEvents');
    this.encryptionKey = optionalString(options, 'encryptionKey');
    validateSecurityValues(this, resolved.fileExists);
    Object.freeze(this);
    runtimes.set(this, resolved);
    if (!this.useTls) warnOptOutOnce('tls_disabled', resolved.logger);
    else if (!this.verifyCertificates) warnOptOutOnce('certificate_verification_disabled', resolved.logger);
  }

  /** True with a non-empty `redisAuth`, or a non-empty ACL user name **and** password. */
  get hasAuthentication(): boolean {
    return this.redisAuth !== null || (this.aclUsername !== null && this.aclPassword !== null);
  }

  /**
   * `HIGH` = TLS + authentication + verification; `MEDIUM` = TLS or authentication; else `LOW`. A validation of a
   * connection made with this configuration scores in the same band unless it finds a problem.
   */
  get securityLevel(): SecurityLevel {
    return securityLevelOf({ tls: this.useTls, verifyCertificates: this.verifyCertificates, authenticated: this.hasAuthentication });
  }

  /**
   * Enforces the environment's mandatory requirements (authentication outside testing, TLS in
   * production/staging, certificate verification in production); throws a `ConfigurationError`
   * whose message starts with `SECURITY ERROR` and lists the fixes.
   */
  validateMandatorySecurityRequirements(): void {
    const runtime = runtimeOf(this);
    assertMandatorySecurity(this, securityEnvironment(runtime), runtime.logger);
  }

  /** A plain, secret-free view of the configuration (`'***'` for a set secret). */
  toJSON(): Record<string, unknown> {
    const redact = (v: string | null): string | null => (v === null ? null : '***');
    return {
      redisAuth: redact(this.redisAuth),
      aclUsername: this.aclUsername,
      aclPassword: redact(this.aclPassword),
      useTls: this.useTls,
      verifyCertificates: this.verifyCertificates,
      tlsCertPath: this.tlsCertPath,
      tlsKeyPath: this.tlsKeyPath,
      tlsCaPath: this.tlsCaPath,
      minTlsVersion: this.minTlsVersion,
      cipherSuites: this.cipherSuites,
      connectionTimeout: this.connectionTimeout,
      socketTimeout: this.socketTimeout,
      maxRetries: this.maxRetries,
      retryDelay: this.retryDelay,
      enableSecurityMonitoring: this.enableSecurityMonitoring,
      logSecurityEvents: this.logSecurityEvents,
      encryptionKey: redact(this.encryptionKey),
      hasAuthentication: this.hasAuthentication,
      securityLevel: this.securityLevel,
    };
  }

  /** `util.inspect`/`console.log` show the redacted {@link toJSON} view. */
  [inspect.custom](): string {
    return `SecurityConfig ${inspect(this.toJSON())}`;
  }

  /**
   * The preset for the detected environment (production, staging, development, testing; unknown
   * → production after a warning). Credentials are read from `REDIS_AUTH` /
   * `REDIS_ACL_USERNAME` + `REDIS_ACL_PASSWORD` in `runtime.env`, never generated. Production
   * and staging require their `/etc/ssl` files (else `TLS_FILE_NOT_FOUND`).
   */
  static createForEnvironment(encryptionKey: string | null = null, runtime: SecurityRuntime = {}): SecurityConfig {
    const resolved = resolveRuntime(runtime);
    const info = securityEnvironment(resolved);
    if (info.environment === 'unknown') {
      resolved.logger.warn('Unknown environment: production-level Redis security settings were applied', {
        environment: info.environment,
        confidence: info.confidence,
      });
    }
    return new SecurityConfig(
      {
        ...environmentPreset(info.environment),
        redisAuth: nonEmpty(resolved.env['REDIS_AUTH']),
        aclUsername: nonEmpty(resolved.env['REDIS_ACL_USERNAME']),
        aclPassword: nonEmpty(resolved.env['REDIS_ACL_PASSWORD']),
        encryptionKey,
      },
      runtime,
    );
  }
}
