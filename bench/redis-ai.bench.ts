// @cache/redis-ai: LLM request-key derivation cost, and the LLM hit path vs GenericRedisCache.get.
// Run: pnpm exec turbo run build --filter=@cache/redis-ai... && cd bench && BENCH_ROUNDS=7 BENCH_AI_PARTS=1 node run.mjs redis-ai
// 1. llmRequestKey for chat requests of ~1 KB, ~10 KB and ~100 KB (a pool of distinct request
//    objects, so no per-object caching can help): CPU µs per call, rounds alternating with the
//    floor — one crypto.hash('sha256') over the request's JSON, the least any key over the whole
//    prompt can cost.
// 2. Hit path, one request in flight, one GenericRedisCache (same server, same encryption, L1 off)
//    under both: LlmRequestCache.cachedCall and .lookup of a 10 KB chat request whose stored entry
//    is ~1.4 KB (key derivation, Redis GET, envelope decode, entry decode, ledger) vs
//    GenericRedisCache.get of that same stored entry (same key, same bytes), and of the ~1.2 KB
//    response stored as plain JSON. Requests: 64 distinct objects sharing their texts (as the AI
//    SDK builds new prompt objects around the caller's strings; texts of their own change nothing).
//    Rounds alternate the contenders (A B, B A, …); per round the wall p50 and the process CPU µs
//    per operation; ratios are medians of per-round ratios.
// 3. With BENCH_AI_PARTS=1: the CPU that work placed right before a get adds to it, against that
//    work's CPU alone (a busy-wait, JSON.stringify of the request, its key) — see the README.
// Env: BENCH_ROUNDS (default 3), BENCH_TIME_MS (per contender and round, default 1000), BENCH_AI_PARTS.
// Profile the hit path: add --cpu-prof to the node command of run.mjs, or run
//   node --import tsx --cpu-prof redis-ai.bench.ts   (from bench/; CPU time, see the README).
import { silentLogger } from '@cache/core';
import { EncryptedCacheLayer } from '@cache/encryption';
import { GenericRedisCache } from '@cache/redis';
import { LlmRequestCache, llmRequestKey, type LlmRequest, type LlmResponse } from '@cache/redis-ai';
import { SecurityConfig } from '@cache/security';
import { startRedis } from '@cache-tooling/test-redis';
import { hash } from 'node:crypto';
import { loadavg } from 'node:os';
import { ROUNDS, TIME_MS, fmt, measureCpu, measureSequential, median, pairedRatio, printTable } from './rounds.js';

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

const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' / ');
const loadBefore = load();

// 1. Key derivation. Requests are built before timing; a pool of distinct objects defeats any per-object caching.
for (const size of [1_000, 10_000, 100_000]) {
  const pool = Array.from({ length: 64 }, (_, i) => chatRequest(size, i));
  const json = pool.map((r) => JSON.stringify(r));
  let i = 0;
  const r = measureCpu(
    { key: () => llmRequestKey(pool[i++ & 63]!, { tenant: 'acme' }), floor: () => hash('sha256', json[i++ & 63]!, 'hex') },
    Math.max(400, Math.round(4e7 / size)),
  );
  const ratio = median(r['key']!.rounds.map((k, n) => k / r['floor']!.rounds[n]!));
  rows.push([
    `llmRequestKey, ~${size / 1000} KB request (${fmt(requestBytes(pool[0]!) / 1000)} KB JSON)`,
    `${fmt(r['key']!.medianUs, 2)} CPU µs/call (best ${fmt(r['key']!.bestUs, 2)})`,
    `SHA-256 of the JSON ${fmt(r['floor']!.medianUs, 2)} µs: ${fmt(ratio, 2)}× the floor`,
  ]);
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
/** A copy of `value` with new objects and arrays but the same strings (what the AI SDK hands a model: new prompt objects, the caller's texts). */
const newObjects = <T>(value: T): T =>
  (Array.isArray(value) ? value.map(newObjects) : typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, newObjects(v)])) : value) as T;
// 64 distinct request objects (no per-object caching can help) sharing one set of texts, as the
// AI SDK builds each call's prompt objects around the caller's strings.
const chat10k = Array.from({ length: 64 }, () => newObjects(chatRequest(10_000, 1)));
const stored = await llm.store(chat10k[0]!, response, { tenant: 'acme', latencyMs: 1200 });
if (!stored.stored) throw new Error(`bench setup: response not stored (${stored.reason})`);
await cache.set('plain-response', plainResponse);
console.log(`response JSON: ${Buffer.byteLength(JSON.stringify(plainResponse))} bytes; chat request JSON: ${requestBytes(chat10k[0]!)} bytes`);
let j = 0;
const compute = (): Promise<LlmResponse> => Promise.reject(new Error('bench: expected a hit, the model was called'));
const GET = 'get';
const PLAIN = 'get plain';
const CALL = 'cachedCall';
const LOOKUP = 'lookup';
const hit = await measureSequential({
  [GET]: () => cache.get(stored.key),
  [PLAIN]: () => cache.get('plain-response'),
  [CALL]: async () => {
    const result = await llm.cachedCall(chat10k[j++ & 63]!, compute, { tenant: 'acme' });
    if (result.source !== 'cache') throw new Error('expected a hit');
  },
  [LOOKUP]: async () => {
    const result = await llm.lookup(chat10k[j++ & 63]!, { tenant: 'acme' });
    if (result.status !== 'hit') throw new Error('expected a hit');
  },
});
const p50 = (name: string): number => median(hit[name]!.map((r) => r.p50Us));
const cpu = (name: string): number => median(hit[name]!.map((r) => r.cpuUs));
for (const [label, name] of [['cachedCall', CALL], ['lookup', LOOKUP]] as const) {
  for (const [baseLabel, base] of [['get of the same entry', GET], ['get of the plain response', PLAIN]] as const) {
    rows.push([
      `${label} hit p50 vs ${baseLabel}, 1 in flight`,
      `${fmt(p50(name))} µs vs ${fmt(p50(base))} µs`,
      `${fmt(pairedRatio(hit, name, base, (r) => r.p50Us), 2)}× (target ≤ 1.10×)`,
    ]);
    rows.push([`${label} hit CPU/op vs ${baseLabel}`, `${fmt(cpu(name))} µs vs ${fmt(cpu(base))} µs`, `${fmt(pairedRatio(hit, name, base, (r) => r.cpuUs), 2)}×; +${fmt(cpu(name) - cpu(base))} µs`]);
  }
}

// 3. (BENCH_AI_PARTS=1) What work next to the round trip costs: the same get preceded by a 20 µs
//    busy-wait (touches no memory), by JSON.stringify of the request, or by its key; each row is
//    the CPU the combination adds to the get, against the CPU of that work alone.
if (process.env['BENCH_AI_PARTS'] === '1') {
  const spin = (): void => {
    const until = performance.now() + 0.02;
    while (performance.now() < until);
  };
  const work: Record<string, () => unknown> = {
    '20 µs busy-wait': spin,
    'JSON.stringify(request)': () => JSON.stringify(chat10k[j++ & 63]!),
    llmRequestKey: () => llmRequestKey(chat10k[j++ & 63]!, { tenant: 'acme' }),
  };
  const alone = measureCpu(work, 2000);
  const combined = await measureSequential({
    [GET]: () => cache.get(stored.key),
    ...Object.fromEntries(Object.entries(work).map(([name, run]) => [name, () => (run(), cache.get(stored.key))])),
  });
  for (const name of Object.keys(work)) {
    const added = median(combined[name]!.map((r, n) => r.cpuUs - combined[GET]![n]!.cpuUs));
    rows.push([`${name} before a get: CPU added`, `${fmt(added)} µs (alone ${fmt(alone[name]!.medianUs)} µs)`, `${fmt(added / alone[name]!.medianUs, 2)}× its cost alone`]);
  }
}

console.log(`load average (1/5/15 min): ${loadBefore} before, ${load()} after`);
printTable(`@cache/redis-ai (${ROUNDS} alternating rounds, ${TIME_MS} ms per hit-path cell; medians)`, rows, 36);

await cache.disconnect();
await server.stop();
