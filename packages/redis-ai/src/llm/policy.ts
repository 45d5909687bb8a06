import { ConfigurationError, ValidationError, compileGlob, resolveTtlSeconds, type Duration, type GlobMatcher } from '@cache/core';
import { OPERATION_PATTERN } from '../ai/ai-key.js';
import type { LlmKeyScope } from './request-key.js';
import type { LlmRequest } from './request.js';

/**
 * Per-request cache mode: `default` (read; on a miss compute and store), `bypass` (neither read
 * nor store), `refresh` (do not read; compute and store), `no-store` (read; on a miss compute but
 * do not store), `only-if-cached` (read; on a miss do not compute).
 */
export type LlmCacheMode = 'default' | 'bypass' | 'refresh' | 'no-store' | 'only-if-cached';

/** Every mode. */
export const LLM_CACHE_MODES: readonly LlmCacheMode[] = Object.freeze(['default', 'bypass', 'refresh', 'no-store', 'only-if-cached']);

/** The per-request policy: namespace (tenant, operation), mode, TTL and the non-determinism opt-in. */
export interface LlmCallPolicy extends LlmKeyScope {
  /** Default `default`. */
  mode?: LlmCacheMode | undefined;
  /** Seconds (1..31 536 000) or a duration such as `'10m'` for this entry; wins over TTL rules and the default. */
  ttl?: Duration | undefined;
  /** Store and serve this call even with `temperature > 0` and no seed. */
  allowNonDeterministic?: boolean | undefined;
}

/** A TTL rule: the first rule whose every given field matches a call decides its TTL. */
export interface LlmTtlRule {
  /** Provider glob (Redis glob syntax), e.g. `openai*`. */
  readonly provider?: string;
  /** Model id glob, e.g. `gpt-4o*`. */
  readonly modelId?: string;
  /** Operation label, exact. */
  readonly operation?: string;
  /** Seconds (1..31 536 000) or a duration such as `'1d'`. */
  readonly ttl: Duration;
}

/** Why a call neither reads nor is served from the cache. */
export type LlmSkipReason = 'bypass' | 'refresh' | 'nondeterministic';

/**
 * What the cache will do for one call. `cachedCall` is this plan over `getOrSet`: `read` false →
 * `forceRefresh` (or no cache at all when `write` is false too), `write` false → `cacheIf: () =>
 * false`, `computeOnMiss` false → a miss is reported instead of calling the model.
 */
export interface LlmCallPlan {
  key: string;
  mode: LlmCacheMode;
  tenant: string | undefined;
  operation: string;
  read: boolean;
  write: boolean;
  computeOnMiss: boolean;
  /** Seconds the entry lives when stored. */
  ttl: number;
  skipReason: LlmSkipReason | undefined;
}

/** True for `temperature > 0` without a seed: the output is sampled, so a cached copy is one random draw. */
export function isNonDeterministic(request: LlmRequest): boolean {
  return typeof request.temperature === 'number' && request.temperature > 0 && request.seed === undefined;
}

/** Checks a policy's fields (`ValidationError` naming the field); returns the mode. */
export function assertPolicy(policy: LlmCallPolicy): LlmCacheMode {
  if (typeof policy !== 'object' || policy === null) throw new ValidationError('policy must be an object', { code: 'INVALID_POLICY', context: { field: 'policy' } });
  const mode = policy.mode ?? 'default';
  if (!LLM_CACHE_MODES.includes(mode)) {
    throw new ValidationError(`mode must be one of ${LLM_CACHE_MODES.join(', ')}`, { code: 'INVALID_POLICY', context: { field: 'mode', mode: String(mode) } });
  }
  if (policy.allowNonDeterministic !== undefined && typeof policy.allowNonDeterministic !== 'boolean') {
    throw new ValidationError('allowNonDeterministic must be a boolean', { code: 'INVALID_POLICY', context: { field: 'allowNonDeterministic' } });
  }
  return mode;
}

interface CompiledRule {
  provider: GlobMatcher | null;
  modelId: GlobMatcher | null;
  operation: string | null;
  ttl: number;
}

/** Compiled TTL rules (first match wins). */
export class TtlRules {
  readonly #rules: CompiledRule[];

  /** Invalid rules → `ConfigurationError` `INVALID_CONFIGURATION` naming the rule. */
  constructor(rules: readonly LlmTtlRule[] = []) {
    if (!Array.isArray(rules)) throw new ConfigurationError('ttlRules must be an array', { code: 'INVALID_CONFIGURATION', context: { option: 'ttlRules' } });
    this.#rules = rules.map((rule, i) => {
      const bad = (what: string): never => {
        throw new ConfigurationError(`ttlRules[${i}] ${what}`, { code: 'INVALID_CONFIGURATION', context: { option: 'ttlRules', index: i } });
      };
      if (typeof rule !== 'object' || rule === null) bad('must be an object { provider?, modelId?, operation?, ttl }');
      const glob = (v: unknown, name: string): GlobMatcher | null => {
        if (v === undefined) return null;
        if (typeof v !== 'string' || v === '') bad(`${name} must be a non-empty glob string`);
        return compileGlob(v as string);
      };
      if (rule.operation !== undefined && (typeof rule.operation !== 'string' || !OPERATION_PATTERN.test(rule.operation))) {
        bad('operation must be 1-64 characters of [A-Za-z0-9_.-]');
      }
      let ttl = 0;
      try {
        ttl = resolveTtlSeconds(rule.ttl, 0);
      } catch {
        bad('ttl must be whole seconds from 1 to 31536000');
      }
      if (rule.ttl === undefined || rule.ttl === null) bad('ttl is required');
      return { provider: glob(rule.provider, 'provider'), modelId: glob(rule.modelId, 'modelId'), operation: rule.operation ?? null, ttl };
    });
  }

  /** The TTL of the first matching rule, or undefined. */
  ttlFor(provider: string, modelId: string, operation: string): number | undefined {
    for (const r of this.#rules) {
      if ((r.provider === null || r.provider.test(provider)) && (r.modelId === null || r.modelId.test(modelId)) && (r.operation === null || r.operation === operation)) {
        return r.ttl;
      }
    }
    return undefined;
  }
}
