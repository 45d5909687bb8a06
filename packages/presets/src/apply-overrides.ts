import type { Logger } from '@cache/core';
import { createAiConfig, createCacheConfig } from './cache-config.js';
import { AI_FIELDS, type CacheConfig, type CacheConfigInput } from './config-schema.js';
import type { CustomOverrides } from './overrides-schema.js';

/** Type-checked overrides (custom JSON or a config file); enum and range checks come after merging. */
export type ConfigOverrides = CustomOverrides & { strategy?: string; environment?: string; presetName?: string | null };

/** How {@link applyOverrides} treats `operationTtls` / `textSizeTiers`: merge key by key, or replace. */
export type MapMode = 'merge' | 'replace';

type AiInput = NonNullable<CacheConfigInput['ai']>;

/**
 * Returns a new config with `overrides` applied: `enableAiCache` first (on → `ai` from the current
 * section or the AI defaults; off → `ai = null`), then plain fields replace, then AI fields (maps per
 * `mapMode`). AI fields while AI is off are ignored with one warning naming them.
 */
export function applyOverrides(
  config: CacheConfig,
  overrides: ConfigOverrides,
  o: { mapMode: MapMode; logger: Logger; source: string },
): CacheConfig {
  const { textHashThreshold, hashAlgorithm, textSizeTiers, operationTtls, enableSmartPromotion, maxTextLength, ...plain } = overrides;
  const aiOverrides = { textHashThreshold, hashAlgorithm, textSizeTiers, operationTtls, enableSmartPromotion, maxTextLength };
  // Enum/range values are checked by validateCacheConfig on the merged result, so the casts only widen types.
  const input = { ...config, ...dropUndefined(plain) } as CacheConfigInput;
  let ai: CacheConfigInput['ai'] = input.ai;
  if (overrides.enableAiCache !== undefined) ai = overrides.enableAiCache ? (config.ai ?? {}) : null;
  const given = AI_FIELDS.filter((k) => aiOverrides[k] !== undefined);
  if (given.length > 0 && input.enableAiCache !== true) {
    o.logger.warn(`${o.source}: AI fields ignored because AI caching is off: ${given.join(', ')}`, { fields: given });
  } else if (given.length > 0) {
    const merged: Record<string, unknown> = { ...createAiConfig(ai ?? {}) };
    for (const k of given) {
      const value = aiOverrides[k];
      const current = merged[k];
      merged[k] = o.mapMode === 'merge' && typeof value === 'object' && typeof current === 'object' ? { ...current, ...value } : value;
    }
    ai = merged as AiInput;
  }
  return createCacheConfig({ ...input, ai });
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
