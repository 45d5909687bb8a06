import { silentLogger } from '@cache/core';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import { AIMessageChunk, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatGenerationChunk } from '@langchain/core/outputs';
import { FakeListChatModel, FakeStreamingChatModel } from '@langchain/core/utils/testing';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LlmRequestCache } from '../src/index.js';
import { RedisAiCache, withCache } from '../src/langchain.js';
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

function llmCache(): LlmRequestCache {
  return new LlmRequestCache(fx.generic(server, { keyPrefix: 'app:' }), { logger: silentLogger });
}

async function llmKeys(): Promise<string[]> {
  return raw.keys('app:llm:*');
}

function textOf(message: { content: unknown }): string {
  return typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
}

const png = (bytes: number[]) => `data:image/png;base64,${Buffer.from(bytes).toString('base64')}`;
const withImage = (bytes: number[], system = 'Describe images.'): BaseMessage[] => [
  new SystemMessage(system),
  new HumanMessage({ content: [{ type: 'text', text: 'What is in this picture?' }, { type: 'image_url', image_url: { url: png(bytes) } }] }),
];

describe('RedisAiCache (LangChain BaseCache, FakeListChatModel, real Redis)', () => {
  it('serves the second identical invoke from Redis: same answer, one model call, an entry in the tenant partition', async () => {
    const model = new FakeListChatModel({ responses: ['first answer', 'second answer'], cache: new RedisAiCache(llmCache(), { tenant: 'acme' }) });
    const generate = vi.spyOn(model, '_generate');
    const a = await model.invoke('What is Redis?');
    const b = await model.invoke('What is Redis?');
    expect([textOf(a), textOf(b)]).toEqual(['first answer', 'first answer']);
    expect(generate).toHaveBeenCalledTimes(1);
    const keys = await llmKeys();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^app:llm:v\d+:tenant=acme:default:langchain:fake-list:/);
    expect(textOf(await model.invoke('Something else'))).toBe('second answer');
  });

  it('generations round-trip through serializeGeneration: the hit is an AIMessage with the same text', async () => {
    const cache = new RedisAiCache(llmCache(), { tenant: 'acme' });
    const model = new FakeListChatModel({ responses: ['stored text'], cache });
    await model.invoke([new SystemMessage('Be brief.'), new HumanMessage('Hi')]);
    const hit = await model.invoke([new SystemMessage('Be brief.'), new HumanMessage('Hi')]);
    expect(hit.getType()).toBe('ai');
    expect(textOf(hit)).toBe('stored text');
  });

  it('prompts that differ only in the system prompt, or only in call options (tools), never share an entry', async () => {
    const model = new FakeListChatModel({ responses: ['a', 'b', 'c'], cache: new RedisAiCache(llmCache(), { tenant: 'acme' }) });
    await model.invoke([new SystemMessage('Be brief.'), new HumanMessage('Hi')]);
    await model.invoke([new SystemMessage('Be verbose.'), new HumanMessage('Hi')]);
    expect(await llmKeys()).toHaveLength(2);
  });
});

describe('withCache (LangChain chat model wrapper)', () => {
  it('invoke: the second identical call is a hit marked in response_metadata, with one model call', async () => {
    const inner = new FakeListChatModel({ responses: ['first answer', 'second answer'] });
    const generate = vi.spyOn(inner, '_generate');
    const model = withCache(inner, llmCache(), { tenant: 'acme' });
    const a = await model.invoke('What is Redis?');
    const b = await model.invoke('What is Redis?');
    expect([textOf(a), textOf(b)]).toEqual(['first answer', 'first answer']);
    expect(generate).toHaveBeenCalledTimes(1);
    expect(b.response_metadata['redis-ai']).toMatchObject({ cached: true, source: 'cache' });
    expect(a.response_metadata['redis-ai']).toBeUndefined();
  });

  it('requests that differ only in image bytes, only in the system prompt or only in a tool schema never share an entry', async () => {
    const inner = new FakeListChatModel({ responses: ['one', 'two', 'three', 'four', 'five'] });
    const generate = vi.spyOn(inner, '_generate');
    const model = withCache(inner, llmCache(), { tenant: 'acme' });
    const cityTool = (type: string) => ({ type: 'function', function: { name: 'weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type } } } } });
    expect(textOf(await model.invoke(withImage([1, 2, 3])))).toBe('one');
    expect(textOf(await model.invoke(withImage([1, 2, 3])))).toBe('one');
    expect(textOf(await model.invoke(withImage([1, 2, 4])))).toBe('two');
    expect(textOf(await model.invoke(withImage([1, 2, 3], 'Describe images in French.')))).toBe('three');
    const withTools = model.bindTools([cityTool('string')]);
    expect(textOf(await withTools.invoke(withImage([1, 2, 3])))).toBe('four');
    expect(textOf(await model.bindTools([cityTool('number')]).invoke(withImage([1, 2, 3])))).toBe('five');
    expect(textOf(await withTools.invoke(withImage([1, 2, 3])))).toBe('four');
    expect(generate).toHaveBeenCalledTimes(5);
    expect(await llmKeys()).toHaveLength(5);
  });

  it("LangChain's own cache cannot tell two images apart (it sees \"[image]\"); withCache can", async () => {
    const cached = new FakeListChatModel({ responses: ['cat', 'dog'], cache: new RedisAiCache(llmCache(), { tenant: 'acme' }) });
    expect(textOf(await cached.invoke(withImage([1])))).toBe('cat');
    expect(textOf(await cached.invoke(withImage([2])))).toBe('cat');
    const wrapped = withCache(new FakeListChatModel({ responses: ['cat', 'dog'] }), llmCache(), { tenant: 'acme' });
    expect(textOf(await wrapped.invoke(withImage([1])))).toBe('cat');
    expect(textOf(await wrapped.invoke(withImage([2])))).toBe('dog');
  });

  it('batch: identical prompts in one batch make one model call each distinct prompt', async () => {
    const inner = new FakeListChatModel({ responses: ['x', 'y'], sleep: 20 });
    const generate = vi.spyOn(inner, '_generate');
    const model = withCache(inner, llmCache(), { tenant: 'acme' });
    const out = await model.batch(['same', 'same', 'same', 'other']);
    expect(generate).toHaveBeenCalledTimes(2);
    expect(out.slice(0, 3).map(textOf)).toEqual(Array(3).fill(textOf(out[0] as { content: unknown })));
  });

  it('stream: a miss streams the model live and records it; a hit replays the same chunks (token by token) without the model', async () => {
    const inner = new FakeListChatModel({ responses: ['Hello there', 'other'] });
    const streamChunks = vi.spyOn(inner, '_streamResponseChunks');
    const model = withCache(inner, llmCache(), { tenant: 'acme' });
    const live: string[] = [];
    for await (const chunk of await model.stream('Greet me')) live.push(textOf(chunk));
    expect(live.join('')).toBe('Hello there');
    await until(async () => (await llmKeys()).length === 1, 5000, 'the stream to be stored');
    const replay: AIMessageChunk[] = [];
    for await (const chunk of await model.stream('Greet me')) replay.push(chunk);
    expect(replay.map(textOf)).toEqual(live);
    expect(replay.at(-1)?.response_metadata['redis-ai']).toMatchObject({ cached: true });
    expect(streamChunks).toHaveBeenCalledTimes(1);
    // The same entry serves invoke.
    expect(textOf(await model.invoke('Greet me'))).toBe('Hello there');
  });

  it('stream: chunks with tool calls are replayed so the concatenated message has the same text and tool calls', async () => {
    // FakeStreamingChatModel re-emits each chunk's content and whole tool calls.
    const chunks = [
      new AIMessageChunk({ content: 'Checking. ' }),
      new AIMessageChunk({ content: '', tool_calls: [{ type: 'tool_call', id: 'call-1', name: 'weather', args: { city: 'Paris' } }] }),
    ];
    const model = withCache(new FakeStreamingChatModel({ chunks, sleep: 0 }), llmCache(), { tenant: 'acme' });
    const concat = async (): Promise<AIMessageChunk> => {
      let whole: AIMessageChunk | undefined;
      for await (const c of await model.stream('Weather in Paris?')) whole = whole === undefined ? c : whole.concat(c);
      return whole as AIMessageChunk;
    };
    const live = await concat();
    await until(async () => (await llmKeys()).length === 1, 5000, 'the stream to be stored');
    const replayed = await concat();
    expect(replayed.tool_calls).toEqual(live.tool_calls);
    expect(replayed.tool_calls?.[0]).toMatchObject({ name: 'weather', args: { city: 'Paris' } });
    expect(replayed.content).toBe('Checking. ');
  });

  it('a stream that fails midway, and a stream the reader stops early, write 0 entries', async () => {
    class FailsMidway extends FakeListChatModel {
      override async *_streamResponseChunks(messages: BaseMessage[], options: this['ParsedCallOptions']): AsyncGenerator<ChatGenerationChunk> {
        let n = 0;
        for await (const chunk of super._streamResponseChunks(messages, options)) {
          if (n++ === 2) throw new Error('connection reset');
          yield chunk;
        }
      }
    }
    const failing = withCache(new FailsMidway({ responses: ['Hello there'] }), llmCache(), { tenant: 'acme' });
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const c of await failing.stream('Greet me')) got.push(textOf(c));
      })(),
    ).rejects.toThrow('connection reset');
    expect(got).toEqual(['H', 'e']);

    const stopped = withCache(new FakeListChatModel({ responses: ['Hello there'] }), llmCache(), { tenant: 'acme' });
    for await (const _chunk of await stopped.stream('Greet me')) break;
    await new Promise((r) => setTimeout(r, 50));
    expect(await llmKeys()).toEqual([]);
  });
});
