import type { CacheConfig } from './config-schema.js';
import type { CacheStrategy, LogLevel } from './strategy.js';

/** Security block of {@link FactoryConfig}, mapped onto `@cache/security`'s options by the factory. */
export interface FactorySecurityConfig {
  redisAuth?: string;
  /** Present only when `true`: omission keeps the security package's fail-closed TLS default. */
  useTls?: true;
  tlsCertPath?: string;
  tlsKeyPath?: string;
  connectionTimeout: number;
  maxRetries: number;
}

/** Plain, JSON-serializable cache options (the factory's input shape); no `null`/`undefined` values. */
export interface FactoryConfig {
  redisUrl?: string;
  securityConfig?: FactorySecurityConfig;
  defaultTtl: number;
  l1CacheSize: number;
  enableL1Cache: true;
  compressionThreshold: number;
  compressionLevel: number;
  maxConnections: number;
  connectionTimeout: number;
  enableAiCache: boolean;
  enableMonitoring: boolean;
  logLevel: LogLevel;
  cacheStrategy: CacheStrategy;
  presetName?: string;
  textHashThreshold?: number;
  operationTtls?: Record<string, number>;
  textSizeTiers?: Record<string, number>;
  hashAlgorithm?: string;
  enableSmartPromotion?: boolean;
  maxTextLength?: number;
}

/**
 * Maps a config onto factory options: `memoryCacheSize` → `l1CacheSize`, `strategy` →
 * `cacheStrategy`, L1 always on; `securityConfig` only when a password, TLS or a cert/key path is
 * set; AI fields only when AI is on; `null`/empty values omitted. Returns a fresh object.
 */
export function toFactoryOptions(c: CacheConfig): FactoryConfig {
  const out: FactoryConfig = {
    defaultTtl: c.defaultTtl,
    l1CacheSize: c.memoryCacheSize,
    enableL1Cache: true,
    compressionThreshold: c.compressionThreshold,
    compressionLevel: c.compressionLevel,
    maxConnections: c.maxConnections,
    connectionTimeout: c.connectionTimeout,
    enableAiCache: c.enableAiCache,
    enableMonitoring: c.enableMonitoring,
    logLevel: c.logLevel,
    cacheStrategy: c.strategy,
  };
  if (c.redisUrl) out.redisUrl = c.redisUrl;
  if (c.presetName) out.presetName = c.presetName;
  if (c.redisPassword || c.useTls || c.tlsCertPath || c.tlsKeyPath) {
    const security: FactorySecurityConfig = { connectionTimeout: c.connectionTimeout, maxRetries: 3 };
    if (c.redisPassword) security.redisAuth = c.redisPassword;
    if (c.useTls) security.useTls = true;
    if (c.tlsCertPath) security.tlsCertPath = c.tlsCertPath;
    if (c.tlsKeyPath) security.tlsKeyPath = c.tlsKeyPath;
    out.securityConfig = security;
  }
  if (c.enableAiCache && c.ai) {
    out.textHashThreshold = c.ai.textHashThreshold;
    out.operationTtls = { ...c.ai.operationTtls };
    out.textSizeTiers = { ...c.ai.textSizeTiers };
    out.hashAlgorithm = c.ai.hashAlgorithm;
    out.enableSmartPromotion = c.ai.enableSmartPromotion;
    out.maxTextLength = c.ai.maxTextLength;
  }
  return out;
}
