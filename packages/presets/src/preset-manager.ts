import { ConfigurationError, defaultLogger, ValidationError, type EnvironmentResolver, type Logger } from '@cache/core';
import type { AICacheConfig } from './config-schema.js';
import { deepFreeze } from './deep-freeze.js';
import { cachePresetSchema, type CachePreset } from './preset-schema.js';
import { CACHE_PRESETS } from './presets.js';
import { autoRecommend, recommendForEnvironment, type EnvironmentRecommendation } from './recommendation.js';
import type { CacheStrategy, EnvSource, LogLevel } from './strategy.js';
import { rejectUnknownOptions } from './unknown-options.js';
import { cacheValidator } from './validator.js';

/** A preset described for display. `aiOptimizations` is `null` for presets without AI. */
export interface PresetDetails {
  name: string;
  description: string;
  configuration: {
    strategy: CacheStrategy;
    defaultTtl: number;
    maxConnections: number;
    connectionTimeout: number;
    memoryCacheSize: number;
    compressionThreshold: number;
    compressionLevel: number;
    enableAiCache: boolean;
    enableMonitoring: boolean;
    logLevel: LogLevel;
  };
  environmentContexts: string[];
  aiOptimizations: Partial<AICacheConfig> | null;
}

/**
 * The unknown-preset error: `ConfigurationError` `UNKNOWN_PRESET` naming the requested name (and, when given, where
 * it came from, e.g. `CACHE_PRESET`) and every available key; `context { requested_preset, available }`.
 */
export function unknownPresetError(name: string, available: string[], source?: string): ConfigurationError {
  const from = source === undefined ? '' : ` (from ${source})`;
  return new ConfigurationError(`Unknown preset ${JSON.stringify(name)}${from}. Available presets: ${available.join(', ')}`, {
    code: 'UNKNOWN_PRESET',
    context: { requested_preset: name, available },
  });
}

/** Options of {@link CachePresetManager}. */
export interface CachePresetManagerOptions {
  /** Presets added after the seven built-ins; each is validated, keys must be new. */
  extraPresets?: readonly CachePreset[];
  /** Variables for auto-detection; default `process.env`, read at call time. */
  env?: EnvSource;
  /** Replaces core's `detectEnvironment` for auto-detection. */
  environmentResolver?: EnvironmentResolver;
  /** Receives validation findings; default: core's `defaultLogger` (warn + error). */
  logger?: Logger;
}

/** Looks up, describes, validates and recommends presets (the seven built-ins plus any extras). */
export class CachePresetManager {
  readonly #presets = new Map<string, CachePreset>(Object.entries(CACHE_PRESETS));
  readonly #env: EnvSource | undefined;
  readonly #resolver: EnvironmentResolver | undefined;
  readonly #logger: Logger;

  /**
   * Extra presets are validated: an invalid one throws `ValidationError` `INVALID_PRESET`, a key
   * that is empty or already taken, or an unknown option name, throws `ConfigurationError` `INVALID_CONFIGURATION`.
   */
  constructor(o: CachePresetManagerOptions = {}) {
    rejectUnknownOptions('CachePresetManager', o, ['extraPresets', 'env', 'environmentResolver', 'logger'], 'options');
    this.#env = o.env;
    this.#resolver = o.environmentResolver;
    this.#logger = o.logger ?? defaultLogger;
    for (const preset of o.extraPresets ?? []) this.#addPreset(preset);
  }

  /** The preset with this exact key; otherwise `ConfigurationError` `UNKNOWN_PRESET` listing every key. */
  getPreset(name: string): CachePreset {
    const preset = this.#presets.get(name);
    if (!preset) throw unknownPresetError(name, this.listPresets());
    return preset;
  }

  /** Every key, built-ins first in canonical order, then extras in the order given. */
  listPresets(): string[] {
    return [...this.#presets.keys()];
  }

  /** Name, description, the configuration scalars, contexts and AI optimizations (`null` without AI). */
  getPresetDetails(name: string): PresetDetails {
    const p = this.getPreset(name);
    return {
      name: p.name,
      description: p.description,
      configuration: {
        strategy: p.strategy,
        defaultTtl: p.defaultTtl,
        maxConnections: p.maxConnections,
        connectionTimeout: p.connectionTimeout,
        memoryCacheSize: p.memoryCacheSize,
        compressionThreshold: p.compressionThreshold,
        compressionLevel: p.compressionLevel,
        enableAiCache: p.enableAiCache,
        enableMonitoring: p.enableMonitoring,
        logLevel: p.logLevel,
      },
      environmentContexts: [...p.environmentContexts],
      aiOptimizations: p.enableAiCache ? structuredClone(p.aiOptimizations) : null,
    };
  }

  /** Details of every preset, keyed by preset key. */
  getAllPresetsSummary(): Record<string, PresetDetails> {
    return Object.fromEntries(this.listPresets().map((k) => [k, this.getPresetDetails(k)]));
  }

  /** `cacheValidator.validatePreset(p).isValid`, logging each error (error level) and warning (warn level). */
  validatePreset(p: CachePreset): boolean {
    const result = cacheValidator.validatePreset(p);
    for (const m of result.messages) {
      if (m.severity === 'error') this.#logger.error(`Preset validation error: ${m.message}`, { field: m.fieldPath });
      else if (m.severity === 'warning') this.#logger.warn(`Preset validation warning: ${m.message}`, { field: m.fieldPath });
    }
    return result.isValid;
  }

  /** The recommended preset key (see {@link CachePresetManager.recommendPresetWithDetails}). */
  recommendPreset(environment?: string): string {
    return this.recommendPresetWithDetails(environment).presetName;
  }

  /** With an environment name: the preset matching that name. Without: auto-detection from the environment variables. */
  recommendPresetWithDetails(environment?: string): EnvironmentRecommendation {
    if (environment !== undefined) return recommendForEnvironment(environment);
    return autoRecommend(this.#env ?? process.env, this.#resolver, (k) => this.#presets.has(k));
  }

  #addPreset(preset: CachePreset): void {
    const key: unknown = (preset as { key?: unknown }).key;
    if (typeof key !== 'string' || key.trim() === '' || this.#presets.has(key)) {
      const reason = typeof key === 'string' && key.trim() !== '' ? 'collides with an existing preset' : 'must be a non-empty string';
      throw new ConfigurationError(`Extra preset key ${JSON.stringify(key)} ${reason}`, {
        code: 'INVALID_CONFIGURATION',
        context: { preset_key: typeof key === 'string' ? key : String(key), existing: this.listPresets() },
      });
    }
    const result = cacheValidator.validatePreset(preset);
    const parsed = cachePresetSchema.safeParse(preset);
    if (!result.isValid || !parsed.success) {
      throw new ValidationError(`Invalid preset ${JSON.stringify(key)}: ${result.errors.join('; ')}`, {
        code: 'INVALID_PRESET',
        context: { preset_key: key, errors: result.errors, warnings: result.warnings },
      });
    }
    this.#presets.set(key, deepFreeze(structuredClone(parsed.data)));
  }
}

/** The shared manager (built-ins only, `process.env`, default logger). */
export const cachePresetManager: CachePresetManager = new CachePresetManager();
