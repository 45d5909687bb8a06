import { ConfigurationError } from '@cache/core';
import { BaseCache } from '@langchain/core/caches';
import type { Generation } from '@langchain/core/outputs';
import { LlmRequestCache } from '../llm/llm-request-cache.js';
import type { LlmCallPolicy } from '../llm/policy.js';
import type { LlmRequest } from '../llm/request.js';
import { toGenerations, toResponse } from './mapping.js';

/** Options of {@link RedisAiCache}: the policy of every lookup and update, and the key's provider segment. */
export interface RedisAiCacheOptions extends Pick<LlmCallPolicy, 'tenant' | 'operation' | 'mode' | 'ttl' | 'allowNonDeterministic'> {
  /** Provider segment of the key; default `langchain`. */
  provider?: string;
}

const MODEL_FIELD = /(?:^|,)(?:model|modelName|model_name):"((?:[^"\\]|\\.)+)"/;
const TYPE_FIELD = /(?:^|,)_type:"((?:[^"\\]|\\.)+)"/;

/**
 * LangChain's cache interface over an {@link LlmRequestCache}: `new ChatX({ cache })`. Entries live
 * in the cache's tenant partition under its canonical keys (provider `langchain`, the model name
 * found in LangChain's `llmKey`), generations stored with `serializeGeneration` and served back as
 * LangChain objects; the write guards (empty, error, finish reason), TTL rules, encryption and the
 * savings ledger apply. LangChain flattens images to `"[image]"` before this cache sees a prompt
 * and does not consult it for `.stream()`: use `withCache` for prompts with images or files and
 * for streams.
 */
export class RedisAiCache extends BaseCache<Generation[]> {
  readonly #cache: LlmRequestCache;
  readonly #policy: LlmCallPolicy;
  readonly #provider: string;

  /** `cache` must be an `LlmRequestCache` (`ConfigurationError` otherwise). */
  constructor(cache: LlmRequestCache, options: RedisAiCacheOptions = {}) {
    super();
    if (!(cache instanceof LlmRequestCache)) throw new ConfigurationError('RedisAiCache needs an LlmRequestCache', { code: 'INVALID_CONFIGURATION', context: { option: 'cache' } });
    const { provider, ...policy } = options;
    this.#cache = cache;
    this.#policy = policy;
    this.#provider = provider ?? 'langchain';
  }

  #request(prompt: string, llmKey: string): LlmRequest {
    const model = MODEL_FIELD.exec(llmKey)?.[1] ?? TYPE_FIELD.exec(llmKey)?.[1] ?? 'unknown';
    return { provider: this.#provider, modelId: model, prompt: [{ role: 'user', content: [{ type: 'text', text: prompt }] }], settings: { llmKey } };
  }

  /** The stored generations of `prompt` under `llmKey`, or null (a miss, or a policy that does not read). */
  async lookup(prompt: string, llmKey: string): Promise<Generation[] | null> {
    const found = await this.#cache.lookup(this.#request(prompt, llmKey), this.#policy);
    return found.status === 'hit' ? toGenerations(found.response) : null;
  }

  /** Stores `value` when the policy and the write guards allow; a refusal is silent (counted in the cache's stats). */
  async update(prompt: string, llmKey: string, value: Generation[]): Promise<void> {
    await this.#cache.store(this.#request(prompt, llmKey), toResponse(value), this.#policy);
  }
}
