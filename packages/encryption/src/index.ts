export { Fernet, generateFernetKey } from './fernet.js';
export type { FernetOptions, FernetEncryptOptions, FernetDecryptOptions } from './fernet.js';
export { InvalidTokenError } from './invalid-token-error.js';
export { EncryptedCacheLayer } from './encrypted-cache-layer.js';
export type { EncryptedCacheLayerOptions } from './encrypted-cache-layer.js';
export type { EncryptionPerformanceStats } from './performance-stats.js';
export { createEncryptionLayerFromEnv } from './create-from-env.js';
export type { EncryptionLayerFromEnvOptions } from './create-from-env.js';
