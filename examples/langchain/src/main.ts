// LangChain.js with @cache/redis-ai/langchain: RedisAiCache as a chat model's `cache`, and
// withCache for what LangChain's cache cannot do (images, streams). The models are LangChain's own
// fake chat models, so the example needs no API key.
import { LlmRequestCache } from '@cache/redis-ai';
import { RedisAiCache, withCache } from '@cache/redis-ai/langchain';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { localRedis } from '@cache-examples/local-redis';

const text = (message: { content: unknown }): string => (typeof message.content === 'string' ? message.content : JSON.stringify(message.content));
const picture = (bytes: number[]) => [
  new SystemMessage('Describe the picture in three words.'),
  new HumanMessage({ content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${Buffer.from(bytes).toString('base64')}` } }] }),
];

const redis = await localRedis();
try {
  const cache = new LlmRequestCache(redis.storage);

  // 1. LangChain's cache option: invoke and batch consult it.
  const chat = new FakeListChatModel({ responses: ['Redis is an in-memory store.', 'Something else.'], cache: new RedisAiCache(cache, { tenant: 'acme' }) });
  for (const round of [1, 2]) console.log(`RedisAiCache round ${round}: "${text(await chat.invoke('What is Redis?'))}"`);

  // LangChain shows the cache "[image]" for every image, so two different pictures share an entry:
  const sees = new FakeListChatModel({ responses: ['A black cat.', 'A white dog.'], cache: new RedisAiCache(cache, { tenant: 'acme', operation: 'vision' }) });
  console.log(`RedisAiCache, two pictures: "${text(await sees.invoke(picture([1, 2, 3])))}" / "${text(await sees.invoke(picture([9, 9, 9])))}"`);

  // 2. withCache keys on the whole messages (image bytes included) and also caches streams.
  const vision = withCache(new FakeListChatModel({ responses: ['A black cat.', 'A white dog.'] }), cache, { tenant: 'acme', operation: 'vision-wrapped' });
  console.log(`withCache, two pictures: "${text(await vision.invoke(picture([1, 2, 3])))}" / "${text(await vision.invoke(picture([9, 9, 9])))}"`);

  const streaming = withCache(new FakeListChatModel({ responses: ['Streams are append-only logs.'], sleep: 5 }), cache, { tenant: 'acme' });
  for (const round of [1, 2]) {
    const chunks: string[] = [];
    let cached = false;
    for await (const chunk of await streaming.stream('What are Redis Streams?')) {
      chunks.push(text(chunk));
      cached ||= (chunk.response_metadata['redis-ai'] as { cached?: boolean } | undefined)?.cached === true;
    }
    console.log(`withCache stream round ${round}: ${cached ? 'HIT ' : 'MISS'} ${chunks.length} chunks "${chunks.join('')}"`);
  }

  const stats = cache.getStats();
  console.log(`stats: hits=${stats.hits} misses=${stats.misses} stores=${stats.stores}`);
} finally {
  await redis.close();
}
