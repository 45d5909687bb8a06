/**
 * `@cache/redis-ai/ai-sdk`: the Vercel AI SDK adapter (needs the optional peer dependencies `ai`
 * and `@ai-sdk/provider`). The main entry of `@cache/redis-ai` never loads them.
 */
export { cacheMiddleware } from './ai-sdk/middleware.js';
export type { AiSdkCacheOptions, AiSdkHitMetadata, AiSdkRequestPolicy, StreamReplay } from './ai-sdk/middleware.js';
export type { RecordedResponse, StreamRecord } from './ai-sdk/recording.js';
