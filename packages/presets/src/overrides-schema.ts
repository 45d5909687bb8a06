import { z } from 'zod';
import { aBoolean, aDuration, aMapOf, anInteger, aString } from './schema-fields.js';

/** Zod schema of custom overrides: camelCase keys, types only; ranges are left to the config validator. */
export const customOverridesSchema = z.object({
  redisUrl: aString().nullable(),
  redisPassword: aString().nullable(),
  useTls: aBoolean(),
  tlsCertPath: aString().nullable(),
  tlsKeyPath: aString().nullable(),
  maxConnections: anInteger(),
  connectionTimeout: aDuration(),
  defaultTtl: aDuration(),
  memoryCacheSize: anInteger(),
  compressionThreshold: anInteger(),
  compressionLevel: anInteger(),
  enableAiCache: aBoolean(),
  textHashThreshold: anInteger(),
  hashAlgorithm: aString(),
  textSizeTiers: aMapOf(anInteger()),
  operationTtls: aMapOf(aDuration()),
  enableSmartPromotion: aBoolean(),
  maxTextLength: anInteger(),
  enableMonitoring: aBoolean(),
  logLevel: aString(),
}).partial();

/** Parsed custom overrides (durations already in seconds). */
export type CustomOverrides = z.output<typeof customOverridesSchema>;

/** The 20 recognised override keys (camelCase), sorted. */
export const OVERRIDE_KEYS: readonly string[] = Object.freeze(Object.keys(customOverridesSchema.shape).sort());

/** `max_connections` → `maxConnections` (camelCase input is returned unchanged). */
export function toCamelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * Splits raw overrides into recognised camelCase entries (snake_case aliases resolved; a camelCase
 * key wins over its alias), the unknown key names, and the aliases dropped because their camelCase
 * key is also given — all in input order.
 */
export function normaliseOverrideKeys(
  raw: Readonly<Record<string, unknown>>,
  known: readonly string[] = OVERRIDE_KEYS,
): { values: Record<string, unknown>; unknown: string[]; shadowed: { alias: string; key: string }[] } {
  const values: Record<string, unknown> = {};
  const unknown: string[] = [];
  const shadowed: { alias: string; key: string }[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const camel = known.includes(key) ? key : toCamelCase(key);
    if (!known.includes(camel)) unknown.push(key);
    else if (camel !== key && Object.hasOwn(raw, camel)) shadowed.push({ alias: key, key: camel });
    else values[camel] = value;
  }
  return { values, unknown, shadowed };
}
