export { SecurityConfig } from './security-config.js';
export type { SecurityConfigOptions, SecurityLevel, TlsVersion } from './security-options.js';
export type { SecurityRuntime } from './security-runtime.js';
export { createSecurityConfigFromEnv } from './config-from-env.js';
export { generateSecurePassword } from './secure-password.js';
export { CRITICAL_VULNERABILITIES, SecurityValidationResult } from './validation-result.js';
export type { AuthMethod, SecurityValidationResultInit } from './validation-result.js';
export { createIoredisConnector } from './redis-connector.js';
export type {
  ConnectableRedisClient,
  IoredisConnectOptions,
  RedisClientConstructor,
  RedisConnector,
  RedisLikeClient,
  SecureConnectionParams,
  SecureTlsParams,
} from './redis-connector.js';
export { RedisCacheSecurityManager } from './security-manager.js';
export type { SecurityManagerOptions, SecurityStatus, SecurityTestResult } from './security-manager.js';
export { MAX_SECURITY_EVENTS } from './security-events.js';
export type { SecurityEvent } from './security-events.js';
