// @cache/redis-ai: LLM request-key derivation cost, and the LLM hit path vs GenericRedisCache.get.
// Run: cd bench && node run.mjs redis-ai   (build first: pnpm exec turbo run build --filter=@cache/redis-ai...)
// 1. llmRequestKey µs per call for chat requests of ~1 KB, ~10 KB and ~100 KB (a fresh request object per call).
// 2. Hit path, one request in flight, same server and cache options (L1 off, encryption on):
//    LlmRequestCache.cachedCall (and .lookup) of a 10 KB chat request whose stored response is ~1 KB
//    (key derivation, Redis GET, envelope decode, response decode, ledger) vs GenericRedisCache.get
//    of the same 1 KB response stored as plain JSON. Rounds alternate the contenders; medians of p50 and mean.
import { silentLogger } from '@cache/core';
import { EncryptedCacheLayer } from '@cache/encryption';
import { GenericRedisCache } from '@cache/redis';
import { LlmRequestCache, llmRequestKey, type LlmRequest, type LlmResponse } from '@cache/redis-ai';
import { SecurityConfig } from '@cache/security';
import { startRedis } from '@cache-tooling/test-redis';
import { ROUNDS, TIME_MS, fmt, measureRounds as measure, printTable } from './rounds.js';

const PASSWORD = 'bench-password-123';
const env = { NODE_ENV: 'test' };

const sentence = 'The quarterly report shows revenue growth in every region, with costs held flat. ';
/** A chat request of about `bytes` bytes of prompt text: system prompt, alternating user/assistant turns, a tool. */
function chatRequest(bytes: number, salt = 0): LlmRequest {
  const turns = Math.max(2, Math.round(bytes / 500));
  const perTurn = Math.max(1, Math.round(bytes / turns / sentence.length));
  return {
    provider: 'openai.chat',
    modelId: 'gpt-4o',
    prompt: [
      { role: 'system', content: `You are a careful financial analyst. Session ${salt}.` },
      ...Array.from({ length: turns }, (_, i) =>
        i % 2 === 0
          ? { role: 'user' as const, content: [{ type: 'text' as const, text: sentence.repeat(perTurn) + i }] }
          : { role: 'assistant' as const, content: [{ type: 'text' as const, text: sentence.repeat(perTurn) + i }] },
      ),
    ],
    tools: [{ type: 'function', name: 'lookup', description: 'Looks up a figure', inputSchema: { type: 'object', properties: { metric: { type: 'string' } }, required: ['metric'] } }],
    temperature: 0,
    maxOutputTokens: 512,
    providerOptions: { openai: { reasoningEffort: 'low', user: 'u-1' } },
  };
}
const requestBytes = (r: LlmRequest) => Buffer.byteLength(JSON.stringify(r));

const response: LlmResponse = {
  content: [{ type: 'text', text: sentence.repeat(11) }],
  finishReason: { unified: 'stop', raw: 'stop' },
  usage: { inputTokens: { total: 2600, noCache: 2600, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 220, text: 220, reasoning: 0 } },
  response: { id: 'resp_123', timestamp: new Date('2026-08-01T00:00:00Z'), modelId: 'gpt-4o-2026-05-13' },
  warnings: [],
};
const plainResponse = { ...response, response: { ...response.response, timestamp: '2026-08-01T00:00:00.000Z' } };

const rows: Array<[string, string, string]> = [];

// 1. Key derivation. Requests are built before timing; a pool of distinct objects defeats any per-object caching.
for (const size of [1_000, 10_000, 100_000]) {
  const pool = Array.from({ length: 64 }, (_, i) => chatRequest(size, i));
  let i = 0;
  const r = await measure({ [`llmRequestKey ${size / 1000} KB`]: () => llmRequestKey(pool[i++ & 63]!, { tenant: 'acme' }) });
  const m = r[`llmRequestKey ${size / 1000} KB`]!;
  rows.push([`llmRequestKey, ~${size / 1000} KB request (${fmt(requestBytes(pool[0]!) / 1000)} KB JSON)`, `${fmt(m.meanUs, 2)} µs/call (mean)`, `p50 ${fmt(m.p50Us, 2)} µs`]);
}

// 2. Hit path.
const server = await startRedis({ password: PASSWORD });
const encryption = EncryptedCacheLayer.createWithGeneratedKey({ logger: silentLogger, performanceMonitoring: false });
const cache = new GenericRedisCache({
  redisUrl: server.url(),
  securityConfig: new SecurityConfig({ useTls: false, redisAuth: PASSWORD }, { env, logger: silentLogger }),
  encryption,
  env,
  logger: silentLogger,
  keyPrefix: 'bench:',
  enableL1Cache: false,
});
await cache.connect();
const llm = new LlmRequestCache(cache, { logger: silentLogger });
const chat10k = Array.from({ length: 64 }, () => chatRequest(10_000, 1));
const stored = await llm.store(chat10k[0]!, response, { tenant: 'acme', latencyMs: 1200 });
if (!stored.stored) throw new Error(`bench setup: response not stored (${stored.reason})`);
await cache.set('plain-response', plainResponse);
console.log(`response JSON: ${Buffer.byteLength(JSON.stringify(plainResponse))} bytes; chat request JSON: ${requestBytes(chat10k[0]!)} bytes`);
let j = 0;
const compute = (): Promise<LlmResponse> => Promise.reject(new Error('bench: expected a hit, the model was called'));
const GET = 'GenericRedisCache.get (1 KB response)';
const CALL = 'LlmRequestCache.cachedCall (10 KB request, 1 KB response)';
const LOOKUP = 'LlmRequestCache.lookup (10 KB request, 1 KB response)';
const hit = await measure({
  [GET]: () => cache.get('plain-response'),
  [CALL]: async () => {
    const result = await llm.cachedCall(chat10k[j++ & 63]!, compute, { tenant: 'acme' });
    if (result.source !== 'cache') throw new Error('expected a hit');
  },
  [LOOKUP]: async () => {
    const result = await llm.lookup(chat10k[j++ & 63]!, { tenant: 'acme' });
    if (result.status !== 'hit') throw new Error('expected a hit');
  },
});
const get = hit[GET]!;
for (const [label, name] of [['cachedCall', CALL], ['lookup', LOOKUP]] as const) {
  const r = hit[name]!;
  rows.push([`${label} hit p50 vs get, 1 in flight (L1 off)`, `${fmt(r.p50Us)} µs vs ${fmt(get.p50Us)} µs`, `${fmt(r.p50Us / get.p50Us, 2)}× (target ≤ 1.10×)`]);
  rows.push([`${label} hit mean vs get, 1 in flight (L1 off)`, `${fmt(r.meanUs)} µs vs ${fmt(get.meanUs)} µs`, `${fmt(r.meanUs / get.meanUs, 2)}×`]);
}

printTable(`@cache/redis-ai (${ROUNDS} rounds × ${TIME_MS} ms, medians)`, rows, 30);

await cache.disconnect();
await server.stop();
