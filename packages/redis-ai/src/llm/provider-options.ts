import { ConfigurationError } from '@cache/core';
import { refuseShape } from './canonical.js';

/** The `providerOptions` entry that carries this cache's per-request policy; never part of a key. */
export const POLICY_PROVIDER_OPTIONS_KEY = 'redis-ai';

/**
 * Provider options known to change a model's output, as `<provider>.<option>`: they enter the
 * request key by default. Options outside the allow-list (user ids, metadata, store flags, prompt
 * cache keys, service tiers, …) are ignored, so they never split the cache; `explainKey` lists
 * what was ignored.
 */
export const DEFAULT_PROVIDER_OPTION_KEYS: readonly string[] = Object.freeze([
  ...['openai', 'azure'].flatMap((p) =>
    [
      'reasoningEffort', 'reasoningSummary', 'textVerbosity', 'logitBias', 'logprobs', 'topLogprobs', 'parallelToolCalls',
      'structuredOutputs', 'strictJsonSchema', 'maxCompletionTokens', 'prediction', 'instructions', 'previousResponseId',
      'conversation', 'include', 'maxToolCalls', 'systemMessageMode',
    ].map((o) => `${p}.${o}`),
  ),
  ...['thinking', 'sendReasoning', 'disableParallelToolUse', 'effort', 'container', 'structuredOutputMode'].map((o) => `anthropic.${o}`),
  ...['thinkingConfig', 'safetySettings', 'responseModalities', 'structuredOutputs', 'cachedContent', 'mediaResolution', 'imageConfig', 'audioTimestamp', 'retrievalConfig'].map(
    (o) => `google.${o}`,
  ),
  ...['safePrompt', 'documentImageLimit', 'documentPageLimit', 'structuredOutputs', 'strictJsonSchema', 'parallelToolCalls'].map((o) => `mistral.${o}`),
  ...['reasoningEffort', 'reasoningFormat', 'parallelToolCalls', 'structuredOutputs'].map((o) => `groq.${o}`),
  ...['reasoningEffort', 'searchParameters', 'parallelToolCalls'].map((o) => `xai.${o}`),
  ...['reasoningConfig', 'guardrailConfig', 'additionalModelRequestFields'].map((o) => `bedrock.${o}`),
]);

const ENTRY = /^(\*|[^.*]+\.(\*|[^*]+))$/;

/** Where an ignored provider option was found, for `explainKey`. */
export type IgnoredSink = ((path: string) => void) | null;

/**
 * The compiled allow-list: `'*'` (every option of every provider), `'<provider>.*'` or
 * `'<provider>.<option>'`. The policy entry ({@link POLICY_PROVIDER_OPTIONS_KEY}) is never allowed.
 */
export class ProviderOptionFilter {
  readonly #all: boolean;
  readonly #providers = new Map<string, Set<string> | '*'>();

  /** Invalid entries → `ConfigurationError` `INVALID_CONFIGURATION`. */
  constructor(entries: readonly string[]) {
    if (!Array.isArray(entries)) {
      throw new ConfigurationError('providerOptionKeys must be an array of "<provider>.<option>", "<provider>.*" or "*"', {
        code: 'INVALID_CONFIGURATION',
        context: { option: 'providerOptionKeys' },
      });
    }
    let all = false;
    for (const entry of entries) {
      if (typeof entry !== 'string' || !ENTRY.test(entry)) {
        throw new ConfigurationError(`providerOptionKeys entry ${JSON.stringify(String(entry))} must be "<provider>.<option>", "<provider>.*" or "*"`, {
          code: 'INVALID_CONFIGURATION',
          context: { option: 'providerOptionKeys' },
        });
      }
      if (entry === '*') {
        all = true;
        continue;
      }
      const dot = entry.indexOf('.');
      const provider = entry.slice(0, dot);
      const option = entry.slice(dot + 1);
      const current = this.#providers.get(provider);
      if (option === '*') this.#providers.set(provider, '*');
      else if (current !== '*') this.#providers.set(provider, (current ?? new Set()).add(option));
    }
    this.#all = all;
  }

  /**
   * The allowed part of `options` (a provider → options object), or `undefined` when nothing is
   * allowed; each ignored option is reported to `ignored` as `<path>.<provider>.<option>` (`path`
   * serves only that report). Malformed options throw the request encoder's refusal.
   */
  filter(options: unknown, path: string, ignored: IgnoredSink): Record<string, Record<string, unknown>> | undefined {
    if (options === undefined || options === null) return undefined;
    if (typeof options !== 'object' || Array.isArray(options)) refuseShape('must be an object of provider → options');
    let out: Record<string, Record<string, unknown>> | undefined;
    for (const provider of Object.keys(options)) {
      const value: unknown = (options as Record<string, unknown>)[provider];
      if (value === undefined) continue;
      if (provider === POLICY_PROVIDER_OPTIONS_KEY) {
        ignored?.(`${path}.${provider}`);
        continue;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) refuseShape('must be an options object', provider);
      const rule = this.#all ? '*' : this.#providers.get(provider);
      if (rule === '*') {
        (out ??= Object.create(null) as Record<string, Record<string, unknown>>)[provider] = value as Record<string, unknown>;
        continue;
      }
      let kept: Record<string, unknown> | undefined;
      for (const option of Object.keys(value)) {
        const v: unknown = (value as Record<string, unknown>)[option];
        if (v === undefined) continue;
        if (rule?.has(option)) (kept ??= Object.create(null) as Record<string, unknown>)[option] = v;
        else ignored?.(`${path}.${provider}.${option}`);
      }
      if (kept) (out ??= Object.create(null) as Record<string, Record<string, unknown>>)[provider] = kept;
    }
    return out;
  }
}
