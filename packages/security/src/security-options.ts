/** Minimum TLS protocol version accepted for the Redis connection. */
export type TlsVersion = 'TLSv1.2' | 'TLSv1.3';

/** Coarse security level of a configuration (or, for a result summary, of a score). */
export type SecurityLevel = 'LOW' | 'MEDIUM' | 'HIGH';

/** Supported minimum TLS versions. */
export const TLS_VERSIONS: readonly TlsVersion[] = Object.freeze(['TLSv1.2', 'TLSv1.3']);

/**
 * Options of a {@link SecurityConfig}. Defaults are strict: TLS and certificate verification on,
 * no credentials (they are never invented), 30 s timeouts, 3 retries, 1.0 s base retry delay.
 */
export interface SecurityConfigOptions {
  /** Redis AUTH password (`requirepass`). Secret: never logged or serialised. */
  redisAuth?: string | null;
  /** ACL user name; requires {@link aclPassword}. */
  aclUsername?: string | null;
  /** ACL password. Secret. */
  aclPassword?: string | null;
  /** Use TLS (`rediss://`). Default `true`; `false` logs a warning once per process. */
  useTls?: boolean;
  /** Verify the server certificate and host name. Default `true`; `false` warns once per process. */
  verifyCertificates?: boolean;
  /** Client certificate (PEM) for mutual TLS; must exist when TLS is on. */
  tlsCertPath?: string | null;
  /** Client private key (PEM) for mutual TLS; must exist when TLS is on. */
  tlsKeyPath?: string | null;
  /** CA bundle (PEM) that signed the server certificate; must exist when TLS is on. */
  tlsCaPath?: string | null;
  /** Minimum TLS version; default `'TLSv1.2'`. */
  minTlsVersion?: TlsVersion;
  /** OpenSSL cipher names, joined by `:` for the client; default: Node's defaults. */
  cipherSuites?: readonly string[] | null;
  /** Connect timeout in seconds (> 0); default 30. */
  connectionTimeout?: number;
  /** Per-command timeout in seconds (> 0); default 30. */
  socketTimeout?: number;
  /** Extra connection attempts after the first (integer ≥ 0); default 3. */
  maxRetries?: number;
  /** Base delay in seconds between attempts, doubled each time (≥ 0); default 1.0. */
  retryDelay?: number;
  /** Keep security monitoring on; default `true`. */
  enableSecurityMonitoring?: boolean;
  /** Record security events (and log them at info); default `true`. */
  logSecurityEvents?: boolean;
  /** Carried opaquely for `@cache/redis` (value encryption); not validated here. Secret. */
  encryptionKey?: string | null;
}
