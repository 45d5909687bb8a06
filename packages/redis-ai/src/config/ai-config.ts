import { readFile } from 'node:fs/promises';
import { inspect } from 'node:util';
import { ConfigurationError, MAX_TTL_SECONDS, defaultLogger, parseEnvBoolean, redactUrl, type CacheMetricsRecorder, type Logger } from '@cache/core';
import type { GenericRedisCacheOptions } from '@cache/redis';
import type { HashAlgorithm } from '../ai/key-generator.js';
import type { AIResponseCacheOptions } from '../ai/options.js';
import type { TextSizeTiers } from '../ai/text.js';
import { KNOWN_OPERATIONS, isValidRedisUrl, operationTtlProblems, tierProblems } from './limits.js';
import { ParameterValidationResult } from './validation-result.js';

/** Input of {@link AIResponseCacheConfig}; every field optional (defaults in the class doc). */
export interface AIResponseCacheConfigInput {
  redisUrl?: string;
  defaultTtl?: number;
  enableL1Cache?: boolean;
  memoryCacheSize?: number;
  compressionThreshold?: number;
  compressionLevel?: number;
  textHashThreshold?: number;
  hashAlgorithm?: HashAlgorithm;
  textSizeTiers?: Record<string, number>;
  operationTtls?: Record<string, number>;
  enableSmartPromotion?: boolean;
  performanceMonitor?: CacheMetricsRecorder;
}

type Field = keyof AIResponseCacheConfigInput;

const FIELDS: readonly Field[] = [
  'redisUrl', 'defaultTtl', 'enableL1Cache', 'memoryCacheSize', 'compressionThreshold', 'compressionLevel',
  'textHashThreshold', 'hashAlgorithm', 'textSizeTiers', 'operationTtls', 'enableSmartPromotion', 'performanceMonitor',
];

const SNAKE: Readonly<Record<string, Field>> = Object.freeze({
  redis_url: 'redisUrl', default_ttl: 'defaultTtl', enable_l1_cache: 'enableL1Cache', memory_cache_size: 'memoryCacheSize',
  compression_threshold: 'compressionThreshold', compression_level: 'compressionLevel', text_hash_threshold: 'textHashThreshold',
  hash_algorithm: 'hashAlgorithm', text_size_tiers: 'textSizeTiers', operation_ttls: 'operationTtls',
  enable_smart_promotion: 'enableSmartPromotion', performance_monitor: 'performanceMonitor',
});

const KIND: Readonly<Record<Field, 'string' | 'integer' | 'boolean' | 'map' | 'monitor'>> = Object.freeze({
  redisUrl: 'string', defaultTtl: 'integer', enableL1Cache: 'boolean', memoryCacheSize: 'integer', compressionThreshold: 'integer',
  compressionLevel: 'integer', textHashThreshold: 'integer', hashAlgorithm: 'string', textSizeTiers: 'map', operationTtls: 'map',
  enableSmartPromotion: 'boolean', performanceMonitor: 'monitor',
});

const DEFAULT_OPERATION_TTLS: Readonly<Record<string, number>> = Object.freeze({ summarize: 7200, sentiment: 86_400, key_points: 7200, questions: 3600, qa: 1800 });

const ENV_INTEGERS: ReadonlyArray<[string, Field]> = [
  ['DEFAULT_TTL', 'defaultTtl'], ['MEMORY_CACHE_SIZE', 'memoryCacheSize'], ['TEXT_HASH_THRESHOLD', 'textHashThreshold'],
  ['COMPRESSION_THRESHOLD', 'compressionThreshold'], ['COMPRESSION_LEVEL', 'compressionLevel'],
];

function frozenMap(map: Readonly<Record<string, number>>): Readonly<Record<string, number>> {
  return Object.freeze({ ...map });
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function fieldTypeProblem(field: Field, value: unknown): string | null {
  switch (KIND[field]) {
    case 'string':
      return typeof value === 'string' ? null : `${field} must be a string (got ${kindOf(value)})`;
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? null : `${field} must be an integer (got ${kindOf(value)})`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `${field} must be a boolean (got ${kindOf(value)})`;
    case 'map':
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? null : `${field} must be an object (got ${kindOf(value)})`;
    case 'monitor':
      return typeof value === 'object' && value !== null ? null : `${field} must be a metrics recorder object (got ${kindOf(value)})`;
  }
}

/**
 * Immutable configuration of an `AIResponseCache`, from code, a dictionary, the environment, or a
 * JSON/YAML file. Defaults: `rediss://redis:6380`, defaultTtl 3600, L1 on with 100 entries,
 * compression above 1000 bytes at level 6, textHashThreshold 1000, `sha256`, tiers 500/5000/50000,
 * operation TTLs summarize 7200, sentiment 86400, key_points 7200, questions 3600, qa 1800, smart
 * promotion off. It remembers which fields were set explicitly, so `merge` lets an explicit value
 * win even when it equals the default. The URL's credentials never appear in `toString`, `toJSON`
 * or `util.inspect`.
 */
export class AIResponseCacheConfig {
  readonly #redisUrl: string;
  readonly defaultTtl: number;
  readonly enableL1Cache: boolean;
  readonly memoryCacheSize: number;
  readonly compressionThreshold: number;
  readonly compressionLevel: number;
  readonly textHashThreshold: number;
  readonly hashAlgorithm: HashAlgorithm;
  readonly textSizeTiers: Readonly<Record<string, number>>;
  readonly operationTtls: Readonly<Record<string, number>>;
  readonly enableSmartPromotion: boolean;
  readonly performanceMonitor: CacheMetricsRecorder | undefined;
  readonly #explicit: ReadonlySet<Field>;

  /** Applies the defaults to every field not given (`undefined` = not given); never throws (see {@link validate}). */
  constructor(input: AIResponseCacheConfigInput = {}) {
    const explicit = new Set<Field>(FIELDS.filter((f) => input[f] !== undefined));
    this.#explicit = explicit;
    this.#redisUrl = input.redisUrl ?? 'rediss://redis:6380';
    this.defaultTtl = input.defaultTtl ?? 3600;
    this.enableL1Cache = input.enableL1Cache ?? true;
    this.memoryCacheSize = input.memoryCacheSize ?? (this.enableL1Cache ? 100 : 0);
    this.compressionThreshold = input.compressionThreshold ?? 1000;
    this.compressionLevel = input.compressionLevel ?? 6;
    this.textHashThreshold = input.textHashThreshold ?? 1000;
    this.hashAlgorithm = input.hashAlgorithm ?? 'sha256';
    this.textSizeTiers = frozenMap(input.textSizeTiers ?? { small: 500, medium: 5000, large: 50_000 });
    this.operationTtls = frozenMap(input.operationTtls ?? DEFAULT_OPERATION_TTLS);
    this.enableSmartPromotion = input.enableSmartPromotion ?? false;
    this.performanceMonitor = input.performanceMonitor;
    Object.freeze(this);
  }

  /** The Redis URL as given (with credentials); printed forms mask them. */
  get redisUrl(): string {
    return this.#redisUrl;
  }

  /** Checks every field; never throws. Each message names the field and its value. */
  validate(): ParameterValidationResult {
    const r = new ParameterValidationResult({ context: { explicitFields: [...this.#explicit] } });
    for (const field of FIELDS) {
      const value = this.#value(field);
      if (value === undefined) continue;
      const problem = fieldTypeProblem(field, value);
      if (problem) r.addError(problem);
    }
    if (!r.isValid) return r;
    if (!isValidRedisUrl(this.#redisUrl)) {
      r.addError(`redisUrl must be a redis://, rediss:// or unix:// URL with a host (port 1-65535), got ${JSON.stringify(redactUrl(this.#redisUrl))}`);
    }
    const ttl = this.defaultTtl;
    if (ttl <= 0) r.addError(`defaultTtl must be positive, got ${ttl}`);
    else if (ttl > MAX_TTL_SECONDS) r.addError(`defaultTtl too large (max 1 year = ${MAX_TTL_SECONDS} s), got ${ttl}`);
    if (this.memoryCacheSize < 0) r.addError(`memoryCacheSize must be non-negative, got ${this.memoryCacheSize}`);
    else if (this.memoryCacheSize > 10_000) r.addError(`memoryCacheSize too large (max 10000), got ${this.memoryCacheSize}`);
    if (this.compressionThreshold < 0) r.addError(`compressionThreshold must be non-negative, got ${this.compressionThreshold}`);
    else if (this.compressionThreshold > 1_048_576) r.addError(`compressionThreshold too large (max 1MB = 1048576 bytes), got ${this.compressionThreshold}`);
    if (this.compressionLevel < 1 || this.compressionLevel > 9) r.addError(`compressionLevel must be 1-9, got ${this.compressionLevel}`);
    if (this.textHashThreshold <= 0) r.addError(`textHashThreshold must be positive, got ${this.textHashThreshold}`);
    else if (this.textHashThreshold > 100_000) r.addError(`textHashThreshold too large (max 100000), got ${this.textHashThreshold}`);
    for (const problem of tierProblems(this.textSizeTiers)) r.addError(`textSizeTiers ${problem}`);
    const [ttlErrors, unknown] = operationTtlProblems(this.operationTtls);
    for (const error of ttlErrors) r.addError(`operationTtls ${error}`);
    if (unknown.length > 0) r.addWarning(`operationTtls has unknown operation(s) ${unknown.join(', ')}; known operations: ${KNOWN_OPERATIONS.join(', ')}`);
    if (this.hashAlgorithm !== 'sha256' && this.hashAlgorithm !== 'md5') r.addError(`hashAlgorithm must be 'sha256' or 'md5', got ${JSON.stringify(this.hashAlgorithm)}`);
    const monitor = this.performanceMonitor as Partial<CacheMetricsRecorder> | undefined;
    if (monitor !== undefined && typeof monitor.recordCacheOperationTime !== 'function') {
      r.addError('performanceMonitor must implement recordCacheOperationTime()');
    }
    if (!this.enableL1Cache && this.memoryCacheSize > 0) r.addError(`enableL1Cache=false but memoryCacheSize > 0 (memoryCacheSize ${this.memoryCacheSize})`);

    if (this.compressionThreshold > 10_000) r.addRecommendation(`compressionThreshold ${this.compressionThreshold} is high; consider 1000-5000`);
    if (this.compressionLevel > 7) r.addRecommendation(`compressionLevel ${this.compressionLevel} costs much CPU for little gain; consider 6`);
    if (this.textHashThreshold !== this.compressionThreshold) {
      r.addRecommendation(`textHashThreshold (${this.textHashThreshold}) differs from compressionThreshold (${this.compressionThreshold}); consider aligning them`);
    }
    if (this.memoryCacheSize > 500) r.addRecommendation(`memoryCacheSize ${this.memoryCacheSize} is large for a per-process L1; consider 100-500`);
    if (this.enableL1Cache && this.memoryCacheSize < 10) r.addRecommendation(`memoryCacheSize ${this.memoryCacheSize} is a small L1; consider at least 10`);
    if (ttl > 86_400) r.addRecommendation(`defaultTtl ${ttl} s is longer than a day; AI answers may go stale`);
    if (!this.#explicit.has('operationTtls')) r.addRecommendation('operationTtls not set explicitly; the defaults are used');
    return r;
  }

  /** Every field as `AIResponseCache` options (`l1CacheSize` = memoryCacheSize). */
  toAiCacheOptions(): AIResponseCacheOptions {
    return {
      ...this.toGenericCacheOptions(),
      textHashThreshold: this.textHashThreshold,
      hashAlgorithm: this.hashAlgorithm,
      textSizeTiers: this.textSizeTiers as AIResponseCacheOptions['textSizeTiers'] & TextSizeTiers,
      operationTtls: this.operationTtls,
      enableSmartPromotion: this.enableSmartPromotion,
    };
  }

  /** Only the generic fields (no AI key): redisUrl, defaultTtl, enableL1Cache, l1CacheSize, compression, monitor. */
  toGenericCacheOptions(): GenericRedisCacheOptions {
    const options: GenericRedisCacheOptions = {
      redisUrl: this.#redisUrl,
      defaultTtl: this.defaultTtl,
      enableL1Cache: this.enableL1Cache,
      l1CacheSize: this.memoryCacheSize,
      compressionThreshold: this.compressionThreshold,
      compressionLevel: this.compressionLevel,
    };
    if (this.performanceMonitor !== undefined) options.performanceMonitor = this.performanceMonitor;
    return options;
  }

  /** A new config: every override that is not `undefined` replaces the base value; maps are replaced whole. */
  mergeWith(overrides: AIResponseCacheConfigInput): AIResponseCacheConfig {
    const input = this.#input();
    for (const field of FIELDS) {
      if (overrides[field] !== undefined) (input as Record<string, unknown>)[field] = overrides[field];
    }
    return new AIResponseCacheConfig(input);
  }

  /** A new config: fields `other` set explicitly win (also defaults and `{}`); the rest keep this config's values. */
  merge(other: AIResponseCacheConfig): AIResponseCacheConfig {
    const input = this.#input();
    for (const field of other.#explicit) (input as Record<string, unknown>)[field] = other.#value(field);
    return new AIResponseCacheConfig(input);
  }

  /** `AIResponseCacheConfig(redisUrl=<masked>, defaultTtl=…, memoryCacheSize=…, textHashThreshold=…)`. */
  toString(): string {
    return `AIResponseCacheConfig(redisUrl=${redactUrl(this.#redisUrl)}, defaultTtl=${this.defaultTtl}, memoryCacheSize=${this.memoryCacheSize}, textHashThreshold=${this.textHashThreshold})`;
  }

  /** Plain data with the URL masked and the monitor reduced to a flag. */
  toJSON(): Record<string, unknown> {
    return {
      redisUrl: redactUrl(this.#redisUrl),
      defaultTtl: this.defaultTtl,
      enableL1Cache: this.enableL1Cache,
      memoryCacheSize: this.memoryCacheSize,
      compressionThreshold: this.compressionThreshold,
      compressionLevel: this.compressionLevel,
      textHashThreshold: this.textHashThreshold,
      hashAlgorithm: this.hashAlgorithm,
      textSizeTiers: { ...this.textSizeTiers },
      operationTtls: { ...this.operationTtls },
      enableSmartPromotion: this.enableSmartPromotion,
      performanceMonitor: this.performanceMonitor !== undefined,
    };
  }

  /** `util.inspect` shows {@link toJSON}'s masked form. */
  [inspect.custom](): string {
    return `AIResponseCacheConfig ${inspect(this.toJSON())}`;
  }

  /** All defaults. */
  static createDefault(): AIResponseCacheConfig {
    return new AIResponseCacheConfig();
  }

  /** Production: ttl 7200, L1 200, compression from 500 bytes at level 7, textHashThreshold 500. */
  static createProduction(redisUrl: string): AIResponseCacheConfig {
    return new AIResponseCacheConfig({ redisUrl, defaultTtl: 7200, memoryCacheSize: 200, compressionThreshold: 500, compressionLevel: 7, textHashThreshold: 500 });
  }

  /** Development: `redis://localhost:6379`, ttl 1800, L1 50, compression from 2000 at level 3, textHashThreshold 2000. */
  static createDevelopment(): AIResponseCacheConfig {
    return new AIResponseCacheConfig({
      redisUrl: 'redis://localhost:6379', defaultTtl: 1800, memoryCacheSize: 50, compressionThreshold: 2000, compressionLevel: 3, textHashThreshold: 2000,
    });
  }

  /** Testing: `redis://localhost:6379`, ttl 300, L1 10, compression from 5000 at level 1, textHashThreshold 5000, 300 s per operation. */
  static createTesting(): AIResponseCacheConfig {
    return new AIResponseCacheConfig({
      redisUrl: 'redis://localhost:6379', defaultTtl: 300, memoryCacheSize: 10, compressionThreshold: 5000, compressionLevel: 1, textHashThreshold: 5000,
      operationTtls: Object.fromEntries(KNOWN_OPERATIONS.map((op) => [op, 300])),
    });
  }

  /**
   * From a dictionary with camelCase or snake_case keys; unknown keys are ignored with one warning;
   * wrong types → `ConfigurationError` naming every such field.
   */
  static fromDict(dict: Readonly<Record<string, unknown>>, options: { logger?: Logger } = {}): AIResponseCacheConfig {
    if (typeof dict !== 'object' || dict === null || Array.isArray(dict)) {
      throw new ConfigurationError(`Failed to create AIResponseCacheConfig from dictionary: expected an object, got ${kindOf(dict)}`, {
        code: 'INVALID_CONFIGURATION',
        context: { source: 'dict' },
      });
    }
    const input: Record<string, unknown> = {};
    const problems: string[] = [];
    const unknown: string[] = [];
    for (const [name, value] of Object.entries(dict)) {
      const field = (FIELDS as readonly string[]).includes(name) ? (name as Field) : SNAKE[name];
      if (field === undefined) {
        unknown.push(name);
        continue;
      }
      if (value === undefined || value === null) continue;
      if (field in input && input[field] !== value) {
        problems.push(`${field} is given twice with different values`);
        continue;
      }
      const problem = fieldTypeProblem(field, value);
      if (problem) problems.push(problem);
      else input[field] = value;
    }
    if (problems.length > 0) {
      throw new ConfigurationError(`Failed to create AIResponseCacheConfig from dictionary: ${problems.join('; ')}`, {
        code: 'INVALID_CONFIGURATION',
        context: { source: 'dict', problems },
      });
    }
    if (unknown.length > 0) (options.logger ?? defaultLogger).warn(`AIResponseCacheConfig ignores unknown key(s): ${unknown.join(', ')}`);
    return new AIResponseCacheConfig(input as AIResponseCacheConfigInput);
  }

  /**
   * From `<prefix>REDIS_URL`, `DEFAULT_TTL`, `MEMORY_CACHE_SIZE`, `TEXT_HASH_THRESHOLD`,
   * `COMPRESSION_THRESHOLD`, `COMPRESSION_LEVEL` (integers; unparsable → warning, ignored),
   * `ENABLE_L1_CACHE` and `ENABLE_SMART_PROMOTION` (core's boolean parsing: anything but
   * true/false/1/0/yes/no/on/off is a `ConfigurationError`), `HASH_ALGORITHM`, `TEXT_SIZE_TIERS`
   * and `OPERATION_TTLS` (JSON; invalid → warning, ignored). Nothing set → defaults.
   */
  static fromEnv(
    env: Readonly<Record<string, string | undefined>> = process.env,
    prefix = 'AI_CACHE_',
    options: { logger?: Logger } = {},
  ): AIResponseCacheConfig {
    const logger = options.logger ?? defaultLogger;
    const input: AIResponseCacheConfigInput = {};
    const read = (name: string): string | undefined => {
      const raw = env[prefix + name];
      return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
    };
    const url = read('REDIS_URL');
    if (url !== undefined) input.redisUrl = url;
    for (const [name, field] of ENV_INTEGERS) {
      const raw = read(name);
      if (raw === undefined) continue;
      if (/^-?\d+$/.test(raw)) (input as Record<string, unknown>)[field] = Number(raw);
      else logger.warn(`Ignoring ${prefix}${name}: not an integer`);
    }
    const l1 = parseEnvBoolean(`${prefix}ENABLE_L1_CACHE`, env[`${prefix}ENABLE_L1_CACHE`]);
    if (l1 !== undefined) input.enableL1Cache = l1;
    const smart = parseEnvBoolean(`${prefix}ENABLE_SMART_PROMOTION`, env[`${prefix}ENABLE_SMART_PROMOTION`]);
    if (smart !== undefined) input.enableSmartPromotion = smart;
    const algorithm = read('HASH_ALGORITHM');
    if (algorithm !== undefined) input.hashAlgorithm = algorithm as HashAlgorithm;
    for (const [name, field] of [['TEXT_SIZE_TIERS', 'textSizeTiers'], ['OPERATION_TTLS', 'operationTtls']] as const) {
      const raw = read(name);
      if (raw === undefined) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        logger.warn(`Ignoring ${prefix}${name}: not valid JSON`);
        continue;
      }
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) input[field] = parsed as Record<string, number>;
      else logger.warn(`Ignoring ${prefix}${name}: not a JSON object`);
    }
    return new AIResponseCacheConfig(input);
  }

  /** Reads a JSON file (async) then {@link fromDict}; missing file, invalid JSON or a non-object → `ConfigurationError`. */
  static async fromJson(path: string, options: { logger?: Logger } = {}): Promise<AIResponseCacheConfig> {
    const text = await readConfigFile(path);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ConfigurationError(`Invalid JSON in AIResponseCacheConfig file ${path}`, { code: 'INVALID_CONFIGURATION', context: { path, format: 'json' } });
    }
    return fromDocument(parsed, path, 'JSON', options);
  }

  /**
   * Reads a YAML file with the caller's parser (this package has no YAML dependency), then
   * {@link fromDict}. Without `parseYaml`, a missing file, a parser failure or a non-object →
   * `ConfigurationError`.
   */
  static async fromYaml(path: string, options: { parseYaml?: (text: string) => unknown; logger?: Logger } = {}): Promise<AIResponseCacheConfig> {
    const parseYaml = options.parseYaml;
    if (typeof parseYaml !== 'function') {
      throw new ConfigurationError('Reading YAML needs a parser: pass { parseYaml } (for example parse from the "yaml" package)', {
        code: 'YAML_PARSER_REQUIRED',
        context: { path },
      });
    }
    const text = await readConfigFile(path);
    let parsed: unknown;
    try {
      parsed = parseYaml(text);
    } catch (error) {
      throw new ConfigurationError(`Invalid YAML in AIResponseCacheConfig file ${path}`, {
        code: 'INVALID_CONFIGURATION',
        context: { path, format: 'yaml', error_type: error instanceof Error ? error.name : typeof error },
      });
    }
    return fromDocument(parsed, path, 'YAML', options);
  }

  #value(field: Field): unknown {
    return field === 'redisUrl' ? this.#redisUrl : (this as unknown as Record<string, unknown>)[field];
  }

  #input(): AIResponseCacheConfigInput {
    const input: Record<string, unknown> = {};
    for (const field of this.#explicit) input[field] = this.#value(field);
    return input as AIResponseCacheConfigInput;
  }
}

async function readConfigFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new ConfigurationError(
      code === 'ENOENT' ? `AIResponseCacheConfig file not found: ${path}` : `AIResponseCacheConfig file could not be read: ${path} (${String(code ?? 'error')})`,
      { code: 'INVALID_CONFIGURATION', context: { path, error_code: String(code ?? 'unknown') } },
    );
  }
}

function fromDocument(parsed: unknown, path: string, format: string, options: { logger?: Logger }): AIResponseCacheConfig {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigurationError(`AIResponseCacheConfig file ${path} must hold a ${format} object at top level (got ${kindOf(parsed)})`, {
      code: 'INVALID_CONFIGURATION',
      context: { path, format: format.toLowerCase() },
    });
  }
  return AIResponseCacheConfig.fromDict(parsed as Record<string, unknown>, options);
}
