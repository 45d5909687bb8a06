import { deserializeStoredGeneration, serializeGeneration } from '@langchain/core/caches';
import { AIMessage, AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatGeneration, type Generation } from '@langchain/core/outputs';
import type { LlmContentPart, LlmRequest, LlmResponse, LlmUsage } from '../llm/request.js';

/** Finish reasons of LangChain providers (`response_metadata.finish_reason`) in the cache's unified words. */
const FINISH: Readonly<Record<string, string>> = { stop: 'stop', end_turn: 'stop', STOP: 'stop', tool_calls: 'tool-calls', tool_use: 'tool-calls', length: 'length', max_tokens: 'length', content_filter: 'content-filter' };

type Block = Record<string, unknown>;

const DATA_URL = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s;

/** File data of an image/file/audio block (any of LangChain's forms), or null when the block carries none. */
function fileOf(block: Block): { data: Uint8Array | string | URL; mediaType: string } | null {
  const mime = (block['mime_type'] ?? block['mimeType'] ?? (block['source'] as Block | undefined)?.['media_type']) as string | undefined;
  const fromUrl = (url: string): { data: string | URL; mediaType: string } => {
    const m = DATA_URL.exec(url);
    if (m) return { data: m[2] as string, mediaType: m[1] ?? mime ?? 'application/octet-stream' };
    return { data: new URL(url), mediaType: mime ?? 'application/octet-stream' };
  };
  if (block['type'] === 'image_url') {
    const ref = block['image_url'];
    const url = typeof ref === 'string' ? ref : (ref as Block | undefined)?.['url'];
    return typeof url === 'string' ? fromUrl(url) : null;
  }
  const source = block['source'] as Block | undefined;
  const data = block['data'] ?? block['base64'] ?? source?.['data'];
  if (typeof data === 'string' || data instanceof Uint8Array) return { data, mediaType: mime ?? 'application/octet-stream' };
  const url = block['url'] ?? source?.['url'];
  return typeof url === 'string' ? fromUrl(url) : null;
}

/** A content block as a key part: file blocks by their bytes (hashed by the key builder), others as they are. */
function keyPart(block: unknown): unknown {
  if (typeof block === 'string') return { type: 'text', text: block };
  if (typeof block !== 'object' || block === null) return block;
  const b = block as Block;
  const file = b['type'] === 'text' ? null : fileOf(b);
  if (file === null) return b;
  const { data: _d, base64: _b, url: _u, source: _s, image_url: _i, type, ...rest } = b;
  return { ...rest, type: 'file', kind: type, data: file.data, mediaType: file.mediaType };
}

/**
 * The request key input of a LangChain chat call: every message whole (role, content blocks with
 * image and file bytes, tool calls, tool call ids, names), the tools as JSON schemas, and the
 * model's own cache-key string (its identifying parameters and call options).
 */
export function langchainRequest(provider: string, modelId: string, messages: readonly BaseMessage[], settings: Record<string, unknown>, temperature: number | undefined): LlmRequest {
  const prompt = messages.map((m) => {
    const content = typeof m.content === 'string' ? m.content : m.content.map(keyPart);
    const extra: Record<string, unknown> = {};
    if (m.name !== undefined) extra['name'] = m.name;
    const ai = m as Partial<AIMessage> & { tool_call_id?: string };
    if (ai.tool_calls !== undefined && ai.tool_calls.length > 0) extra['toolCalls'] = ai.tool_calls.map((c) => ({ id: c.id, name: c.name, args: c.args }));
    if (ai.tool_call_id !== undefined) extra['toolCallId'] = ai.tool_call_id;
    return { role: m.getType(), content, ...extra };
  });
  return { provider, modelId, prompt, settings, ...(temperature === undefined ? {} : { temperature }) } as unknown as LlmRequest;
}

function finishReason(generations: readonly Generation[]): string {
  const first = generations[0] as ChatGeneration | undefined;
  const meta = (first?.message?.response_metadata ?? {}) as Record<string, unknown>;
  const raw = meta['finish_reason'] ?? meta['stop_reason'] ?? first?.generationInfo?.['finish_reason'];
  if (typeof raw !== 'string') return 'stop';
  return FINISH[raw] ?? raw;
}

function usageOf(generations: readonly Generation[]): LlmUsage | undefined {
  const usage = ((generations[0] as ChatGeneration | undefined)?.message as AIMessage | undefined)?.usage_metadata;
  if (usage === undefined) return undefined;
  return { inputTokens: usage.input_tokens, outputTokens: usage.output_tokens, cachedInputTokens: usage.input_token_details?.cache_read };
}

function nonEmpty(list: unknown): boolean {
  return Array.isArray(list) && list.length > 0;
}

/** A recorded stream chunk: the fields an `AIMessageChunk` is rebuilt from. */
export interface StoredChunk {
  text: string;
  content: unknown;
  toolCallChunks: unknown;
  toolCalls: unknown;
  usage: unknown;
  responseMetadata: unknown;
  additionalKwargs: unknown;
  id: string | undefined;
}

/** The stored form of LangChain generations (`serializeGeneration` each), with recorded stream chunks when streamed. */
export function toResponse(generations: readonly Generation[], chunks?: readonly ChatGenerationChunk[]): LlmResponse {
  const content: LlmContentPart[] = generations.map((g) => {
    const calls = ((g as ChatGeneration).message as AIMessage | undefined)?.tool_calls;
    return { type: calls !== undefined && calls.length > 0 ? 'tool-call' : 'text', text: g.text, generation: serializeGeneration(g) };
  });
  const usage = usageOf(generations);
  const response: LlmResponse = { content, finishReason: finishReason(generations), ...(usage === undefined ? {} : { usage }) };
  if (chunks === undefined) return response;
  const stored: StoredChunk[] = chunks.map((c) => {
    const m = c.message as AIMessageChunk;
    return { text: c.text, content: m.content, toolCallChunks: m.tool_call_chunks, toolCalls: m.tool_calls, usage: m.usage_metadata, responseMetadata: m.response_metadata, additionalKwargs: m.additional_kwargs, id: m.id };
  });
  return { ...response, chunks: stored };
}

/** Generations of a stored response, as LangChain objects; `marker` goes into each message's `response_metadata['redis-ai']`. */
export function toGenerations(response: LlmResponse, marker?: Record<string, unknown>): ChatGeneration[] {
  return response.content.map((part) => {
    const { text, message } = deserializeStoredGeneration(part['generation'] as Parameters<typeof deserializeStoredGeneration>[0]);
    const msg = message ?? new AIMessage(text);
    if (marker !== undefined) msg.response_metadata = { ...msg.response_metadata, 'redis-ai': marker };
    return { text, message: msg };
  });
}

/** The stream of a stored response: its recorded chunks, or one chunk per generation when it was not streamed. */
export function toChunks(response: LlmResponse, marker: Record<string, unknown>): ChatGenerationChunk[] {
  const recorded = response['chunks'] as StoredChunk[] | undefined;
  if (recorded !== undefined) {
    return recorded.map((c, i) => {
      const last = i === recorded.length - 1;
      const meta = { ...(c.responseMetadata as Record<string, unknown>), ...(last ? { 'redis-ai': marker } : {}) };
      const message = new AIMessageChunk({
        content: c.content as AIMessageChunk['content'],
        // Chunks carry either partial tool calls or, from some models, whole ones: restore what was there.
        ...(nonEmpty(c.toolCallChunks)
          ? { tool_call_chunks: c.toolCallChunks as AIMessageChunk['tool_call_chunks'] }
          : nonEmpty(c.toolCalls)
            ? { tool_calls: c.toolCalls as AIMessageChunk['tool_calls'] }
            : {}),
        ...(c.usage === undefined ? {} : { usage_metadata: c.usage as AIMessageChunk['usage_metadata'] }),
        response_metadata: meta,
        additional_kwargs: c.additionalKwargs as AIMessageChunk['additional_kwargs'],
        ...(c.id === undefined ? {} : { id: c.id }),
      });
      return new ChatGenerationChunk({ text: c.text, message });
    });
  }
  return toGenerations(response, marker).map((g) => {
    const m = g.message as AIMessage;
    const message = new AIMessageChunk({
      content: m.content,
      ...(m.tool_calls === undefined ? {} : { tool_call_chunks: m.tool_calls.map((t, index) => ({ type: 'tool_call_chunk' as const, id: t.id, name: t.name, args: JSON.stringify(t.args), index })) }),
      ...(m.usage_metadata === undefined ? {} : { usage_metadata: m.usage_metadata }),
      response_metadata: m.response_metadata,
      additional_kwargs: m.additional_kwargs,
      ...(m.id === undefined ? {} : { id: m.id }),
    });
    return new ChatGenerationChunk({ text: g.text, message });
  });
}
