import { MAX_TTL_SECONDS } from '@cache/core';

/** Operations the standalone defaults know TTLs for; others are accepted with a warning. */
export const KNOWN_OPERATIONS: readonly string[] = Object.freeze(['summarize', 'sentiment', 'key_points', 'questions', 'qa']);

/** One numeric rule: an integer in `[min, max]`. */
export interface IntegerRule {
  readonly type: 'integer';
  readonly min: number;
  readonly max: number;
}

/** The numeric ranges shared by the parameter mapper and the config (the same as GenericRedisCache's). */
export const INTEGER_RULES: Readonly<Record<string, IntegerRule>> = Object.freeze({
  defaultTtl: { type: 'integer', min: 1, max: MAX_TTL_SECONDS },
  l1CacheSize: { type: 'integer', min: 0, max: 10_000 },
  memoryCacheSize: { type: 'integer', min: 0, max: 10_000 },
  compressionThreshold: { type: 'integer', min: 0, max: 1_048_576 },
  compressionLevel: { type: 'integer', min: 1, max: 9 },
  textHashThreshold: { type: 'integer', min: 1, max: 100_000 },
  maxTextLength: { type: 'integer', min: 1, max: Number.MAX_SAFE_INTEGER },
});

/**
 * True for `redis://host[:port]`, `rediss://host[:port]` (port 1..65535) or `unix:///path`.
 * Never throws.
 */
export function isValidRedisUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'unix:') return parsed.pathname.length > 1;
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') return false;
  if (parsed.hostname === '') return false;
  if (parsed.port === '') return true;
  const port = Number(parsed.port);
  return Number.isInteger(port) && port >= 1 && port <= 65_535;
}

/** Problems with a tier table (`missing required tiers: …`, non-positive, order), as messages without a field name. */
export function tierProblems(tiers: unknown): string[] {
  if (typeof tiers !== 'object' || tiers === null || Array.isArray(tiers)) return ['must be an object { small, medium, large }'];
  const t = tiers as Record<string, unknown>;
  const missing = ['small', 'medium', 'large'].filter((name) => t[name] === undefined);
  if (missing.length > 0) return [`missing required tiers: ${missing.join(', ')}`];
  const problems: string[] = [];
  for (const name of ['small', 'medium', 'large']) {
    const v = t[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) problems.push(`tier '${name}' must be a positive integer, got ${String(v)}`);
  }
  if (problems.length === 0 && !((t.small as number) < (t.medium as number) && (t.medium as number) < (t.large as number))) {
    problems.push(`tiers must satisfy small < medium < large, got ${String(t.small)}/${String(t.medium)}/${String(t.large)}`);
  }
  return problems;
}

/** Problems with an operation → TTL map, as `[errors, unknownOperations]`. */
export function operationTtlProblems(ttls: unknown): [errors: string[], unknown: string[]] {
  if (typeof ttls !== 'object' || ttls === null || Array.isArray(ttls)) return [['must be an object of operation → seconds'], []];
  const errors: string[] = [];
  const unknown: string[] = [];
  for (const [operation, ttl] of Object.entries(ttls as Record<string, unknown>)) {
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) {
      errors.push(`TTL for '${operation}' must be an integer from 1 to ${MAX_TTL_SECONDS} seconds, got ${String(ttl)}`);
    }
    if (!KNOWN_OPERATIONS.includes(operation)) unknown.push(operation);
  }
  return [errors, unknown];
}
