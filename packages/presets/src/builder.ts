import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigurationError, defaultLogger, ValidationError, type Logger } from '@cache/core';
import { applyOverrides } from './apply-overrides.js';
import { createCacheConfig } from './cache-config.js';
import { readConfigFile } from './config-file.js';
import { AI_FIELDS, type CacheConfig, type CacheConfigInput } from './config-schema.js';
import { resolveCacheConfig } from './resolve-cache-config.js';
import type { EnvSource } from './strategy.js';
import { rejectUnknownOptions } from './unknown-options.js';
import { validateCacheConfig } from './validate-cache-config.js';
import type { ValidationResult } from './validation-result.js';

/** The plain JSON form of a config written by `saveToFile` (a fresh, mutable copy). */
export type CacheConfigJson = { -readonly [K in keyof CacheConfig]: CacheConfig[K] };

/** Options of `withAiFeatures`: any AI field; `operationTtls` values may be duration strings. */
export type AiFeatureOptions = NonNullable<CacheConfigInput['ai']>;

const ENVIRONMENTS = {
  development: { defaultTtl: 1800, memoryCacheSize: 50, compressionThreshold: 2000, compressionLevel: 4 },
  testing: { defaultTtl: 60, memoryCacheSize: 25, compressionThreshold: 1000, compressionLevel: 1 },
  production: { defaultTtl: 7200, memoryCacheSize: 200, compressionThreshold: 1000, compressionLevel: 6 },
} as const;
const VALID_ENVIRONMENTS = Object.keys(ENVIRONMENTS);

/**
 * Fluent builder of a {@link CacheConfig}. Starts from `createCacheConfig()` defaults; every
 * `with*`/`for*`/`from*` returns the same builder and keeps earlier settings; a call that throws
 * leaves the state unchanged. Builders never share state.
 */
export class CacheConfigBuilder {
  #config: CacheConfig = createCacheConfig();
  readonly #logger: Logger;

  /** `logger` receives warnings (validation, ignored file keys); default core's `defaultLogger`. */
  constructor(o: { logger?: Logger } = {}) {
    rejectUnknownOptions('CacheConfigBuilder', o, ['logger'], 'options');
    this.#logger = o.logger ?? defaultLogger;
  }

  /**
   * Environment-specific TTL, memory size and compression, and sets `environment`. Anything
   * but `development`/`testing`/`production` (case-sensitive) → `ValidationError`.
   */
  forEnvironment(e: 'development' | 'testing' | 'production'): this {
    const values = Object.hasOwn(ENVIRONMENTS, e) ? ENVIRONMENTS[e] : undefined;
    if (!values) {
      throw new ValidationError(`Invalid environment ${JSON.stringify(e)}; valid environments: ${VALID_ENVIRONMENTS.join(', ')}`, {
        code: 'INVALID_ENVIRONMENT',
        context: { provided_environment: e, valid_environments: [...VALID_ENVIRONMENTS] },
      });
    }
    return this.#set({ ...values, environment: e });
  }

  /**
   * Stores URL, password (default `null`) and TLS flag (default `false`) as given; checked by
   * `validate()`. Unknown option names (JS callers) → `ValidationError` `INVALID_OPTIONS`, as for every `with*`.
   */
  withRedis(url: string, o: { password?: string; useTls?: boolean } = {}): this {
    rejectUnknownOptions('withRedis', o, ['password', 'useTls']);
    return this.#set({ redisUrl: url, redisPassword: o.password ?? null, useTls: o.useTls ?? false });
  }

  /** Sets both TLS file paths (absent → `null`); giving either turns TLS on. */
  withSecurity(o: { tlsCertPath?: string; tlsKeyPath?: string }): this {
    rejectUnknownOptions('withSecurity', o, ['tlsCertPath', 'tlsKeyPath']);
    const useTls = o.tlsCertPath !== undefined || o.tlsKeyPath !== undefined || this.#config.useTls;
    return this.#set({ tlsCertPath: o.tlsCertPath ?? null, tlsKeyPath: o.tlsKeyPath ?? null, useTls });
  }

  /** Compression threshold (bytes, default 1000) and level (default 6). */
  withCompression(o: { threshold?: number; level?: number } = {}): this {
    rejectUnknownOptions('withCompression', o, ['threshold', 'level']);
    return this.#set({ compressionThreshold: o.threshold ?? 1000, compressionLevel: o.level ?? 6 });
  }

  /** Memory-tier size in entries. */
  withMemoryCache(size: number): this {
    return this.#set({ memoryCacheSize: size });
  }

  /**
   * Turns AI on with `ai` = the AI defaults overlaid by `o`. Unknown option names →
   * `ValidationError` `INVALID_OPTIONS` with `context { unknown_options, valid_options }`.
   */
  withAiFeatures(o: AiFeatureOptions = {}): this {
    rejectUnknownOptions('withAiFeatures', o, AI_FIELDS);
    return this.#set({ enableAiCache: true, ai: o });
  }

  /** Loads a JSON file (`toJSON` or snake_case shape; AI fields replace field by field). */
  fromFile(path: string): this {
    const overrides = readConfigFile(path, this.#logger);
    this.#config = applyOverrides(this.#config, overrides, { mapMode: 'replace', logger: this.#logger, source: `Configuration file ${path}` });
    return this;
  }

  /** Replaces the state with `resolveCacheConfig({ env })` (default `process.env`). */
  fromEnvironment(o: { env?: EnvSource } = {}): this {
    rejectUnknownOptions('fromEnvironment', o, ['env']);
    this.#config = resolveCacheConfig({ env: o.env ?? process.env, logger: this.#logger });
    return this;
  }

  /** `validateCacheConfig` of the current state. */
  validate(): ValidationResult {
    return validateCacheConfig(this.#config);
  }

  /**
   * Validates; errors → `ValidationError` "Configuration validation failed: e1; e2" with
   * `context { errors, warnings }`; warnings are logged. Returns a deep-frozen config that later
   * builder calls never change.
   */
  build(): CacheConfig {
    const result = this.validate();
    if (!result.isValid) {
      throw new ValidationError(`Configuration validation failed: ${result.errors.join('; ')}`, {
        context: { errors: result.errors, warnings: result.warnings },
      });
    }
    for (const w of result.warnings) this.#logger.warn(w);
    return this.#config;
  }

  /** A fresh plain camelCase copy of every field. */
  toJSON(): CacheConfigJson {
    return structuredClone(this.#config) as CacheConfigJson;
  }

  /** Writes `toJSON()` with 2-space indent, creating parent dirs unless `createDirs: false`; failure → `ConfigurationError`. */
  saveToFile(path: string, o: { createDirs?: boolean } = {}): void {
    rejectUnknownOptions('saveToFile', o, ['createDirs']);
    try {
      if (o.createDirs ?? true) mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, `${JSON.stringify(this.toJSON(), null, 2)}\n`, 'utf8');
    } catch (e) {
      throw new ConfigurationError(`Cannot write configuration file ${path}: ${e instanceof Error ? e.message : String(e)}`, {
        code: 'CONFIG_FILE_UNWRITABLE',
        context: { file_path: path },
        cause: e,
      });
    }
  }

  #set(changes: CacheConfigInput): this {
    this.#config = createCacheConfig({ ...this.#config, ...changes });
    return this;
  }
}

