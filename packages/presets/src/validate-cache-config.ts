import { existsSync } from 'node:fs';
import type { CacheConfig } from './config-schema.js';
import { redactUrl } from '@cache/core';
import type { ValidationResult } from './validation-result.js';
import { rejectUnknownOptions } from './unknown-options.js';
import { cacheValidator } from './validator.js';

/** Options of {@link validateCacheConfig}. */
export interface ValidateCacheConfigOptions {
  /** File-existence probe for the TLS paths; default `fs.existsSync`. */
  fileExists?: (path: string) => boolean;
}

/**
 * Validates a config: `cacheValidator.validateConfiguration` plus environment-aware checks.
 * With `useTls`, a cert/key path that `fileExists` rejects is an error in `production`, a
 * warning elsewhere. In `production` a non-empty `redisUrl` without `rediss://` is an error
 * (secure by default: plain `redis://` sends data and credentials unencrypted).
 */
export function validateCacheConfig(c: CacheConfig, o: ValidateCacheConfigOptions = {}): ValidationResult {
  rejectUnknownOptions('validateCacheConfig', o, ['fileExists']);
  const result = cacheValidator.validateConfiguration(c);
  const production = c.environment === 'production';
  if (production && typeof c.redisUrl === 'string' && c.redisUrl !== '' && !c.redisUrl.startsWith('rediss://')) {
    result.addError(
      `redisUrl must use TLS (rediss://) in production, got ${JSON.stringify(redactUrl(c.redisUrl))}; allowed: rediss://host:port`,
      { fieldPath: 'redisUrl', context: { environment: c.environment, allowed_schemes: ['rediss://'] } },
    );
  }
  if (c.useTls) {
    const fileExists = o.fileExists ?? existsSync;
    const files: [string, string | null, string][] = [
      ['tlsCertPath', c.tlsCertPath, 'TLS certificate file not found'],
      ['tlsKeyPath', c.tlsKeyPath, 'TLS key file not found'],
    ];
    for (const [field, path, text] of files) {
      if (path === null || path === '' || fileExists(path)) continue;
      const message = `${text}: ${path}`;
      const opts = { fieldPath: field, context: { file_path: path, environment: c.environment } };
      if (production) result.addError(message, opts);
      else result.addWarning(message, opts);
    }
  }
  return result;
}
