import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4GenerateResult, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { isConfigurationError, isValidationError, silentLogger } from '@cache/core';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import { generateText, jsonSchema, streamText, tool, wrapLanguageModel } from 'ai';
import { MockLanguageModelV3, MockLanguageModelV4 } from 'ai/test';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cacheMiddleware, type AiSdkCacheOptions } from '../src/ai-sdk.js';
import { LlmRequestCache, type LlmRequest, type LlmRequestCacheOptions } from '../src/index.js';
import { Fixture, until } from './helpers.js';

let server: RedisTestServer;
let raw: Redis;
const fx = new Fixture();

beforeAll(async () => {
  server = await startRedis();
  raw = new Fixture().client(server);
});
beforeEach(async () => {
  await raw.flushall();
});
afterEach(() => fx.closeAll());
afterAll(async () => {
  raw.disconnect();
  await server.stop();
});

const usage = {
  inputTokens: { total: 12, noCache: 12, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 30, text: 20, reasoning: 10 },
};

/** Text, reasoning, tool-input deltas, a tool call, a binary file, response metadata with a Date, and finish usage. */
function richParts(): LanguageModelV4StreamPart[] {
  return [
    { type: 'stream-start', warnings: [] },
    { type: 'response-metadata', id: 'resp-1', modelId: 'mock-model-2026', timestamp: new Date('2026-12-05T10:00:00.123Z') },
    { type: 'reasoning-start', id: 'r1' },
    { type: 'reasoning-delta', id: 'r1', delta: 'The user wants ' },
    { type: 'reasoning-delta', id: 'r1', delta: 'the weather.' },
    { type: 'reasoning-end', id: 'r1' },
    { type: 'text-start', id: 't1' },
    { type: 'text-delta', id: 't1', delta: 'Let me ' },
    { type: 'text-delta', id: 't1', delta: 'check Paris.' },
    { type: 'text-end', id: 't1' },
    { type: 'tool-input-start', id: 'call-1', toolName: 'weather' },
    { type: 'tool-input-delta', id: 'call-1', delta: '{"city":' },
    { type: 'tool-input-delta', id: 'call-1', delta: '"Paris"}' },
    { type: 'tool-input-end', id: 'call-1' },
    { type: 'tool-call', toolCallId: 'call-1', toolName: 'weather', input: '{"city":"Paris"}' },
    { type: 'file', mediaType: 'image/png', data: { type: 'data', data: new Uint8Array([137, 80, 78, 71, 0, 255]) } },
    { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage },
  ];
}

function streamOf(parts: LanguageModelV4StreamPart[], options: { holdAfter?: number; release?: Promise<void> } = {}): ReadableStream<LanguageModelV4StreamPart> {
  let i = 0;
  return new ReadableStream({
    async pull(controller) {
      if (options.holdAfter !== undefined && i === options.holdAfter) await options.release;
      if (i < parts.length) controller.enqueue(parts[i++] as LanguageModelV4StreamPart);
      else controller.close();
    },
  });
}

function generated(text = 'Paris is sunny.'): LanguageModelV4GenerateResult {
  return {
    content: [{ type: 'text', text }],
    finishReason: { unified: 'stop', raw: 'stop' },
    usage,
    response: { id: 'gen-1', modelId: 'mock-model-2026', timestamp: new Date('2026-12-05T11:00:00.000Z'), body: { secret: 'raw body' } },
    warnings: [],
  };
}

function mockModel(options: { parts?: () => LanguageModelV4StreamPart[]; generate?: () => LanguageModelV4GenerateResult; delayMs?: number } = {}): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    provider: 'mock-provider',
    modelId: 'mock-model',
    doGenerate: async () => {
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      return (options.generate ?? generated)();
    },
    doStream: async () => ({ stream: streamOf((options.parts ?? richParts)()) }),
  });
}

function setup(cacheOptions: LlmRequestCacheOptions = {}, middlewareOptions: AiSdkCacheOptions = { tenant: 'acme' }) {
  const cache = new LlmRequestCache(fx.generic(server, { keyPrefix: 'app:' }), { logger: silentLogger, ...cacheOptions });
  return { cache, middleware: cacheMiddleware(cache, middlewareOptions) };
}

function wrap(model: MockLanguageModelV4 | MockLanguageModelV3, middleware: ReturnType<typeof cacheMiddleware>): LanguageModelV4 {
  return wrapLanguageModel({ model, middleware });
}

const params: LanguageModelV4CallOptions = { prompt: [{ role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] }], temperature: 0 };

async function collect(stream: ReadableStream<LanguageModelV4StreamPart>): Promise<LanguageModelV4StreamPart[]> {
  const out: LanguageModelV4StreamPart[] = [];
  for await (const part of stream) out.push(part);
  return out;
}

function withoutHitMarker(parts: LanguageModelV4StreamPart[]): LanguageModelV4StreamPart[] {
  return parts.map((p) => {
    if (p.type !== 'finish') return p;
    const { 'redis-ai': _marker, ...rest } = p.providerMetadata ?? {};
    const { providerMetadata: _pm, ...part } = p;
    return Object.keys(rest).length === 0 ? part : { ...part, providerMetadata: rest };
  });
}

async function llmKeys(): Promise<string[]> {
  return raw.keys('app:llm:*');
}

const weatherTools = { weather: tool({ description: 'Weather of a city', inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }) }) };

describe('cacheMiddleware: stream recording and replay (MockLanguageModelV4, real Redis)', () => {
  it('replays a rich stream part for part: text, reasoning, tool-input deltas, tool call, Uint8Array file, Date and usage come back as they were', async () => {
    const model = mockModel();
    const { middleware } = setup();
    const wrapped = wrap(model, middleware);
    const first = await collect((await wrapped.doStream(params)).stream);
    expect(first).toEqual(richParts());
    // The stream closed only after its entry was stored (read-your-writes).
    expect(await llmKeys()).toHaveLength(1);
    const replayed = await collect((await wrapped.doStream(params)).stream);
    expect(model.doStreamCalls).toHaveLength(1);
    expect(withoutHitMarker(replayed)).toEqual(richParts());
    const file = replayed.find((p) => p.type === 'file');
    expect(file?.type === 'file' && file.data.type === 'data' && file.data.data).toBeInstanceOf(Uint8Array);
    const meta = replayed.find((p) => p.type === 'response-metadata');
    expect(meta?.type === 'response-metadata' && meta.timestamp).toBeInstanceOf(Date);
    const finish = replayed.at(-1);
    expect(finish?.type === 'finish' && finish.providerMetadata?.['redis-ai']).toMatchObject({ cached: true, source: 'cache' });
  });

  it('streamText and generateText give the same text, tool calls and usage on a hit as the model gave live', async () => {
    const model = mockModel();
    const { cache, middleware } = setup();
    const wrapped = wrap(model, middleware);
    const live = streamText({ model: wrapped, prompt: 'Weather in Paris?', tools: weatherTools, temperature: 0 });
    const liveText = await live.text;
    const liveCalls = (await live.toolCalls).map((c) => ({ toolName: c.toolName, input: c.input }));
    const liveUsage = await live.usage;

    const hit = streamText({ model: wrapped, prompt: 'Weather in Paris?', tools: weatherTools, temperature: 0 });
    expect(await hit.text).toBe(liveText);
    expect((await hit.toolCalls).map((c) => ({ toolName: c.toolName, input: c.input }))).toEqual(liveCalls);
    expect(await hit.usage).toEqual(liveUsage);
    expect((await hit.providerMetadata)?.['redis-ai']).toMatchObject({ cached: true });

    const gen = await generateText({ model: wrapped, prompt: 'Weather in Paris?', tools: weatherTools, temperature: 0 });
    expect(gen.text).toBe(liveText);
    expect(gen.toolCalls.map((c) => ({ toolName: c.toolName, input: c.input }))).toEqual(liveCalls);
    expect(gen.usage).toEqual(liveUsage);
    expect(gen.providerMetadata?.['redis-ai']).toMatchObject({ cached: true, source: 'cache' });
    expect(model.doStreamCalls).toHaveLength(1);
    expect(model.doGenerateCalls).toHaveLength(0);
    expect(liveText).toBe('Let me check Paris.');
    expect(cache.getStats()).toMatchObject({ hits: 2, misses: 1, stores: 1 });
    expect(cache.getSavings().total).toMatchObject({ inputTokens: 24, outputTokens: 60 });
  });

  it('a generate call serves a later stream call: the AI SDK simulation of the stored result, marked as a hit', async () => {
    const model = mockModel();
    const { middleware } = setup();
    const wrapped = wrap(model, middleware);
    const gen = await generateText({ model: wrapped, prompt: 'Weather in Paris?', temperature: 0 });
    expect(gen.text).toBe('Paris is sunny.');
    expect(gen.providerMetadata?.['redis-ai']).toBeUndefined();
    const hit = streamText({ model: wrapped, prompt: 'Weather in Paris?', temperature: 0 });
    expect(await hit.text).toBe('Paris is sunny.');
    expect(await hit.usage).toEqual(gen.usage);
    expect((await hit.providerMetadata)?.['redis-ai']).toMatchObject({ cached: true, source: 'cache' });
    expect((await hit.response).timestamp).toEqual(new Date('2026-12-05T11:00:00.000Z'));
    expect(model.doGenerateCalls).toHaveLength(1);
    expect(model.doStreamCalls).toHaveLength(0);
  });

  it('stores the generate result without the raw HTTP response body', async () => {
    const { cache, middleware } = setup();
    const model = mockModel();
    await generateText({ model: wrap(model, middleware), prompt: 'Weather in Paris?', temperature: 0 });
    const sent = model.doGenerateCalls[0] as LanguageModelV4CallOptions;
    const found = await cache.lookup({ ...sent, provider: 'mock-provider', modelId: 'mock-model' } as unknown as LlmRequest, { tenant: 'acme' });
    expect(found.status).toBe('hit');
    expect(found.status === 'hit' && found.response.response).toEqual({ id: 'gen-1', modelId: 'mock-model-2026', timestamp: new Date('2026-12-05T11:00:00.000Z') });
  });

  it("replay: 'recorded' plays the parts at their recorded offsets (the same parts, no earlier than recorded)", async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const model = new MockLanguageModelV4({ provider: 'mock-provider', modelId: 'mock-model', doStream: async () => ({ stream: streamOf(richParts(), { holdAfter: 8, release: released }) }) });
    const { middleware } = setup({}, { tenant: 'acme', replay: 'recorded' });
    const wrapped = wrap(model, middleware);
    const reading = collect((await wrapped.doStream(params)).stream);
    setTimeout(release, 120);
    await reading;
    await until(async () => (await llmKeys()).length === 1, 5000, 'the recording to be stored');
    const stream = (await wrapped.doStream(params)).stream;
    const reader = stream.getReader();
    const early: LanguageModelV4StreamPart[] = [];
    const startedAt = performance.now();
    for (let i = 0; i < 8; i++) early.push((await reader.read()).value as LanguageModelV4StreamPart);
    const rest: LanguageModelV4StreamPart[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest.push(value);
    }
    // The ninth part was recorded at least 120 ms after the first: replay cannot deliver it sooner.
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(100);
    expect(withoutHitMarker([...early, ...rest])).toEqual(richParts());
  });
});

describe('cacheMiddleware: only clean finishes are stored', () => {
  it('an errored stream (an error part) writes 0 entries, and the next call runs the model again', async () => {
    // The error part comes before an otherwise clean finish: the error alone keeps it out.
    const parts = (): LanguageModelV4StreamPart[] => [...richParts().slice(0, -1), { type: 'error', error: 'upstream reset' }, ...richParts().slice(-1)];
    const model = mockModel({ parts });
    const { cache, middleware } = setup();
    const wrapped = wrap(model, middleware);
    const got = await collect((await wrapped.doStream(params)).stream);
    expect(got.at(-2)).toMatchObject({ type: 'error' });
    await collect((await wrapped.doStream(params)).stream);
    expect(model.doStreamCalls).toHaveLength(2);
    expect(await llmKeys()).toEqual([]);
    expect(cache.getStats().stores).toBe(0);
  });

  it('a stream that ends without a finish part writes 0 entries', async () => {
    const model = mockModel({ parts: () => richParts().slice(0, -1) });
    const { middleware } = setup();
    await collect((await wrap(model, middleware).doStream(params)).stream);
    await new Promise((r) => setTimeout(r, 50));
    expect(await llmKeys()).toEqual([]);
  });

  it('an aborted stream (abortSignal fires mid-stream) writes 0 entries', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const model = new MockLanguageModelV4({ provider: 'mock-provider', modelId: 'mock-model', doStream: async () => ({ stream: streamOf(richParts(), { holdAfter: 9, release: released }) }) });
    const { middleware } = setup();
    const controller = new AbortController();
    const result = streamText({ model: wrap(model, middleware), prompt: 'Weather in Paris?', temperature: 0, abortSignal: controller.signal });
    const parts: string[] = [];
    for await (const part of result.fullStream) {
      parts.push(part.type);
      if (part.type === 'text-delta') {
        controller.abort();
        release();
      }
    }
    expect(parts).toContain('abort');
    await new Promise((r) => setTimeout(r, 50));
    expect(await llmKeys()).toEqual([]);
  });

  it("a stream whose call's abortSignal fires mid-stream writes 0 entries, even when the model keeps sending to the finish", async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const model = new MockLanguageModelV4({ provider: 'mock-provider', modelId: 'mock-model', doStream: async () => ({ stream: streamOf(richParts(), { holdAfter: 9, release: released }) }) });
    const { middleware } = setup();
    const controller = new AbortController();
    const reader = (await wrap(model, middleware).doStream({ ...params, abortSignal: controller.signal })).stream.getReader();
    await reader.read();
    controller.abort(new Error('user left'));
    release();
    await expect((async () => {
      for (;;) if ((await reader.read()).done) return;
    })()).rejects.toThrow('user left');
    await new Promise((r) => setTimeout(r, 50));
    expect(await llmKeys()).toEqual([]);
  });

  it('a stream whose only reader cancels it writes 0 entries and stops reading the model', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let cancelled = false;
    const parts = richParts();
    let i = 0;
    const model = new MockLanguageModelV4({
      provider: 'mock-provider',
      modelId: 'mock-model',
      doStream: async () => ({
        stream: new ReadableStream<LanguageModelV4StreamPart>({
          async pull(c) {
            if (i === 9) await released;
            if (i < parts.length) c.enqueue(parts[i++] as LanguageModelV4StreamPart);
            else c.close();
          },
          cancel() {
            cancelled = true;
          },
        }),
      }),
    });
    const { middleware } = setup();
    const reader = (await wrap(model, middleware).doStream(params)).stream.getReader();
    await reader.read();
    await reader.cancel();
    await until(() => cancelled, 2000, 'the model stream to be cancelled');
    release();
    await new Promise((r) => setTimeout(r, 50));
    expect(await llmKeys()).toEqual([]);
  });
});

describe('cacheMiddleware: keys', () => {
  const image = (bytes: number[]) => ({ type: 'file' as const, mediaType: 'image/png', data: new Uint8Array(bytes) });

  it('requests that differ only in image bytes, only in the system prompt or only in a tool schema never share an entry', async () => {
    const model = mockModel();
    const { middleware } = setup();
    const wrapped = wrap(model, middleware);
    const ask = (system: string, bytes: number[], cityType: 'string' | 'number') =>
      generateText({
        model: wrapped,
        system,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'What is in this picture?' }, image(bytes)] }],
        tools: { weather: tool({ inputSchema: jsonSchema({ type: 'object', properties: { city: { type: cityType } } }) }) },
        temperature: 0,
      });
    await ask('Be brief.', [1, 2, 3], 'string');
    await ask('Be brief.', [1, 2, 3], 'string');
    expect(model.doGenerateCalls).toHaveLength(1);
    await ask('Be brief.', [1, 2, 4], 'string');
    await ask('Be verbose.', [1, 2, 3], 'string');
    await ask('Be brief.', [1, 2, 3], 'number');
    expect(model.doGenerateCalls).toHaveLength(4);
    expect(await llmKeys()).toHaveLength(4);
  });

  it('the key has the provider and model id of the wrapped model and lives in the tenant partition', async () => {
    const { middleware } = setup();
    await generateText({ model: wrap(mockModel(), middleware), prompt: 'Hi', temperature: 0 });
    const [key] = await llmKeys();
    expect(key).toMatch(/^app:llm:v\d+:tenant=acme:default:mock-provider:mock-model:/);
  });
});

describe('cacheMiddleware: per-request policy through providerOptions', () => {
  it("mode 'bypass' calls the model every time and stores nothing; 'only-if-cached' serves a stored entry or rejects with NOT_CACHED", async () => {
    const model = mockModel();
    const { middleware } = setup();
    const wrapped = wrap(model, middleware);
    const bypass = { 'redis-ai': { mode: 'bypass' } } as const;
    await generateText({ model: wrapped, prompt: 'Hi', temperature: 0, providerOptions: bypass });
    await generateText({ model: wrapped, prompt: 'Hi', temperature: 0, providerOptions: bypass });
    expect(model.doGenerateCalls).toHaveLength(2);
    expect(await llmKeys()).toEqual([]);
    const onlyCached = { 'redis-ai': { mode: 'only-if-cached' } } as const;
    await expect(generateText({ model: wrapped, prompt: 'Hi', temperature: 0, providerOptions: onlyCached, maxRetries: 0 })).rejects.toMatchObject({ code: 'NOT_CACHED' });
    await generateText({ model: wrapped, prompt: 'Hi', temperature: 0 });
    const served = await generateText({ model: wrapped, prompt: 'Hi', temperature: 0, providerOptions: onlyCached });
    expect(served.providerMetadata?.['redis-ai']).toMatchObject({ cached: true });
    expect(model.doGenerateCalls).toHaveLength(3);
  });

  it('ttl and tenant from providerOptions override the middleware options; the policy entry never enters the key', async () => {
    const model = mockModel();
    const { middleware } = setup();
    const wrapped = wrap(model, middleware);
    await generateText({ model: wrapped, prompt: 'Hi', temperature: 0, providerOptions: { 'redis-ai': { ttl: '90s', tenant: 'globex' } } });
    const [key] = await llmKeys();
    expect(key).toContain(':tenant=globex:');
    expect(await raw.ttl(key as string)).toBeGreaterThan(80);
    expect(await raw.ttl(key as string)).toBeLessThanOrEqual(90);
    await generateText({ model: wrapped, prompt: 'Hi', temperature: 0, providerOptions: { 'redis-ai': { tenant: 'globex', mode: 'default' } } });
    expect(model.doGenerateCalls).toHaveLength(1);
  });

  it('a malformed policy is a ValidationError naming the field, before any model call', async () => {
    const model = mockModel();
    const { middleware } = setup();
    const wrapped = wrap(model, middleware);
    const error = await generateText({ model: wrapped, prompt: 'Hi', maxRetries: 0, providerOptions: { 'redis-ai': { mode: 'sometimes' } } }).catch((e: unknown) => e);
    expect(isValidationError(error)).toBe(true);
    const unknownField = await generateText({ model: wrapped, prompt: 'Hi', maxRetries: 0, providerOptions: { 'redis-ai': { ttl: 5, color: 'red' } } }).catch((e: unknown) => e);
    expect(unknownField).toMatchObject({ code: 'INVALID_POLICY', context: { field: 'color' } });
    expect(model.doGenerateCalls).toHaveLength(0);
  });

  it('a cache that is not an LlmRequestCache is a ConfigurationError', () => {
    expect(() => cacheMiddleware({} as LlmRequestCache)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION' }));
    expect(isConfigurationError(((): unknown => { try { return cacheMiddleware({} as LlmRequestCache); } catch (e) { return e; } })())).toBe(true);
  });
});

describe('cacheMiddleware: single flight', () => {
  it('20 identical concurrent generateText calls in one process make 1 model call and get the same text', async () => {
    const model = mockModel({ delayMs: 50 });
    const { cache, middleware } = setup();
    const wrapped = wrap(model, middleware);
    const results = await Promise.all(Array.from({ length: 20 }, () => generateText({ model: wrapped, prompt: 'Weather in Paris?', temperature: 0 })));
    expect(model.doGenerateCalls).toHaveLength(1);
    expect(new Set(results.map((r) => r.text))).toEqual(new Set(['Paris is sunny.']));
    expect(cache.getStats()).toMatchObject({ misses: 1, hits: 19, stores: 1 });
  });

  it('followers of an in-flight stream receive it live (before the leader finishes), with one model call', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const model = new MockLanguageModelV4({ provider: 'mock-provider', modelId: 'mock-model', doStream: async () => ({ stream: streamOf(richParts(), { holdAfter: 9, release: released }) }) });
    const { middleware } = setup();
    const wrapped = wrap(model, middleware);
    const leader = (await wrapped.doStream(params)).stream.getReader();
    const first = await leader.read();
    const follower = (await wrapped.doStream(params)).stream.getReader();
    const seen: LanguageModelV4StreamPart[] = [];
    for (let i = 0; i < 9; i++) seen.push((await follower.read()).value as LanguageModelV4StreamPart);
    // The follower has the first 9 parts while the model still holds the rest back.
    expect(seen).toEqual(richParts().slice(0, 9));
    release();
    const rest: LanguageModelV4StreamPart[] = [];
    for (;;) {
      const { done, value } = await follower.read();
      if (done) break;
      rest.push(value);
    }
    const leaderParts = [first.value as LanguageModelV4StreamPart];
    for (;;) {
      const { done, value } = await leader.read();
      if (done) break;
      leaderParts.push(value);
    }
    expect(leaderParts).toEqual(richParts());
    expect(withoutHitMarker([...seen, ...rest])).toEqual(richParts());
    expect(rest.at(-1)).toMatchObject({ type: 'finish', providerMetadata: { 'redis-ai': { cached: true, source: 'coalesced' } } });
    expect(model.doStreamCalls).toHaveLength(1);
  });

  it('a generate call made while an identical stream is in flight waits for it and makes no model call', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const model = new MockLanguageModelV4({ provider: 'mock-provider', modelId: 'mock-model', doStream: async () => ({ stream: streamOf(richParts(), { holdAfter: 9, release: released }) }), doGenerate: async () => generated() });
    const { middleware } = setup();
    const wrapped = wrap(model, middleware);
    const streaming = collect((await wrapped.doStream(params)).stream);
    const gen = wrapped.doGenerate(params);
    release();
    await streaming;
    const result = await gen;
    expect(result.content.find((c) => c.type === 'text')).toMatchObject({ text: 'Let me check Paris.' });
    expect(model.doGenerateCalls).toHaveLength(0);
    expect(model.doStreamCalls).toHaveLength(1);
  });
});

describe('cacheMiddleware: V3 models through wrapLanguageModel (AI SDK 6 providers)', () => {
  it('caches a MockLanguageModelV3 generate call', async () => {
    const model = new MockLanguageModelV3({
      provider: 'v3-provider',
      modelId: 'v3-model',
      doGenerate: async () => ({ content: [{ type: 'text', text: 'from v3' }], finishReason: { unified: 'stop', raw: 'stop' }, usage, warnings: [] }),
    });
    const { middleware } = setup();
    const wrapped = wrap(model, middleware);
    const a = await generateText({ model: wrapped, prompt: 'Hi', temperature: 0 });
    const b = await generateText({ model: wrapped, prompt: 'Hi', temperature: 0 });
    expect([a.text, b.text]).toEqual(['from v3', 'from v3']);
    expect(b.providerMetadata?.['redis-ai']).toMatchObject({ cached: true });
    expect(model.doGenerateCalls).toHaveLength(1);
  });
});
