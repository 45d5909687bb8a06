import { parseDuration } from '@cache/core';
import { z } from 'zod';
import { cacheConfigObjectSchema, CONFIGURATION_KEYS, normaliseConfigInput } from './config-schema.js';
import { deepEqual, isRecord } from './deep-freeze.js';
import { describeValue } from './describe-value.js';
import { customOverridesSchema, normaliseOverrideKeys, OVERRIDE_KEYS } from './overrides-schema.js';
import { cachePresetSchema, PRESET_REQUIRED_FIELDS } from './preset-schema.js';
import { getTemplate, listTemplates } from './templates.js';
import { ValidationResult } from './validation-result.js';

/** A JSON Schema document as produced by `z.toJSONSchema`. */
export type JsonSchema = z.core.JSONSchema.JSONSchema;

/** Result of {@link CacheValidator.compareConfigurations}. */
export interface ConfigurationComparison {
  addedKeys: string[];
  removedKeys: string[];
  changedValues: { key: string; oldValue: unknown; newValue: unknown }[];
  identicalKeys: string[];
}

/** Environment contexts auto-detection can produce or match. */
export const KNOWN_ENVIRONMENT_CONTEXTS: readonly string[] = Object.freeze([
  'development', 'dev', 'testing', 'test', 'staging', 'stage', 'production', 'prod',
  'ai-development', 'ai-production', 'local', 'demo', 'sandbox', 'minimal', 'embedded', 'iot', 'container', 'serverless',
]);

const SECRET_FIELDS = new Set(['redisUrl', 'redisPassword']);
const WEEK_SECONDS = 604_800;
const REPORT_INPUT = { reportInput: true } as const;

function pathOf(path: readonly PropertyKey[], root: string): string {
  return path.length === 0 ? root : path.map(String).join('.');
}

function addIssues(result: ValidationResult, error: z.ZodError, render: (field: string, message: string) => string, root: string): void {
  for (const issue of error.issues) {
    const field = pathOf(issue.path, root);
    const context: Record<string, unknown> = { issue_code: issue.code };
    if (!SECRET_FIELDS.has(String(issue.path[0]))) context['value'] = describeValue(issue.input);
    result.addError(render(field, issue.message), { fieldPath: field, context });
  }
}

function addUnknownKeyWarnings(result: ValidationResult, o: Record<string, unknown>, known: readonly string[], what: string): void {
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) {
      result.addWarning(`Unknown ${what} key '${key}' - will be ignored`, { fieldPath: key, context: { valid_keys: [...known] } });
    }
  }
}

const PRESET_KEYS: readonly string[] = Object.freeze(Object.keys(cachePresetSchema.unwrap().shape).sort());

function ascending(values: readonly unknown[]): boolean {
  return values.every((v, i) => i === 0 || (typeof v === 'number' && typeof values[i - 1] === 'number' && (values[i - 1] as number) < v));
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/**
 * Validates presets, configurations and custom overrides with zod schemas and reports errors,
 * warnings and info in a {@link ValidationResult}; never throws for bad input.
 */
export class CacheValidator {
  /** JSON Schemas of the preset and configuration shapes (input side: defaulted fields are optional). */
  readonly schemas: { preset: JsonSchema; configuration: JsonSchema } = {
    preset: z.toJSONSchema(cachePresetSchema, { io: 'input' }),
    configuration: z.toJSONSchema(cacheConfigObjectSchema, { io: 'input' }),
  };

  /**
   * The 13 required fields first (each absent one → "Missing required field: <f>", and nothing
   * else is checked), then ranges and enums, then AI-optimization, consistency and
   * environment-context rules; an unknown key is a warning "Unknown preset key '<k>' - will be ignored".
   */
  validatePreset(p: unknown): ValidationResult {
    const result = new ValidationResult({ validationType: 'preset' });
    if (!isRecord(p)) {
      result.addError(`Preset must be an object, got ${describeValue(p)}`, { context: { value: describeValue(p) } });
      return result;
    }
    const missing = PRESET_REQUIRED_FIELDS.filter((f) => p[f] === undefined);
    for (const f of missing) result.addError(`Missing required field: ${f}`, { fieldPath: f });
    if (missing.length > 0) return result;

    const parsed = cachePresetSchema.safeParse(p, REPORT_INPUT);
    if (!parsed.success) addIssues(result, parsed.error, (field, message) => `${field} ${message}`, 'preset');
    addUnknownKeyWarnings(result, p, PRESET_KEYS, 'preset');

    const ai = isRecord(p['aiOptimizations']) ? p['aiOptimizations'] : {};
    const aiKeys = Object.keys(ai);
    if (p['enableAiCache'] === true) {
      if (aiKeys.length === 0) {
        result.addInfo('AI is enabled without aiOptimizations; the AI defaults apply', { fieldPath: 'aiOptimizations' });
      } else {
        const threshold = num(ai['textHashThreshold']);
        if (threshold !== undefined && (!Number.isInteger(threshold) || threshold < 100 || threshold > 10_000)) {
          result.addError(`aiOptimizations.textHashThreshold must be an integer between 100 and 10000, got ${threshold}`, {
            fieldPath: 'aiOptimizations.textHashThreshold',
            context: { value: threshold },
          });
        }
        const ttls = isRecord(ai['operationTtls']) ? ai['operationTtls'] : {};
        for (const [op, ttl] of Object.entries(ttls)) {
          if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 60) {
            result.addError(`aiOptimizations.operationTtls.${op} must be an integer of at least 60 seconds, got ${describeValue(ttl)}`, {
              fieldPath: `aiOptimizations.operationTtls.${op}`,
              context: { value: describeValue(ttl) },
            });
          }
        }
        const tiers = isRecord(ai['textSizeTiers']) ? ai['textSizeTiers'] : {};
        if (!ascending(Object.values(tiers))) {
          result.addWarning(`aiOptimizations.textSizeTiers values are not ascending: ${describeValue(tiers)}`, {
            fieldPath: 'aiOptimizations.textSizeTiers',
          });
        }
      }
    } else if (aiKeys.length > 0) {
      result.addWarning('aiOptimizations are set but enableAiCache is false; they have no effect', {
        fieldPath: 'aiOptimizations',
        context: { keys: aiKeys },
      });
    }

    const ttl = num(p['defaultTtl']);
    const mem = num(p['memoryCacheSize']);
    if (ttl !== undefined && mem !== undefined && ttl > 7200 && mem < 200) {
      result.addWarning(`defaultTtl ${ttl} with memoryCacheSize ${mem} may cause frequent evictions; consider at least 200 entries`, {
        fieldPath: 'memoryCacheSize',
        context: { defaultTtl: ttl, memoryCacheSize: mem },
      });
    }

    const contexts = Array.isArray(p['environmentContexts']) ? (p['environmentContexts'] as unknown[]) : [];
    if (contexts.length === 0) result.addWarning('No environment contexts specified', { fieldPath: 'environmentContexts' });
    for (const c of contexts) {
      if (typeof c === 'string' && !KNOWN_ENVIRONMENT_CONTEXTS.includes(c)) {
        result.addWarning(`Unknown environment context ${JSON.stringify(c)} may not match auto-detection`, {
          fieldPath: 'environmentContexts',
          context: { context: c, known_contexts: [...KNOWN_ENVIRONMENT_CONTEXTS] },
        });
      }
    }
    return result;
  }

  /**
   * Structural and range errors via the config schema (missing fields take the defaults of `createCacheConfig()`;
   * aliases `cacheStrategy`, `l1CacheSize` and flat AI fields accepted) plus consistency warnings;
   * an unknown key (e.g. a typo) is a warning "Unknown configuration key '<k>' - will be ignored".
   * No file-system checks (see `validateCacheConfig`).
   */
  validateConfiguration(c: unknown): ValidationResult {
    const result = new ValidationResult({ validationType: 'configuration' });
    const input = normaliseConfigInput(c);
    const parsed = cacheConfigObjectSchema.safeParse(input, REPORT_INPUT);
    if (!parsed.success) addIssues(result, parsed.error, (field, message) => `${field} ${message}`, 'configuration');
    if (isRecord(c)) addUnknownKeyWarnings(result, c, CONFIGURATION_KEYS, 'configuration');
    if (isRecord(input)) addConfigurationWarnings(result, input);
    return result;
  }

  /**
   * Recognised keys (camelCase or snake_case) get type checks ("Override '<k>' expects
   * <type>, got <type>"); unknown keys get a warning. Ranges are left to the config validator.
   */
  validateCustomOverrides(o: unknown): ValidationResult {
    const result = new ValidationResult({ validationType: 'custom_overrides' });
    if (!isRecord(o)) {
      result.addError(`Custom overrides must be a JSON object, got ${describeValue(o)}`);
      return result;
    }
    const { values, unknown, shadowed } = normaliseOverrideKeys(o);
    for (const key of unknown) {
      result.addWarning(`Unknown override key '${key}' - will be ignored`, { fieldPath: key, context: { valid_keys: [...OVERRIDE_KEYS] } });
    }
    for (const { alias, key } of shadowed) {
      result.addWarning(`Override key '${alias}' is an alias of '${key}', which is also given - '${alias}' will be ignored`, {
        fieldPath: alias,
        context: { alias, key },
      });
    }
    const parsed = customOverridesSchema.safeParse(values, REPORT_INPUT);
    if (!parsed.success) addIssues(result, parsed.error, (field, message) => `Override '${field}' ${message}`, 'overrides');
    return result;
  }

  /** A fresh copy of a named template; unknown → `ConfigurationError` "Unknown template … Available: …". */
  getTemplate(name: string): Record<string, unknown> {
    return getTemplate(name);
  }

  /** Template names in order: `fast_development`, `robust_production`, `ai_optimized`. */
  listTemplates(): string[] {
    return listTemplates();
  }

  /** Differences between two configs: top-level key diff; added/removed sorted; shared keys in sorted order, deep-compared. */
  compareConfigurations(a: object, b: object): ConfigurationComparison {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const ka = Object.keys(ra);
    const kb = Object.keys(rb);
    const out: ConfigurationComparison = {
      addedKeys: kb.filter((k) => !Object.hasOwn(ra, k)).sort(),
      removedKeys: ka.filter((k) => !Object.hasOwn(rb, k)).sort(),
      changedValues: [],
      identicalKeys: [],
    };
    for (const key of ka.filter((k) => Object.hasOwn(rb, k)).sort()) {
      if (deepEqual(ra[key], rb[key])) out.identicalKeys.push(key);
      else out.changedValues.push({ key, oldValue: ra[key], newValue: rb[key] });
    }
    return out;
  }
}

function addConfigurationWarnings(result: ValidationResult, c: Record<string, unknown>): void {
  const url = typeof c['redisUrl'] === 'string' ? c['redisUrl'] : '';
  const tlsUrl = url.startsWith('rediss://');
  if (c['useTls'] === true && url !== '' && !tlsUrl) {
    result.addWarning('useTls is true but redisUrl does not use rediss://; use a rediss:// URL for TLS', { fieldPath: 'redisUrl' });
  }
  if (typeof c['redisPassword'] === 'string' && c['redisPassword'] !== '' && c['useTls'] !== true && !tlsUrl) {
    result.addWarning('redisPassword is set without TLS; the password travels in plain text', { fieldPath: 'redisPassword' });
  }
  const conns = num(c['maxConnections']);
  const timeout = num(parseDuration(c['connectionTimeout']));
  if (conns !== undefined && timeout !== undefined && conns > 50 && timeout < 10) {
    result.addWarning(`maxConnections ${conns} with connectionTimeout ${timeout}s may time out under load; consider at least 10s`, {
      fieldPath: 'connectionTimeout',
      context: { maxConnections: conns, connectionTimeout: timeout },
    });
  }
  const ai = c['enableAiCache'] === true && isRecord(c['ai']) ? c['ai'] : undefined;
  if (!ai) return;
  const threshold = num(ai['textHashThreshold']);
  if (threshold !== undefined && threshold < 100) {
    result.addWarning(`ai.textHashThreshold ${threshold} is very low; most texts will be hashed`, { fieldPath: 'ai.textHashThreshold' });
  }
  if (isRecord(ai['textSizeTiers']) && !ascending(Object.values(ai['textSizeTiers']))) {
    result.addWarning(`ai.textSizeTiers values are not ascending in key order: ${describeValue(ai['textSizeTiers'])}`, {
      fieldPath: 'ai.textSizeTiers',
    });
  }
  if (isRecord(ai['operationTtls'])) {
    for (const [op, raw] of Object.entries(ai['operationTtls'])) {
      const ttl = parseDuration(raw);
      if (ttl !== undefined && ttl > WEEK_SECONDS) {
        result.addWarning(`ai.operationTtls.${op} of ${ttl}s is longer than a week`, { fieldPath: `ai.operationTtls.${op}`, context: { ttl } });
      }
    }
  }
}

/** The shared validator instance. */
export const cacheValidator: CacheValidator = new CacheValidator();
