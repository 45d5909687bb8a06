import { AbortedError, ConfigurationError } from '@cache/core';
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { BaseChatModel, type BaseChatModelCallOptions, type BindToolsInput } from '@langchain/core/language_models/chat_models';
import type { BaseMessage } from '@langchain/core/messages';
import type { ChatGenerationChunk, ChatResult } from '@langchain/core/outputs';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import { LlmRequestCache, type LlmCallOptions, type LlmCallResult } from '../llm/llm-request-cache.js';
import type { LlmRequest } from '../llm/request.js';
import { langchainRequest, toChunks, toGenerations, toResponse } from './mapping.js';

/** Options of {@link withCache}. */
export interface WithCacheOptions extends Pick<LlmCallOptions, 'tenant' | 'operation' | 'mode' | 'ttl' | 'allowNonDeterministic' | 'lock'> {
  /** Provider segment of the key; default `langchain-<the model's _llmType()>`. */
  provider?: string;
  /** Model id segment of the key; default the model's `model` / `modelName`, else its `_llmType()`. */
  modelId?: string;
}

/** Call options that never change the output (run plumbing), left out of the key. */
const PLUMBING = new Set(['signal', 'timeout', 'callbacks', 'tags', 'metadata', 'runName', 'runId', 'maxConcurrency', 'recursionLimit', 'configurable', 'promptIndex', 'tools']);

function hitMarker(result: LlmCallResult): Record<string, unknown> {
  return { cached: true, source: result.source === 'cache' ? 'cache' : 'coalesced', storedAt: result.source === 'cache' ? result.storedAt.toISOString() : null };
}

function stringProp(model: object, name: string): string | undefined {
  const v = (model as Record<string, unknown>)[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * A chat model in front of another one that caches `invoke`, `batch` and `stream` in an
 * {@link LlmRequestCache}, keyed on the full messages (image and file bytes included, unlike
 * LangChain's own cache, which sees `"[image]"`), the tools as JSON schemas and the inner model's
 * cache-key parameters. Identical concurrent calls make one model call in this process (and across
 * processes when the storage cache holds a lease). A stream is recorded chunk by chunk and stored
 * only when it ends without error; a hit replays the recorded chunks. Hits carry
 * `response_metadata['redis-ai']`. Tools bound with `bindTools` reach the inner model as the
 * `tools` call option (as LangChain provider models bind them).
 */
export class CachedChatModel<CallOptions extends BaseChatModelCallOptions = BaseChatModelCallOptions> extends BaseChatModel<CallOptions> {
  /** The model that answers misses. */
  readonly inner: BaseChatModel<CallOptions>;
  readonly #cache: LlmRequestCache;
  readonly #options: WithCacheOptions;

  /** See {@link withCache}. */
  constructor(inner: BaseChatModel<CallOptions>, cache: LlmRequestCache, options: WithCacheOptions = {}) {
    super({});
    this.inner = inner;
    this.#cache = cache;
    this.#options = options;
  }

  /** `cached-<inner type>` (LangChain's constructor asks before `inner` is set). */
  _llmType(): string {
    return `cached-${(this.inner as BaseChatModel<CallOptions> | undefined)?._llmType() ?? 'chat-model'}`;
  }

  /** Binds tools as the `tools` call option (converted to JSON-schema function tools for the key). */
  override bindTools(tools: BindToolsInput[], kwargs?: Partial<CallOptions>): ReturnType<BaseChatModel<CallOptions>['withConfig']> {
    return this.withConfig({ tools, ...kwargs } as unknown as Partial<CallOptions>);
  }

  #request(messages: BaseMessage[], options: this['ParsedCallOptions']): { request: LlmRequest; policy: LlmCallOptions } {
    const inner = this.inner;
    const callOptions: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(options as Record<string, unknown>)) if (!PLUMBING.has(k) && v !== undefined) callOptions[k] = v;
    const tools = (options as { tools?: unknown[] }).tools;
    const settings: Record<string, unknown> = { llmKey: inner._getSerializedCacheKeyParametersForCall(callOptions as CallOptions) };
    if (Array.isArray(tools) && tools.length > 0) settings['tools'] = tools.map((t) => convertToOpenAITool(t as Parameters<typeof convertToOpenAITool>[0]));
    const temperature = (inner as unknown as { temperature?: unknown }).temperature;
    const request = langchainRequest(
      this.#options.provider ?? `langchain-${inner._llmType()}`,
      this.#options.modelId ?? stringProp(inner, 'model') ?? stringProp(inner, 'modelName') ?? inner._llmType(),
      messages,
      settings,
      typeof temperature === 'number' ? temperature : undefined,
    );
    const { provider: _p, modelId: _m, ...policy } = this.#options;
    return { request, policy };
  }

  /** Serves `invoke` and `batch`: a stored answer, or the inner model's (stored when the guards allow). */
  async _generate(messages: BaseMessage[], options: this['ParsedCallOptions'], runManager?: CallbackManagerForLLMRun): Promise<ChatResult> {
    const { request, policy } = this.#request(messages, options);
    let own: ChatResult | undefined;
    const result = await this.#cache.cachedCall(
      request,
      async () => {
        own = await this.inner._generate(messages, options, runManager);
        return toResponse(own.generations);
      },
      policy,
    );
    if (result.source === 'model') return own as ChatResult;
    return { generations: toGenerations(result.response, hitMarker(result)) };
  }

  /** Serves `stream`: the inner model's chunks live on a miss (recorded), the recorded chunks on a hit. */
  override async *_streamResponseChunks(messages: BaseMessage[], options: this['ParsedCallOptions'], runManager?: CallbackManagerForLLMRun): AsyncGenerator<ChatGenerationChunk> {
    const inner = this.inner;
    if (inner._streamResponseChunks === BaseChatModel.prototype._streamResponseChunks) {
      const result = await this._generate(messages, options, runManager);
      for (const chunk of toChunks(toResponse(result.generations), {})) yield chunk;
      return;
    }
    const { request, policy } = this.#request(messages, options);
    const queue: ChatGenerationChunk[] = [];
    let wake: (() => void) | undefined;
    let gone = false;
    const served = this.#cache.cachedCall(
      request,
      async () => {
        const chunks: ChatGenerationChunk[] = [];
        for await (const chunk of inner._streamResponseChunks(messages, options, runManager)) {
          if (gone) throw new AbortedError('The reader stopped the stream; nothing was stored', { code: 'ABORTED' });
          chunks.push(chunk);
          queue.push(chunk);
          wake?.();
        }
        const whole = chunks.reduce((a, c) => a.concat(c));
        return toResponse([whole], chunks);
      },
      policy,
    );
    let settled: { result: LlmCallResult } | { error: unknown } | undefined;
    void served.then(
      (result) => (settled = { result }),
      (error: unknown) => (settled = { error }),
    ).finally(() => wake?.());
    try {
      for (;;) {
        while (queue.length > 0) yield queue.shift() as ChatGenerationChunk;
        if (settled !== undefined) break;
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
      while (queue.length > 0) yield queue.shift() as ChatGenerationChunk;
      if ('error' in settled) throw settled.error;
      if (settled.result.source !== 'model') for (const chunk of toChunks(settled.result.response, hitMarker(settled.result))) yield chunk;
    } finally {
      gone = true;
    }
  }
}

/**
 * Wraps `chatModel` so that `invoke`, `batch` and `stream` go through `cache` (see
 * {@link CachedChatModel}); use it instead of LangChain's `cache` option when prompts carry images
 * or files, or when streams should be cached.
 */
export function withCache<CallOptions extends BaseChatModelCallOptions>(chatModel: BaseChatModel<CallOptions>, cache: LlmRequestCache, options: WithCacheOptions = {}): CachedChatModel<CallOptions> {
  if (!(chatModel instanceof BaseChatModel)) throw new ConfigurationError('withCache needs a LangChain chat model (BaseChatModel)', { code: 'INVALID_CONFIGURATION', context: { option: 'chatModel' } });
  if (!(cache instanceof LlmRequestCache)) throw new ConfigurationError('withCache needs an LlmRequestCache', { code: 'INVALID_CONFIGURATION', context: { option: 'cache' } });
  return new CachedChatModel(chatModel, cache, options);
}
