import { MAX_TTL_SECONDS, ValidationError, parseDuration, redactUrl, type CacheMetricsRecorder, type Duration } from '@cache/core';
import type { EncryptedCacheLayer } from '@cache/encryption';
import type { HashAlgorithm, LlmRequestCacheOptions, TextSizeTiers } from '@cache/redis-ai';
import type { SecurityConfig, SecurityConfigOptions } from '@cache/security';

/** Options every factory method accepts; each one is optional and has the method's default. */
export interface BaseCacheOptions {
  /** `redis://` or `rediss://` URL (credentials allowed; they are redacted everywhere). */
  redisUrl?: string;
  /** Default TTL: whole seconds 1..31 536 000 (bare number) or a duration string such as `'30m'`. */
  defaultTtl?: Duration;
  /** Keep a private in-memory L1 in front of Redis. */
  enableL1Cache?: boolean;
  /** L1 capacity in entries, integer 1..10 000 (also the size of a memory fallback). */
  l1CacheSize?: number;
  /** Bytes of encoded value above which compression is tried, integer 0..1 048 576. */
  compressionThreshold?: number;
  /** zlib level, integer 1..9. */
  compressionLevel?: number;
  /** A `SecurityConfig`, or its plain options (`new SecurityConfig(o)`); default: the environment's strict config. */
  securityConfig?: SecurityConfig | SecurityConfigOptions;
  /** Value encryption layer; default: from the security config's key, else `REDIS_ENCRYPTION_KEY`. */
  encryption?: EncryptedCacheLayer;
  /** Explicit opt-out of value encryption (warned once by `@cache/redis`). */
  allowUnencrypted?: boolean;
  /** Throw `InfrastructureError` instead of falling back to memory when Redis cannot be reached; default false. */
  failOnConnectionError?: boolean;
  /** Metrics recorder; default the factory's shared monitor; `null` disables. */
  performanceMonitor?: CacheMetricsRecorder | null;
  /** How long the first connection may take: milliseconds (bare number) or a duration such as `'3s'`; default 2000. */
  connectTimeoutMs?: Duration;
  /** The cache's name in statistics and metrics (the `cache` label); default `'web'`, `'ai'`, `'llm'` or `'testing'`. */
  name?: string;
  /** Physical key namespace (empty, or ending with `:`). */
  keyPrefix?: string;
  /** Where `REDIS_ENCRYPTION_KEY` and the `REDIS_*` security variables are read; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Options of `forAiApp`: the base options plus the AI ones of `@cache/redis-ai`. */
export interface AiCacheOptions extends BaseCacheOptions {
  /** Longest text kept readable in keys, code points, integer 1..100 000; default 500. */
  textHashThreshold?: number;
  /** Memory-tier size for AI responses, integer 1..10 000; default `l1CacheSize`. */
  memoryCacheSize?: number;
  /** TTL per AI operation (seconds 1..31 536 000 or duration strings); default `{}`. */
  operationTtls?: Readonly<Record<string, Duration>>;
  /** Text size tier bounds; default `@cache/redis-ai`'s. */
  textSizeTiers?: TextSizeTiers;
  /** Digest of hashed text; default `sha256`. */
  hashAlgorithm?: HashAlgorithm;
  /** Promote AI keys to L1 by tier and operation only; default false. */
  enableSmartPromotion?: boolean;
  /** Longest text accepted, code points; default no limit. */
  maxTextLength?: number;
}

/**
 * Options of `forLlmApp`: the base options (for the storage `GenericRedisCache`) plus the
 * `LlmRequestCache` ones of `@cache/redis-ai` (prices, tenants, TTL rules, write guards), which
 * that class validates. Its recorder is the base `performanceMonitor` (default: the factory's).
 */
export interface LlmAppOptions extends BaseCacheOptions, Omit<LlmRequestCacheOptions, 'defaultTtl' | 'performanceMonitor' | 'logger' | 'clock'> {}

/** Options of `forTesting`. */
export interface TestingCacheOptions extends BaseCacheOptions {
  /** Return a fresh `InMemoryCache` without touching Redis; default false. */
  useMemoryCache?: boolean;
}

/** The use cases the factory builds for; also `cache_type` in error contexts. */
export type CacheKind = 'web_app' | 'ai_app' | 'llm_app' | 'testing';

/** Base options after defaults: what the factory hands to the cache constructor. */
export interface ResolvedBase {
  redisUrl: string;
  defaultTtl: number;
  enableL1Cache: boolean;
  l1CacheSize: number;
  /** Absent: the cache's own measured default (`@cache/redis`: compress above 8192 bytes at level 1). */
  compressionThreshold?: number;
  /** Absent: the cache's own default. */
  compressionLevel?: number;
  failOnConnectionError: boolean;
  connectTimeoutMs: number;
}

/**
 * Per-method defaults (spec table F2; `forLlmApp` takes `forAiApp`'s). Compression is left to the cache's own
 * default, chosen by measurement (the spec's 1000–2000 B at level 6 cost write CPU on every value above them).
 */
export const DEFAULTS: Readonly<Record<CacheKind, Readonly<ResolvedBase>>> = Object.freeze({
  web_app: { redisUrl: 'rediss://localhost:6380', defaultTtl: 1800, enableL1Cache: true, l1CacheSize: 200, failOnConnectionError: false, connectTimeoutMs: 2000 },
  ai_app: { redisUrl: 'rediss://localhost:6380', defaultTtl: 3600, enableL1Cache: true, l1CacheSize: 100, failOnConnectionError: false, connectTimeoutMs: 2000 },
  llm_app: { redisUrl: 'rediss://localhost:6380', defaultTtl: 3600, enableL1Cache: true, l1CacheSize: 100, failOnConnectionError: false, connectTimeoutMs: 2000 },
  testing: { redisUrl: 'redis://localhost:6379/15', defaultTtl: 60, enableL1Cache: false, l1CacheSize: 50, failOnConnectionError: false, connectTimeoutMs: 2000 },
});

/** Default AI text hash threshold of `forAiApp`. */
export const AI_TEXT_HASH_THRESHOLD = 500;

type Problems = string[];

const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** Whole milliseconds 1..600 000 from a number or duration string, else undefined. */
export function timeoutMs(value: unknown): number | undefined {
  const ms = typeof value === 'string' ? parseDuration(value, 'ms') : value;
  return isInt(ms, 1, 600_000) ? ms : undefined;
}

/** Whole seconds 1..MAX_TTL_SECONDS from a number or duration string, else undefined. */
export function ttlSeconds(value: unknown): number | undefined {
  const seconds = typeof value === 'string' ? parseDuration(value, 's') : value;
  return isInt(seconds, 1, MAX_TTL_SECONDS) ? seconds : undefined;
}

function checkUrl(url: unknown, problems: Problems): void {
  if (url === undefined) return;
  if (typeof url !== 'string') return void problems.push('redisUrl must be a string');
  if (url.trim() === '') return void problems.push('redisUrl cannot be empty');
  const scheme = /^rediss?:\/\//.exec(url)?.[0];
  if (!scheme) return void problems.push('redisUrl must start with redis:// or rediss://');
  const rest = url.slice(scheme.length);
  if (rest === '' || rest === '/') return void problems.push('redisUrl must include host information');
  const authority = rest.split(/[/?#]/, 1)[0] ?? '';
  const port = /:(\d+)$/.exec(authority.slice(authority.lastIndexOf('@') + 1))?.[1];
  if (port !== undefined && !isInt(Number(port), 1, 65_535)) return void problems.push('redisUrl port must be between 1 and 65535');
  if (!URL.canParse(url)) problems.push('redisUrl is not a valid URL');
}

/** F4: the checks common to every method; returns every problem found. */
export function baseProblems(o: BaseCacheOptions): Problems {
  const problems: Problems = [];
  checkUrl(o.redisUrl, problems);
  if (o.defaultTtl !== undefined && ttlSeconds(o.defaultTtl) === undefined) {
    problems.push(`defaultTtl must be an integer between 1 and ${MAX_TTL_SECONDS} seconds or a duration such as '30m'`);
  }
  for (const name of ['failOnConnectionError', 'enableL1Cache', 'allowUnencrypted'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'boolean') problems.push(`${name} must be a boolean`);
  }
  if (o.l1CacheSize !== undefined && !isInt(o.l1CacheSize, 1, 10_000)) problems.push('l1CacheSize must be a positive integer up to 10000');
  if (o.compressionThreshold !== undefined && !isInt(o.compressionThreshold, 0, 1_048_576)) {
    problems.push('compressionThreshold must be a non-negative integer up to 1048576');
  }
  if (o.compressionLevel !== undefined && !isInt(o.compressionLevel, 1, 9)) problems.push('compressionLevel must be an integer between 1 and 9');
  if (o.connectTimeoutMs !== undefined && timeoutMs(o.connectTimeoutMs) === undefined) {
    problems.push("connectTimeoutMs must be an integer between 1 and 600000 milliseconds or a duration such as '3s'");
  }
  if (o.name !== undefined && (typeof o.name !== 'string' || o.name.trim() === '')) problems.push('name must be a non-empty string');
  const monitor = o.performanceMonitor;
  if (monitor !== undefined && monitor !== null && (typeof monitor !== 'object' || typeof monitor.recordCacheOperationTime !== 'function')) {
    problems.push('performanceMonitor must be a CacheMetricsRecorder or null');
  }
  return problems;
}

/** F5: the AI checks of `forAiApp`. */
export function aiProblems(o: AiCacheOptions): Problems {
  const problems: Problems = [];
  if (o.textHashThreshold !== undefined && !isInt(o.textHashThreshold, 1, 100_000)) problems.push('textHashThreshold must be an integer between 1 and 100000');
  if (o.memoryCacheSize !== undefined && !isInt(o.memoryCacheSize, 1, 10_000)) problems.push('memoryCacheSize must be an integer between 1 and 10000');
  const ttls: unknown = o.operationTtls;
  if (ttls !== undefined) {
    if (!isPlainObject(ttls)) {
      problems.push('operationTtls must be a plain object');
    } else {
      for (const [key, value] of Object.entries(ttls)) {
        if (key.trim() === '') problems.push('operationTtls keys must be non-empty strings');
        else if (ttlSeconds(value) === undefined) problems.push(`operationTtls['${key}'] must be an integer between 1 and ${MAX_TTL_SECONDS} seconds or a duration such as '1h'`);
      }
    }
  }
  if (o.enableSmartPromotion !== undefined && typeof o.enableSmartPromotion !== 'boolean') problems.push('enableSmartPromotion must be a boolean');
  return problems;
}

/** F6: the `forTesting` check. */
export function testingProblems(o: TestingCacheOptions): Problems {
  return o.useMemoryCache !== undefined && typeof o.useMemoryCache !== 'boolean' ? ['useMemoryCache must be a boolean'] : [];
}

/** True for `{}`-like objects (not arrays, class instances or null). */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

const shown = (v: unknown): unknown => (v === undefined || v === null || typeof v === 'number' || typeof v === 'boolean' ? v ?? null : typeof v === 'string' ? v : typeof v);

/** Throws the F4 `ValidationError` listing every problem, when there is one. */
export function assertBase(o: BaseCacheOptions, extra: Problems = []): void {
  const problems = [...baseProblems(o), ...extra];
  if (problems.length === 0) return;
  const known = new Set(['redisUrl', 'defaultTtl', 'failOnConnectionError']);
  throw new ValidationError(`Factory input validation failed: ${problems.join('; ')}`, {
    code: 'INVALID_FACTORY_INPUT',
    context: {
      validation_errors: problems,
      redis_url: typeof o.redisUrl === 'string' ? redactUrl(o.redisUrl) : shown(o.redisUrl),
      default_ttl: shown(o.defaultTtl),
      fail_on_connection_error: shown(o.failOnConnectionError),
      additional_params: Object.keys(o).filter((k) => !known.has(k)).sort(),
    },
  });
}

/** When an AI option is wrong, throws the F5 `ValidationError` listing every problem (common ones included). */
export function assertAi(o: AiCacheOptions): void {
  const ai = aiProblems(o);
  if (ai.length === 0) return;
  const problems = [...baseProblems(o), ...ai];
  throw new ValidationError(`AI application cache validation failed: ${problems.join('; ')}`, {
    code: 'INVALID_FACTORY_INPUT',
    context: {
      validation_errors: problems,
      text_hash_threshold: shown(o.textHashThreshold),
      memory_cache_size: shown(o.memoryCacheSize),
      operation_ttls: isPlainObject(o.operationTtls) ? Object.keys(o.operationTtls) : shown(o.operationTtls),
    },
  });
}

/** The base options with the method's defaults applied (call after validation). */
export function resolveBase(o: BaseCacheOptions, kind: CacheKind): ResolvedBase {
  const d = DEFAULTS[kind];
  return {
    redisUrl: o.redisUrl ?? d.redisUrl,
    defaultTtl: o.defaultTtl === undefined ? d.defaultTtl : (ttlSeconds(o.defaultTtl) as number),
    enableL1Cache: o.enableL1Cache ?? d.enableL1Cache,
    l1CacheSize: o.l1CacheSize ?? d.l1CacheSize,
    ...(o.compressionThreshold === undefined ? {} : { compressionThreshold: o.compressionThreshold }),
    ...(o.compressionLevel === undefined ? {} : { compressionLevel: o.compressionLevel }),
    failOnConnectionError: o.failOnConnectionError ?? d.failOnConnectionError,
    connectTimeoutMs: o.connectTimeoutMs === undefined ? d.connectTimeoutMs : (timeoutMs(o.connectTimeoutMs) as number),
  };
}
