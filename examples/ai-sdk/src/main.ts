// The Vercel AI SDK with @cache/redis-ai/ai-sdk: one middleware caches generateText and streamText
// (the model here is the AI SDK's own MockLanguageModelV4, so the example needs no API key).
import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { LlmRequestCache } from '@cache/redis-ai';
import { cacheMiddleware } from '@cache/redis-ai/ai-sdk';
import { generateText, simulateReadableStream, streamText, wrapLanguageModel } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { localRedis } from '@cache-examples/local-redis';

const usage = { inputTokens: { total: 1200, noCache: 1200, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 80, text: 80, reasoning: 0 } };
const answer = ['Redis ', 'keeps ', 'data ', 'in ', 'memory.'];

// A "provider" model that streams an answer word by word, 30 ms apart.
const model = new MockLanguageModelV4({
  provider: 'example-provider',
  modelId: 'example-model',
  doStream: async () => ({
    stream: simulateReadableStream<LanguageModelV4StreamPart>({
      chunkDelayInMs: 30,
      chunks: [
        { type: 'stream-start', warnings: [] },
        { type: 'text-start', id: '0' },
        ...answer.map((delta): LanguageModelV4StreamPart => ({ type: 'text-delta', id: '0', delta })),
        { type: 'text-end', id: '0' },
        { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage },
      ],
    }),
  }),
});

const redis = await localRedis();
try {
  const cache = new LlmRequestCache(redis.storage, { prices: { 'example-provider:example-model': { input: 2.5, output: 10 } } });
  const cached = wrapLanguageModel({ model, middleware: cacheMiddleware(cache, { tenant: 'acme', replay: 'recorded' }) });
  const prompt = 'What does Redis do?';

  for (const round of [1, 2]) {
    const started = performance.now();
    const result = streamText({ model: cached, prompt, temperature: 0 });
    let deltas = 0;
    for await (const delta of result.textStream) if (delta !== '') deltas++;
    const hit = (await result.providerMetadata)?.['redis-ai']?.['cached'] === true;
    console.log(`streamText round ${round}: ${hit ? 'HIT ' : 'MISS'} "${await result.text}" in ${deltas} deltas, ${(await result.usage).outputTokens} output tokens (${Math.round(performance.now() - started)} ms)`);
  }

  // The stream's entry also serves generateText: no model call.
  const generated = await generateText({ model: cached, prompt, temperature: 0 });
  console.log(`generateText: ${generated.providerMetadata?.['redis-ai']?.['cached'] === true ? 'HIT ' : 'MISS'} "${generated.text}"`);

  // Ten identical concurrent calls on a fresh question: one model stream, nine live followers.
  await Promise.all(Array.from({ length: 10 }, () => streamText({ model: cached, prompt: 'And Redis Streams?', temperature: 0 }).text));
  console.log(`model streams: ${model.doStreamCalls.length} for ${2 + 1 + 10} calls`);

  const stats = cache.getStats();
  console.log(`stats: hits=${stats.hits} misses=${stats.misses} stores=${stats.stores} hitRate=${stats.hitRate.toFixed(2)}`);
  console.log(`saved: ${stats.savings.inputTokens} input + ${stats.savings.outputTokens} output tokens, $${stats.savings.costUsd.toFixed(4)}`);
} finally {
  await redis.close();
}
