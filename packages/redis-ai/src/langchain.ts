/**
 * `@cache/redis-ai/langchain`: the LangChain.js adapter (needs the optional peer dependency
 * `@langchain/core`). The main entry of `@cache/redis-ai` never loads it.
 */
export { RedisAiCache } from './langchain/redis-ai-cache.js';
export type { RedisAiCacheOptions } from './langchain/redis-ai-cache.js';
export { CachedChatModel, withCache } from './langchain/with-cache.js';
export type { WithCacheOptions } from './langchain/with-cache.js';
