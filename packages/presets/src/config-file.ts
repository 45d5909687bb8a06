import { readFileSync } from 'node:fs';
import { ConfigurationError, type Logger } from '@cache/core';
import type { ConfigOverrides } from './apply-overrides.js';
import { AI_FIELDS } from './config-schema.js';
import { isRecord } from './deep-freeze.js';
import { describeValue } from './describe-value.js';
import { parseJsonText } from './json-text.js';
import { customOverridesSchema, OVERRIDE_KEYS, toCamelCase } from './overrides-schema.js';
import { aString } from './schema-fields.js';

const fileSchema = customOverridesSchema.extend({
  strategy: aString().optional(),
  environment: aString().optional(),
  presetName: aString().nullable().optional(),
});

const FILE_KEYS: readonly string[] = [...OVERRIDE_KEYS, 'strategy', 'environment', 'presetName'];
const ALIASES: Readonly<Record<string, string>> = { aiConfig: 'ai', cacheStrategy: 'strategy' };
const AI_KEYS: readonly string[] = AI_FIELDS;

/**
 * Reads a JSON config file in the `toJSON` shape (camelCase, nested `ai`) or the original
 * snake_case shape (nested `ai_config`), flattens it into type-checked overrides and returns them.
 * Missing file → `ConfigurationError` "Configuration file not found"; malformed JSON →
 * "Invalid JSON …" with `context { file_path, json_error }`; wrong types → `ConfigurationError`
 * listing them. Unknown keys are ignored with one warning; a snake_case alias whose camelCase key is
 * also given is ignored with another.
 */
export function readConfigFile(path: string, logger: Logger): ConfigOverrides {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ConfigurationError(missing ? `Configuration file not found: ${path}` : `Cannot read configuration file ${path}`, {
      code: missing ? 'CONFIG_FILE_NOT_FOUND' : 'CONFIG_FILE_UNREADABLE',
      context: { file_path: path, error: e instanceof Error ? e.message : String(e) },
      cause: e,
    });
  }
  const raw = parseJsonText(text, `configuration file ${path}`, { file_path: path });
  if (!isRecord(raw)) {
    throw new ConfigurationError(`Configuration file ${path} must contain a JSON object, got ${describeValue(raw)}`, {
      code: 'INVALID_CONFIG_FILE',
      context: { file_path: path },
    });
  }
  const flat: Record<string, unknown> = {};
  const unknown: string[] = [];
  let aiSection: unknown;
  const shadowed: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const plain = toCamelCase(key);
    const camel = Object.hasOwn(ALIASES, plain) ? (ALIASES[plain] as string) : plain;
    if (camel !== key && Object.hasOwn(raw, camel)) shadowed.push(key);
    else if (camel === 'ai') aiSection = value;
    else if (FILE_KEYS.includes(camel)) flat[camel] = value;
    else unknown.push(key);
  }
  if (isRecord(aiSection)) {
    for (const [key, value] of Object.entries(aiSection)) {
      const camel = toCamelCase(key);
      if (camel !== key && Object.hasOwn(aiSection, camel)) shadowed.push(`ai.${key}`);
      else if (AI_KEYS.includes(camel)) flat[camel] = value;
      else unknown.push(`ai.${key}`);
    }
  } else if (aiSection !== undefined && aiSection !== null) {
    throw new ConfigurationError(`Configuration file ${path}: ai must be an object or null, got ${describeValue(aiSection)}`, {
      code: 'INVALID_CONFIG_FILE',
      context: { file_path: path },
    });
  }
  if (aiSection !== undefined && flat['enableAiCache'] === undefined) flat['enableAiCache'] = aiSection !== null;
  if (shadowed.length > 0) {
    logger.warn(`Configuration file ${path}: ignoring ${shadowed.join(', ')}: the camelCase spelling of the same key is also given`, {
      file_path: path,
      keys: shadowed,
    });
  }
  if (unknown.length > 0) logger.warn(`Configuration file ${path}: ignoring unknown keys ${unknown.join(', ')}`, { file_path: path, keys: unknown });

  const parsed = fileSchema.safeParse(flat);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => `'${i.path.map(String).join('.')}' ${i.message}`);
    throw new ConfigurationError(`Invalid configuration file ${path}: ${errors.join('; ')}`, {
      code: 'INVALID_CONFIG_FILE',
      context: { file_path: path, errors },
    });
  }
  return parsed.data;
}
