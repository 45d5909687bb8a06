import { ConfigurationError, parseEnvBoolean } from '@cache/core';
import { MAX_DELAY_SECONDS } from './config-validation.js';
import { SecurityConfig } from './security-config.js';
import { nonEmpty } from './security-runtime.js';
import type { EnvMap, SecurityRuntime } from './security-runtime.js';

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

const invalidEnv = (variable: string, value: string, expected: string, cause?: unknown): ConfigurationError =>
  new ConfigurationError(
    `Environment variable ${variable} must be ${expected} (got ${JSON.stringify(value)}). Fix: correct or unset ${variable}.`,
    { code: 'INVALID_ENV_VALUE', context: { variable, value }, cause },
  );

/** How a numeric variable is read: its syntax, its accepted range, and the wording of both for the error. */
interface NumberRule {
  readonly pattern: RegExp;
  readonly inRange: (value: number) => boolean;
  readonly expected: string;
}

const CONNECTION_TIMEOUT: NumberRule = {
  pattern: INTEGER,
  inRange: (n) => n > 0 && n <= MAX_DELAY_SECONDS,
  expected: `a whole number of seconds from 1 to ${MAX_DELAY_SECONDS}`,
};
const MAX_RETRIES: NumberRule = { pattern: INTEGER, inRange: (n) => n >= 0, expected: 'a whole number of retries, 0 or more' };
const RETRY_DELAY: NumberRule = { pattern: DECIMAL, inRange: (n) => n >= 0, expected: 'a decimal number of seconds, 0 or more' };

/** A numeric variable, or `fallback` when unset/empty; malformed or out-of-range values throw `INVALID_ENV_VALUE` naming the variable. */
function envNumber(env: EnvMap, variable: string, rule: NumberRule, fallback: number): number {
  const raw = env[variable];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  if (!rule.pattern.test(raw.trim()) || !rule.inRange(value)) throw invalidEnv(variable, raw, rule.expected);
  return value;
}

function envBoolean(env: EnvMap, variable: string): boolean | undefined {
  try {
    return parseEnvBoolean(variable, env[variable]);
  } catch (error) {
    throw invalidEnv(variable, env[variable] ?? '', 'a boolean (true/false, 1/0, yes/no, on/off)', error);
  }
}

/**
 * The one environment reader: a configuration from `REDIS_*` variables, strict on every path —
 * TLS and certificate verification are on unless a variable turns them off explicitly (each
 * opt-out warns once), whatever `NODE_ENV` says; `REDIS_TLS_CA_PATH`, `REDIS_TLS_CERT_PATH`,
 * `REDIS_TLS_KEY_PATH` and the credentials (`REDIS_AUTH`, `REDIS_ACL_USERNAME` +
 * `REDIS_ACL_PASSWORD`) are taken as given; no certificate path and no password is ever invented.
 * Booleans read `true|1|yes|on` / `false|0|no|off`; malformed booleans and malformed or
 * out-of-range numbers throw `ConfigurationError` `INVALID_ENV_VALUE` naming the variable. The
 * environment's mandatory rules (e.g. authentication outside testing) are enforced where the
 * config is used (`validateMandatorySecurityRequirements`).
 */
export function createSecurityConfigFromEnv(env?: EnvMap, runtime: SecurityRuntime = {}): SecurityConfig {
  const source = env ?? runtime.env ?? process.env;
  return new SecurityConfig(
    {
      redisAuth: nonEmpty(source['REDIS_AUTH']),
      aclUsername: nonEmpty(source['REDIS_ACL_USERNAME']),
      aclPassword: nonEmpty(source['REDIS_ACL_PASSWORD']),
      useTls: envBoolean(source, 'REDIS_USE_TLS') ?? envBoolean(source, 'REDIS_TLS_ENABLED') ?? true,
      verifyCertificates: envBoolean(source, 'REDIS_VERIFY_CERTIFICATES') ?? true,
      tlsCertPath: nonEmpty(source['REDIS_TLS_CERT_PATH']),
      tlsKeyPath: nonEmpty(source['REDIS_TLS_KEY_PATH']),
      tlsCaPath: nonEmpty(source['REDIS_TLS_CA_PATH']),
      connectionTimeout: envNumber(source, 'REDIS_CONNECTION_TIMEOUT', CONNECTION_TIMEOUT, 30),
      maxRetries: envNumber(source, 'REDIS_MAX_RETRIES', MAX_RETRIES, 3),
      retryDelay: envNumber(source, 'REDIS_RETRY_DELAY', RETRY_DELAY, 1.0),
    },
    { ...runtime, env: source },
  );
}
