import { defaultLogger, redactUrl, type Logger } from '@cache/core';
import type { GenericRedisCacheOptions } from '@cache/redis';
import { INTEGER_RULES, KNOWN_OPERATIONS, isValidRedisUrl, operationTtlProblems, tierProblems } from './limits.js';
import { ParameterValidationResult } from './validation-result.js';

/**
 * One entry per `GenericRedisCacheOptions` key: the compiler rejects a missing or extra name, so
 * this list cannot drift from the base cache's options (a type-only import: no ioredis is loaded).
 */
const GENERIC_OPTION_NAMES: { readonly [K in keyof Required<GenericRedisCacheOptions>]: true } = {
  redisUrl: true, cluster: true, sentinel: true, client: true, keyPrefix: true, name: true, defaultTtl: true, enableL1Cache: true,
  l1CacheSize: true, l1MaxTtl: true, l1Values: true, l1Coherence: true, clear: true, compressionThreshold: true, compressionLevel: true, maxValueBytes: true,
  securityConfig: true, encryption: true, allowUnencrypted: true, readLegacyPythonFormat: true, failOnConnectionError: true,
  connectTimeoutMs: true, commandTimeoutMs: true, reconnect: true, scanCount: true, pendingInvalidationLimit: true,
  performanceMonitor: true, codec: true, clock: true, logger: true, env: true,
};

/** Every option of `GenericRedisCache` (they pass through to it unchanged). */
export const GENERIC_PARAMETERS: readonly string[] = Object.freeze(Object.keys(GENERIC_OPTION_NAMES));

/** The options only `AIResponseCache` understands. */
export const AI_PARAMETERS: readonly string[] = Object.freeze([
  'textHashThreshold', 'hashAlgorithm', 'textSizeTiers', 'operationTtls', 'enableSmartPromotion', 'alwaysHashText', 'maxTextLength',
]);

/** Deprecated names and what they become. */
export const PARAMETER_MAPPINGS: Readonly<Record<string, string>> = Object.freeze({ memoryCacheSize: 'l1CacheSize' });

const GENERIC = new Set(GENERIC_PARAMETERS);
const AI = new Set(AI_PARAMETERS);
const BOOLEANS = ['enableL1Cache', 'enableSmartPromotion', 'alwaysHashText', 'allowUnencrypted', 'failOnConnectionError', 'readLegacyPythonFormat'];

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isInteger(value)) return 'float';
  return typeof value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Splits AI cache options into the generic half (for `GenericRedisCache`) and the AI half, and
 * validates them against one set of ranges (the same as `GenericRedisCache`'s). Pure: input is
 * never mutated, values pass through untouched.
 */
export class CacheParameterMapper {
  readonly #logger: Logger;

  /** `logger` receives the warning about unknown parameter names; default core's `defaultLogger`. */
  constructor(options: { logger?: Logger } = {}) {
    this.#logger = options.logger ?? defaultLogger;
  }

  /**
   * `[generic, aiSpecific]`: generic names go left, AI names right, `memoryCacheSize` becomes
   * `l1CacheSize` (an explicit `l1CacheSize` wins), unknown names go right with a logged warning.
   * With an L1 size set and `enableL1Cache` absent, `enableL1Cache` becomes true. No key appears in
   * both halves; `{}` gives `[{}, {}]`.
   */
  mapAiToGenericParams(params: Readonly<Record<string, unknown>>): [generic: Record<string, unknown>, aiSpecific: Record<string, unknown>] {
    const generic: Record<string, unknown> = {};
    const ai: Record<string, unknown> = {};
    const unknown: string[] = [];
    for (const [name, value] of Object.entries(params)) {
      if (GENERIC.has(name)) generic[name] = value;
      else if (AI.has(name)) ai[name] = value;
      else if (name in PARAMETER_MAPPINGS) continue;
      else {
        ai[name] = value;
        unknown.push(name);
      }
    }
    for (const [from, to] of Object.entries(PARAMETER_MAPPINGS)) {
      if (params[from] !== undefined && params[to] === undefined) generic[to] = params[from];
    }
    if (generic['l1CacheSize'] !== undefined && params['enableL1Cache'] === undefined) generic['enableL1Cache'] = true;
    if (unknown.length > 0) this.#logger.warn(`Unknown AI cache parameter(s) treated as AI-specific: ${unknown.join(', ')}`);
    return [generic, ai];
  }

  /** Checks types, ranges, conflicts and gives recommendations (see the package README); never throws. */
  validateParameterCompatibility(params: Readonly<Record<string, unknown>>): ParameterValidationResult {
    const result = new ParameterValidationResult({ context: { parameterCount: Object.keys(params).length } });
    for (const name of Object.keys(params)) {
      if (GENERIC.has(name)) result.genericParams.add(name);
      else if (AI.has(name) || !(name in PARAMETER_MAPPINGS)) result.aiSpecificParams.add(name);
    }
    const has = (name: string): boolean => params[name] !== undefined;

    for (const [name, rule] of Object.entries(INTEGER_RULES)) {
      if (!has(name)) continue;
      const value = params[name];
      if (typeof value !== 'number' || !Number.isInteger(value)) result.addError(`Parameter '${name}' must be integer, got ${typeName(value)}`);
      else if (value < rule.min) result.addError(`Parameter '${name}' must be >= ${rule.min}, got ${value}`);
      else if (value > rule.max) result.addError(`Parameter '${name}' must be <= ${rule.max}, got ${value}`);
    }
    for (const name of BOOLEANS) {
      if (has(name) && typeof params[name] !== 'boolean') result.addError(`Parameter '${name}' must be boolean, got ${typeName(params[name])}`);
    }
    if (has('redisUrl')) {
      const url = params['redisUrl'];
      if (typeof url !== 'string') result.addError(`Parameter 'redisUrl' must be string, got ${typeName(url)}`);
      else if (!isValidRedisUrl(url)) {
        result.addError(`Parameter 'redisUrl' must be a valid Redis URL (redis://host:port, rediss://host:port or unix:///path), got ${JSON.stringify(redactUrl(url))}`);
      }
    }
    if (has('hashAlgorithm')) {
      const algorithm = params['hashAlgorithm'];
      if (typeof algorithm !== 'string') result.addError(`Parameter 'hashAlgorithm' must be string, got ${typeName(algorithm)}`);
      else if (algorithm !== 'sha256' && algorithm !== 'md5') result.addError(`Parameter 'hashAlgorithm' must be one of sha256, md5, got ${JSON.stringify(algorithm)}`);
    }
    if (has('textSizeTiers')) {
      const tiers = params['textSizeTiers'];
      if (!isObject(tiers)) result.addError(`Parameter 'textSizeTiers' must be object, got ${typeName(tiers)}`);
      else for (const problem of tierProblems(tiers)) result.addError(`Parameter 'textSizeTiers' ${problem}`);
    }
    if (has('operationTtls')) {
      const ttls = params['operationTtls'];
      if (!isObject(ttls)) result.addError(`Parameter 'operationTtls' must be object, got ${typeName(ttls)}`);
      else {
        const [errors, unknown] = operationTtlProblems(ttls);
        for (const error of errors) result.addError(`Parameter 'operationTtls' ${error}`);
        if (unknown.length > 0) {
          result.addWarning(`Parameter 'operationTtls' has unknown operation(s) ${unknown.join(', ')}; known operations: ${KNOWN_OPERATIONS.join(', ')}`);
        }
      }
    }

    if (has('memoryCacheSize') && has('l1CacheSize') && params['memoryCacheSize'] !== params['l1CacheSize']) {
      result.addConflict(
        'memoryCacheSize',
        `memoryCacheSize (${String(params['memoryCacheSize'])}) differs from l1CacheSize (${String(params['l1CacheSize'])}); memoryCacheSize is a deprecated alias of l1CacheSize: pass only l1CacheSize`,
      );
    }
    const size = params['l1CacheSize'] ?? params['memoryCacheSize'];
    if (params['enableL1Cache'] === false && typeof size === 'number' && size > 0) {
      result.addWarning(`enableL1Cache is false but an L1 size (${size}) is given: the size is ignored`);
      result.addRecommendation('Enable the L1 cache (enableL1Cache: true) to use the configured size');
    }
    const threshold = params['compressionThreshold'];
    const level = params['compressionLevel'];
    if (threshold === 0 && typeof level === 'number' && level > 1) {
      result.addWarning(`compressionThreshold is 0 with compressionLevel ${level}: every payload is compressed`);
    }
    if (typeof threshold === 'number' && threshold > 10_000) {
      result.addRecommendation(`compressionThreshold ${threshold} is high: values up to that size are never compressed; consider 1000-5000`);
    }
    if (typeof level === 'number' && level > 7) {
      result.addRecommendation(`compressionLevel ${level} costs much CPU for little gain; consider 6`);
    }
    const textHash = params['textHashThreshold'];
    if (has('textHashThreshold') || has('compressionThreshold')) {
      const effectiveText = typeof textHash === 'number' ? textHash : 1000;
      const effectiveCompression = typeof threshold === 'number' ? threshold : 1000;
      if (effectiveText !== effectiveCompression) {
        result.addRecommendation(
          `textHashThreshold (${effectiveText}) differs from compressionThreshold (${effectiveCompression}); aligning them keeps large texts hashed and compressed alike`,
        );
      }
    }
    return result;
  }

  /** Sorted parameter lists, mappings, the validation rules (data only) and counts; a fresh object each call. */
  getParameterInfo(): {
    genericParameters: string[];
    aiSpecificParameters: string[];
    parameterMappings: Record<string, string>;
    parameterConflicts: Record<string, string>;
    validationRules: Record<string, object>;
    totalParameters: number;
  } {
    const validationRules: Record<string, object> = {};
    for (const [name, rule] of Object.entries(INTEGER_RULES)) validationRules[name] = { ...rule };
    for (const name of BOOLEANS) validationRules[name] = { type: 'boolean' };
    validationRules['redisUrl'] = { type: 'string', schemes: ['redis', 'rediss', 'unix'] };
    validationRules['hashAlgorithm'] = { type: 'string', allowed: ['sha256', 'md5'] };
    validationRules['textSizeTiers'] = { type: 'object', required: ['small', 'medium', 'large'], order: 'small < medium < large' };
    validationRules['operationTtls'] = { type: 'object', valueMin: INTEGER_RULES['defaultTtl']?.min, valueMax: INTEGER_RULES['defaultTtl']?.max, knownOperations: [...KNOWN_OPERATIONS] };
    return {
      genericParameters: [...GENERIC_PARAMETERS].sort(),
      aiSpecificParameters: [...AI_PARAMETERS].sort(),
      parameterMappings: { ...PARAMETER_MAPPINGS },
      parameterConflicts: {},
      validationRules,
      totalParameters: GENERIC_PARAMETERS.length + AI_PARAMETERS.length,
    };
  }
}

/** True for a name neither side knows (and not a deprecated alias). */
export function isUnknownParameter(name: string): boolean {
  return !GENERIC.has(name) && !AI.has(name) && !(name in PARAMETER_MAPPINGS);
}
