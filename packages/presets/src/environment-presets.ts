import type { CacheConfig } from './config-schema.js';
import { cachePresetManager, type PresetDetails } from './preset-manager.js';
import { presetToCacheConfig } from './presets.js';

/** Static shortcuts over the shared {@link cachePresetManager}: each returns a fresh deep-frozen config. */
export class EnvironmentPresets {
  /** The `disabled` preset. */
  static disabled(): CacheConfig {
    return presetToCacheConfig(cachePresetManager.getPreset('disabled'));
  }
  /** The `minimal` preset. */
  static minimal(): CacheConfig {
    return presetToCacheConfig(cachePresetManager.getPreset('minimal'));
  }
  /** The `simple` preset. */
  static simple(): CacheConfig {
    return presetToCacheConfig(cachePresetManager.getPreset('simple'));
  }
  /** The `development` preset. */
  static development(): CacheConfig {
    return presetToCacheConfig(cachePresetManager.getPreset('development'));
  }
  /** Alias of {@link EnvironmentPresets.development} (environment `development`). */
  static testing(): CacheConfig {
    return EnvironmentPresets.development();
  }
  /** The `production` preset. */
  static production(): CacheConfig {
    return presetToCacheConfig(cachePresetManager.getPreset('production'));
  }
  /** The `ai-development` preset. */
  static aiDevelopment(): CacheConfig {
    return presetToCacheConfig(cachePresetManager.getPreset('ai-development'));
  }
  /** The `ai-production` preset. */
  static aiProduction(): CacheConfig {
    return presetToCacheConfig(cachePresetManager.getPreset('ai-production'));
  }
  /** The preset keys in canonical order. */
  static getPresetNames(): string[] {
    return cachePresetManager.listPresets();
  }
  /** Details of one preset: name, description, settings, contexts and AI optimizations. */
  static getPresetDetails(n: string): PresetDetails {
    return cachePresetManager.getPresetDetails(n);
  }
  /** Recommended preset key for `env`, or auto-detected from `process.env` when omitted. */
  static recommendPreset(env?: string): string {
    return cachePresetManager.recommendPreset(env);
  }
}
