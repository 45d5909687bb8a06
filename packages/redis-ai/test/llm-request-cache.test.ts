import { isConfigurationError, isValidationError, ManualClock, silentLogger, type CacheMetricsRecorder } from '@cache/core';
import type { GenericRedisCache } from '@cache/redis';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LlmRequestCache, type LlmRequest, type LlmRequestCacheOptions, type LlmResponse } from '../src/index.js';
import { Fixture, recordingLogger, recordingRecorder } from './helpers.js';

let server: RedisTestServer;
let raw: Redis;
const fx = new Fixture();

beforeAll(async () => {
  server = await startRedis({ password: 'llm-cache-test-password' });
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

const PREFIX = 'app:';

function setup(options: LlmRequestCacheOptions = {}, storage?: GenericRedisCache): LlmRequestCache {
  return new LlmRequestCache(storage ?? fx.generic(server, { keyPrefix: PREFIX }), { logger: silentLogger, ...options });
}

function request(text = 'Summarise the report.', extra: Partial<LlmRequest> = {}): LlmRequest {
  return {
    provider: 'openai.chat',
    modelId: 'gpt-4o',
    prompt: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text }] },
    ],
    temperature: 0,
    ...extra,
  };
}

function answer(text = 'It went well.', usage?: LlmResponse['usage']): LlmResponse {
  return {
    content: [{ type: 'text', text }],
    finishReason: { unified: 'stop', raw: 'stop' },
    usage: usage ?? { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } },
    warnings: [],
  };
}

const acme = { tenant: 'acme' };

/** A response with every value JSON cannot carry: Dates, bytes, URLs, undefined members, -0 and `$`-keys. */
function richResponse(): LlmResponse {
  return {
    content: [
      { type: 'text', text: 'Here is the chart.', providerMetadata: undefined },
      { type: 'file', mediaType: 'image/png', data: { type: 'data', data: new Uint8Array([0, 1, 2, 250, 255]) } },
      { type: 'source', sourceType: 'url', id: 's1', url: 'https://example.com' },
      { type: 'tool-call', toolCallId: 'c1', toolName: 'plot', input: '{"$schema":"x"}' },
    ],
    finishReason: { unified: 'stop', raw: undefined },
    usage: { inputTokens: { total: 12, noCache: 12, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 7, text: 7, reasoning: undefined } },
    providerMetadata: { openai: { $weird: { nested: [1, null, -0] }, link: new URL('https://example.com/a?b=c') } },
    response: { id: 'resp_1', timestamp: new Date('2026-08-01T12:34:56.789Z'), modelId: 'gpt-4o-2026-01-01', headers: { 'x-a': '1' } },
    warnings: [],
  };
}

describe('lookup and store', () => {
  it('a stored response is served back exactly: Dates, Uint8Array, URL, undefined members, $-keys', async () => {
    const llm = setup();
    const response = richResponse();
    expect(await llm.store(request(), response, { ...acme, latencyMs: 850 })).toMatchObject({ stored: true, outcome: 'stored' });
    const hit = await llm.lookup(request(), acme);
    expect(hit.status).toBe('hit');
    if (hit.status !== 'hit') return;
    expect(hit.response).toStrictEqual(response);
    expect(hit.response.response?.timestamp).toBeInstanceOf(Date);
    expect((hit.response.content[1] as unknown as { data: { data: unknown } }).data.data).toBeInstanceOf(Uint8Array);
    expect(Object.is((hit.response.providerMetadata as { openai: { $weird: { nested: number[] } } }).openai.$weird.nested[2], -0)).toBe(true);
    expect(hit.latencyMs).toBe(850);
    expect(hit.usage).toEqual({ inputTokens: 12, outputTokens: 7, cacheReadTokens: 0, cacheWriteTokens: 0 });
  });

  it('a different request or another tenant misses', async () => {
    const llm = setup();
    await llm.store(request(), answer(), acme);
    expect((await llm.lookup(request('Summarise the other report.'), acme)).status).toBe('miss');
    expect((await llm.lookup(request(), { tenant: 'globex' })).status).toBe('miss');
    expect((await llm.lookup(request(), acme)).status).toBe('hit');
  });

  it('the value in Redis is encrypted and the key holds no prompt text', async () => {
    const llm = setup();
    await llm.store(request('Confidential merger plans for Q3'), answer('Top secret answer text'), acme);
    const [key] = await raw.keys('*');
    expect(key).toMatch(/^app:llm:v2:tenant=acme:default:openai\.chat:gpt-4o:[0-9a-f]{32}$/);
    const stored = await raw.getBuffer(key!);
    expect(stored!.toString('latin1')).not.toMatch(/Top secret|Confidential/);
  });

  it('an entry that is not of this format is an unreadable miss, never served', async () => {
    const storage = fx.generic(server, { keyPrefix: PREFIX });
    const llm = setup({}, storage);
    const key = llm.key(request(), acme);
    await storage.set(key, { format: 2, response: { content: [] } });
    expect((await llm.lookup(request(), acme)).status).toBe('miss');
    await storage.set(key, 'garbage');
    expect((await llm.lookup(request(), acme)).status).toBe('miss');
    expect(llm.getStats()).toMatchObject({ misses: 2, unreadable: 2, hits: 0 });
  });
});

describe('tenants', () => {
  it('strict by default: a call without a tenant is refused', async () => {
    const llm = setup();
    expect(llm.requireTenant).toBe(true);
    for (const call of [() => llm.lookup(request()), () => llm.store(request(), answer())]) {
      const error = await call().catch((e: unknown) => e);
      expect(isValidationError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'TENANT_REQUIRED' });
    }
    expect(await raw.dbsize()).toBe(0);
  });

  it('requireTenant: false is warned once and shares one namespace', async () => {
    const logger = recordingLogger();
    const llm = setup({ requireTenant: false, logger });
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(/SECURITY WARNING/);
    await llm.store(request(), answer());
    expect((await llm.lookup(request())).status).toBe('hit');
    expect(await raw.keys('app:llm:v2:shared:*')).toHaveLength(1);
  });

  it('invalidate removes one tenant, or one model, and nothing else', async () => {
    const llm = setup();
    await llm.store(request(), answer(), acme);
    await llm.store(request(), answer(), { tenant: 'globex' });
    await llm.store(request('x', { modelId: 'ft:gpt-4o:org:1' }), answer(), { tenant: 'globex' });
    expect(await llm.invalidate({ tenant: 'acme' })).toBe(1);
    expect((await llm.lookup(request(), { tenant: 'globex' })).status).toBe('hit');
    expect(await llm.invalidate({ modelId: 'ft:gpt-4o:org:1' })).toBe(1);
    expect((await llm.lookup(request(), { tenant: 'globex' })).status).toBe('hit');
    expect(await llm.invalidate()).toBe(1);
    expect(await raw.dbsize()).toBe(0);
  });
});

describe('policy modes', () => {
  it('default reads and stores; bypass does neither; refresh stores without reading; no-store reads without storing; only-if-cached reads and never computes', async () => {
    const llm = setup();
    const r = request();
    expect(await llm.lookup(r, { ...acme, mode: 'only-if-cached' })).toEqual({ status: 'miss', key: llm.key(r, acme), computeOnMiss: false });
    expect(await llm.store(r, answer('v1'), { ...acme, mode: 'no-store' })).toMatchObject({ stored: false, reason: 'policy' });
    expect(await llm.store(r, answer('v1'), { ...acme, mode: 'bypass' })).toMatchObject({ stored: false, reason: 'policy' });
    expect(await raw.dbsize()).toBe(0);

    expect(await llm.store(r, answer('v1'), acme)).toMatchObject({ stored: true });
    expect(await llm.lookup(r, { ...acme, mode: 'bypass' })).toMatchObject({ status: 'skipped', reason: 'bypass' });
    expect(await llm.lookup(r, { ...acme, mode: 'refresh' })).toMatchObject({ status: 'skipped', reason: 'refresh' });
    expect(await llm.lookup(r, { ...acme, mode: 'no-store' })).toMatchObject({ status: 'hit' });
    expect(await llm.lookup(r, { ...acme, mode: 'only-if-cached' })).toMatchObject({ status: 'hit' });

    expect(await llm.store(r, answer('v2'), { ...acme, mode: 'refresh' })).toMatchObject({ stored: true });
    const hit = await llm.lookup(r, acme);
    expect(hit.status === 'hit' && hit.response.content[0]).toMatchObject({ text: 'v2' });
    expect(llm.getStats()).toMatchObject({ lookups: 4, hits: 3, misses: 1, skipped: { bypass: 1, refresh: 1, nondeterministic: 0 }, stores: 2, refused: { policy: 2 } });
  });

  it('the plan spells out what cachedCall will do', () => {
    const llm = setup();
    const plan = (mode: 'default' | 'bypass' | 'refresh' | 'no-store' | 'only-if-cached') => {
      const p = llm.plan(request(), { ...acme, mode });
      return [p.read, p.write, p.computeOnMiss];
    };
    expect(plan('default')).toEqual([true, true, true]);
    expect(plan('bypass')).toEqual([false, false, true]);
    expect(plan('refresh')).toEqual([false, true, true]);
    expect(plan('no-store')).toEqual([true, false, true]);
    expect(plan('only-if-cached')).toEqual([true, false, false]);
    expect(() => llm.plan(request(), { ...acme, mode: 'sometimes' as never })).toThrow(expect.objectContaining({ code: 'INVALID_POLICY' }));
  });

  it('temperature > 0 without a seed is neither read nor stored unless a seed is given or the call opts in', async () => {
    const llm = setup();
    const sampled = request('Write a poem.', { temperature: 0.8 });
    expect(await llm.store(sampled, answer(), acme)).toMatchObject({ stored: false, reason: 'policy' });
    expect(await llm.lookup(sampled, acme)).toMatchObject({ status: 'skipped', reason: 'nondeterministic' });
    expect(await raw.dbsize()).toBe(0);

    const seeded = request('Write a poem.', { temperature: 0.8, seed: 42 });
    expect(await llm.store(seeded, answer(), acme)).toMatchObject({ stored: true });
    expect(await llm.store(sampled, answer(), { ...acme, allowNonDeterministic: true })).toMatchObject({ stored: true });
    expect((await llm.lookup(sampled, { ...acme, allowNonDeterministic: true })).status).toBe('hit');

    const optedIn = setup({ cacheNonDeterministic: true }, llm.cache);
    expect((await optedIn.lookup(sampled, acme)).status).toBe('hit');
  });
});

describe('TTLs', () => {
  it('per-request ttl beats rules, the first matching rule beats the default, and they reach Redis', async () => {
    const llm = setup({
      defaultTtl: 600,
      ttlRules: [
        { modelId: 'gpt-4o-mini*', ttl: 120 },
        { provider: 'openai*', operation: 'classify', ttl: 86_400 },
        { modelId: 'gpt-4o*', ttl: 300 },
      ],
    });
    const ttlOf = async (r: LlmRequest, policy: object) => {
      const result = await llm.store(r, answer(), { ...acme, ...policy });
      expect(result.stored).toBe(true);
      return raw.ttl(`${PREFIX}${result.key}`);
    };
    expect(await ttlOf(request('a', { modelId: 'gpt-4o-mini-2026' }), {})).toBeGreaterThanOrEqual(119);
    expect(await ttlOf(request('b'), { operation: 'classify' })).toBeGreaterThanOrEqual(86_399);
    expect(await ttlOf(request('c'), {})).toBeLessThanOrEqual(300);
    expect(await ttlOf(request('c', { modelId: 'claude' }), {})).toBeGreaterThanOrEqual(599);
    expect(await ttlOf(request('d'), { ttl: 45 })).toBeLessThanOrEqual(45);
  });

  it('rejects bad TTLs and rules with typed errors', () => {
    expect(() => setup({ ttlRules: [{ modelId: 'x', ttl: 0 }] })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION', message: expect.stringContaining('ttlRules[0]') }));
    expect(() => setup({ defaultTtl: 1.5 })).toThrow(/defaultTtl/);
    expect(() => setup().plan(request(), { ...acme, ttl: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_TTL' }));
  });
});

describe('write guards through store', () => {
  it.each<[string, LlmResponse | (() => LlmResponse), string, Partial<LlmRequest>]>([
    ['an error finish', { ...answer(), finishReason: { unified: 'error', raw: 'x' } }, 'error', {}],
    ['empty content', { ...answer(), content: [] }, 'empty', {}],
    ['a content filter', { ...answer(), finishReason: { unified: 'content-filter', raw: 'x' } }, 'finish_reason', {}],
    ['invalid JSON', answer('not json'), 'invalid_json', { responseFormat: { type: 'json' } }],
    ['a schema mismatch', answer('{"n":"1"}'), 'schema_mismatch', { responseFormat: { type: 'json', schema: { type: 'object', properties: { n: { type: 'number' } } } } }],
    ['an oversized entry', answer('x'.repeat(5000)), 'too_large', {}],
    ['non-data in the response', { ...answer(), providerMetadata: { fn: (() => 1) as unknown as never } }, 'unstorable', {}],
  ])('refuses %s and writes nothing', async (_name, response, reason, extra) => {
    const llm = setup({ maxEntryBytes: 4096 });
    const result = await llm.store(request('q', extra), typeof response === 'function' ? response() : response, acme);
    expect(result).toMatchObject({ stored: false, reason });
    expect(await raw.dbsize()).toBe(0);
    expect(llm.getStats().refused[reason as 'error']).toBe(1);
  });

  it('a dropped write (Redis down, no L1) is reported, not claimed', async () => {
    const storage = fx.generic({ url: () => 'redis://127.0.0.1:1', password: null }, { enableL1Cache: false, connectTimeoutMs: 200 });
    await storage.connect();
    const llm = setup({}, storage);
    expect(await llm.store(request(), answer(), acme)).toMatchObject({ stored: false, reason: 'dropped' });
  });
});

describe('savings ledger', () => {
  it('adds exact tokens, cost and model time per hit, by model and operation, and reports each hit to the recorder', async () => {
    const savings: unknown[][] = [];
    const recorder: CacheMetricsRecorder & ReturnType<typeof recordingRecorder> = {
      ...recordingRecorder(),
      recordLlmSavings: (...args: unknown[]) => {
        savings.push(args);
      },
    };
    const llm = setup({
      prices: { 'openai.chat:gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25 }, 'claude-sonnet': { input: 3, output: 15, cacheWrite: 3.75 } },
      performanceMonitor: recorder,
    });
    const gpt = request('gpt question');
    const claude = request('claude question', { provider: 'anthropic.messages', modelId: 'claude-sonnet' });
    const other = request('other question', { provider: 'local', modelId: 'llama' });
    await llm.store(gpt, answer('a', { inputTokens: { total: 1200, noCache: 1000, cacheRead: 200, cacheWrite: 0 }, outputTokens: { total: 300, text: 300, reasoning: 0 } }), { ...acme, operation: 'summarize', latencyMs: 1500 });
    await llm.store(claude, answer('b', { inputTokens: 2000, outputTokens: 100, cachedInputTokens: 0, inputTokenDetails: undefined }), { ...acme, operation: 'extract', latencyMs: 900 });
    await llm.store(claude, answer('b2', { inputTokens: { total: 2000, noCache: 1000, cacheRead: 0, cacheWrite: 1000 }, outputTokens: { total: 100, text: 100, reasoning: 0 } }), { ...acme, operation: 'summarize', latencyMs: 700 });
    await llm.store(other, answer('c', { inputTokens: 50, outputTokens: 50 }), { ...acme, latencyMs: 10 });

    for (let i = 0; i < 3; i++) await llm.lookup(gpt, { ...acme, operation: 'summarize' });
    for (let i = 0; i < 2; i++) await llm.lookup(claude, { ...acme, operation: 'extract' });
    await llm.lookup(claude, { ...acme, operation: 'summarize' });
    await llm.lookup(other, acme);
    await llm.lookup(request('never stored'), acme);

    const report = llm.getSavings();
    // gpt-4o: 1000 × 2.5 + 200 × 1.25 + 300 × 10 = 5750 µ$ per hit.
    expect(report.byModel['openai.chat:gpt-4o']).toEqual({ hits: 3, inputTokens: 3600, outputTokens: 900, cachedInputTokens: 600, costUsd: 0.01725, modelTimeMs: 4500 });
    // claude extract: 2000 × 3 + 100 × 15 = 7500 µ$; claude summarize: 1000 × 3 + 1000 × 3.75 + 100 × 15 = 8250 µ$.
    expect(report.byModelAndOperation.find((b) => b.model === 'anthropic.messages:claude-sonnet' && b.operation === 'extract')).toMatchObject({ hits: 2, inputTokens: 4000, outputTokens: 200, costUsd: 0.015, modelTimeMs: 1800 });
    expect(report.byModelAndOperation.find((b) => b.model === 'anthropic.messages:claude-sonnet' && b.operation === 'summarize')).toMatchObject({ hits: 1, costUsd: 0.00825, modelTimeMs: 700 });
    // Every cost is exact: summed in micro-dollars, divided once (3 × 5750 + 8250 = 25 500 µ$).
    expect(report.byOperation['summarize']).toEqual({ hits: 4, inputTokens: 5600, outputTokens: 1000, cachedInputTokens: 600, costUsd: 0.0255, modelTimeMs: 5200 });
    expect(report.byModel['local:llama']).toEqual({ hits: 1, inputTokens: 50, outputTokens: 50, cachedInputTokens: 0, costUsd: 0, modelTimeMs: 10 });
    expect(report.unpricedModels).toEqual(['local:llama']);
    expect(report.total).toMatchObject({ hits: 7, inputTokens: 3600 + 4000 + 2000 + 50, outputTokens: 900 + 200 + 100 + 50, modelTimeMs: 4500 + 1800 + 700 + 10 });
    expect(report.total.costUsd).toBe(0.0405);
    expect(report.byModel['anthropic.messages:claude-sonnet']).toMatchObject({ hits: 3, costUsd: 0.02325 });

    expect(savings).toHaveLength(7);
    expect(savings[0]).toEqual([llm.cache.name, 'openai.chat:gpt-4o', 'summarize', 1200, 300, 200, 0.00575, 1500]);
    expect(llm.getStats()).toMatchObject({ hits: 7, misses: 1, hitRate: 7 / 8, savings: report.total });

    llm.resetStats();
    expect(llm.getSavings().total.hits).toBe(0);
    // A hit after the reset counts from zero, even for the model and operation of the last hit before it.
    await llm.lookup(other, acme);
    expect(llm.getSavings().byModel).toEqual({ 'local:llama': { hits: 1, inputTokens: 50, outputTokens: 50, cachedInputTokens: 0, costUsd: 0, modelTimeMs: 10 } });
  });

  it('rejects an invalid price table', () => {
    expect(() => setup({ prices: { m: { input: -1, output: 1 } } })).toThrow(/prices\["m"\]/);
  });

  it('a throwing savings hook never fails the lookup', async () => {
    const llm = setup({ performanceMonitor: { ...recordingRecorder(), recordLlmSavings: () => { throw new Error('boom'); } } });
    await llm.store(request(), answer(), acme);
    expect((await llm.lookup(request(), acme)).status).toBe('hit');
  });
});

describe('no prompt text in keys', () => {
  it('after 1 000 requests no 16-character substring of any prompt appears in any Redis key', async () => {
    const llm = setup({ clock: new ManualClock(1_700_000_000_000) });
    const words = ['invoice', 'customer', 'summary', 'password', 'diagnosis', 'contract', 'Zürich', '東京', 'quarterly', 'merger'];
    const prompts: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const text = Array.from({ length: 12 }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(' ') + ` #${i}`;
      const system = `System instructions number ${i} for the assistant`;
      const tool = `tool argument payload ${i} with details`;
      prompts.push(text, system, tool);
      const r: LlmRequest = {
        provider: 'openai.chat',
        modelId: 'gpt-4o',
        prompt: [
          { role: 'system', content: system },
          { role: 'user', content: [{ type: 'text', text }] },
          { role: 'assistant', content: [{ type: 'tool-call', toolCallId: `c${i}`, toolName: 'search', input: { query: tool } }] },
        ],
      };
      expect(await llm.store(r, answer(`answer ${i}`), { tenant: `tenant-${i % 5}`, operation: 'chat' })).toMatchObject({ stored: true });
    }
    const keys = await raw.keys('*');
    expect(keys).toHaveLength(1000);
    const windows = new Set<string>();
    for (const key of keys) for (let i = 0; i + 16 <= key.length; i++) windows.add(key.slice(i, i + 16));
    const leaked = prompts.filter((p) => {
      for (let i = 0; i + 16 <= p.length; i++) if (windows.has(p.slice(i, i + 16))) return true;
      return false;
    });
    expect(leaked).toEqual([]);
  });
});

describe('construction', () => {
  it('refuses an AIResponseCache as storage and bad options with ConfigurationErrors', () => {
    const ai = fx.ai(server);
    expect(() => new LlmRequestCache(ai)).toThrow(/not an AIResponseCache/);
    expect(() => new LlmRequestCache({} as never)).toThrow(/GenericRedisCache/);
    for (const options of [{ maxEntryBytes: 0 }, { allowedFinishReasons: 'stop' }, { providerOptionKeys: ['*.*'] }, { requireTenant: 'yes' }]) {
      let error: unknown;
      try {
        setup(options as never);
      } catch (e) {
        error = e;
      }
      expect(isConfigurationError(error), JSON.stringify(options)).toBe(true);
    }
  });
});

describe('statistics report', () => {
  it("getCacheStats: cache name (default 'llm-request') and kind, hit rate 0..1 over lookups, every counter and the savings", async () => {
    const named = setup({ name: 'support-bot', prices: { 'openai.chat:gpt-4o': { input: 1, output: 2 } } });
    expect(setup().name).toBe('llm-request');
    expect(named.name).toBe('support-bot');
    await named.store(request(), answer(), acme);
    await named.lookup(request(), acme);
    await named.lookup(request(), acme);
    await named.lookup(request('never stored'), acme);
    const report = await named.getCacheStats();
    expect(report.cache).toEqual({ name: 'support-bot', kind: 'llm-request' });
    expect(report.performance).toEqual({ hitRate: 2 / 3, hits: 2, misses: 1, totalOperations: 3 });
    expect(report.llm).toEqual(named.getStats());
    // 10 input tokens × $1/M + 5 output tokens × $2/M per hit.
    expect(report.llm.savings).toMatchObject({ hits: 2, inputTokens: 20, outputTokens: 10, costUsd: 0.00004 });
  });

  it('an empty or non-string name is a ConfigurationError', () => {
    for (const name of ['', '  ', 42]) expect(() => setup({ name } as never)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION', message: expect.stringMatching(/^name /) }));
  });
});

describe('cachedCall (read-through with single flight)', () => {
  it.each([true, false])('serves the stored, encrypted response exactly (Dates, bytes, URLs, undefined, -0, $-keys), L1 %s', async (enableL1Cache) => {
    const writer = setup({}, fx.generic(server, { keyPrefix: PREFIX, enableL1Cache }));
    const model = await writer.cachedCall(request(), async () => richResponse(), acme);
    expect(model.source).toBe('model');
    const stored = await raw.getBuffer((await raw.keys('app:llm:*'))[0]!);
    expect(stored!.toString('latin1')).not.toMatch(/Here is the chart|resp_1|\$weird/);
    for (let i = 0; i < 2; i++) {
      const hit = await writer.cachedCall(request(), async () => answer('never'), acme);
      expect(hit.source).toBe('cache');
      expect(hit.response).toStrictEqual(richResponse());
      expect(Object.is((hit.response.providerMetadata as { openai: { $weird: { nested: number[] } } }).openai.$weird.nested[2], -0)).toBe(true);
    }
  });

  it('computes once, stores, then serves the stored response with its savings', async () => {
    const cache = setup({ prices: { 'openai.chat:gpt-4o': { input: 1, output: 2 } } });
    let calls = 0;
    const compute = async () => {
      calls++;
      return answer();
    };
    const first = await cache.cachedCall(request(), compute, { tenant: 'acme' });
    const second = await cache.cachedCall(request(), compute, { tenant: 'acme' });
    expect([first.source, second.source, calls]).toEqual(['model', 'cache', 1]);
    expect(first.source === 'model' && first.stored).toBe(true);
    expect(second.source === 'cache' && second.saved).toMatchObject({ inputTokens: 10, outputTokens: 5 });
    expect(cache.getStats()).toMatchObject({ hits: 1, misses: 1, stores: 1 });
  });

  it('a response the guards refuse is returned to every concurrent caller and never stored', async () => {
    const cache = setup();
    let calls = 0;
    const compute = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 20));
      return answer('   ');
    };
    const results = await Promise.all([1, 2, 3].map(() => cache.cachedCall(request(), compute, { tenant: 'acme' })));
    expect(calls).toBe(1);
    expect(results.map((r) => r.source).sort()).toEqual(['coalesced', 'coalesced', 'model']);
    expect(await raw.keys('app:llm:*')).toEqual([]);
    expect(cache.getStats().refused.empty).toBe(1);
  });

  it('an unreadable entry under the key is a counted miss and is replaced by a fresh answer', async () => {
    const cache = setup();
    const key = cache.key(request(), { tenant: 'acme' });
    await cache.cache.set(key, { format: 999, junk: true });
    const result = await cache.cachedCall(request(), async () => answer('fresh'), { tenant: 'acme' });
    expect(result.source).toBe('model');
    expect(cache.getStats()).toMatchObject({ unreadable: 1, misses: 1 });
    const again = await cache.cachedCall(request(), async () => answer('never'), { tenant: 'acme' });
    expect(again.source === 'cache' && again.response.content).toEqual([{ type: 'text', text: 'fresh' }]);
  });

  it('a forced refresh over an unreadable entry (undecodable bytes, or a foreign format) recomputes and overwrites it', async () => {
    const cache = setup();
    const key = cache.key(request(), acme);
    const corruptions: Array<[string, () => Promise<unknown>]> = [
      ['bytes no envelope reader accepts', () => raw.set(`${PREFIX}${key}`, Buffer.from([0x00, 0xff, 0x13, 0x37]))],
      ['an entry of another format', () => cache.cache.set(key, { format: 999, junk: true })],
    ];
    for (const [what, corrupt] of corruptions) {
      await corrupt();
      const before = await raw.getBuffer(`${PREFIX}${key}`);
      expect((await cache.lookup(request(), acme)).status, what).toBe('miss');
      let calls = 0;
      const refreshed = await cache.cachedCall(request(), async () => (calls++, answer(`fresh after ${what}`)), { ...acme, mode: 'refresh' });
      expect(refreshed, what).toMatchObject({ source: 'model', stored: true });
      expect(calls, what).toBe(1);
      const after = await raw.getBuffer(`${PREFIX}${key}`);
      expect(after, what).not.toBeNull();
      expect(after!.equals(before!), what).toBe(false);
      const served = await cache.cachedCall(request(), async () => answer('never'), acme);
      expect(served.source === 'cache' && served.response.content, what).toEqual([{ type: 'text', text: `fresh after ${what}` }]);
    }
    // The undecodable bytes are a storage-level miss; the foreign entry is read and counted unreadable.
    expect(cache.getStats()).toMatchObject({ skipped: { refresh: 2 }, stores: 2, hits: 2, misses: 2, unreadable: 1 });
  });

  it("the model's own error reaches the caller and nothing is stored; only-if-cached misses reject with NOT_CACHED", async () => {
    const cache = setup();
    await expect(cache.cachedCall(request(), async () => Promise.reject(new Error('rate limited')), { tenant: 'acme' })).rejects.toThrow('rate limited');
    expect(await raw.keys('app:llm:*')).toEqual([]);
    await expect(cache.cachedCall(request(), async () => answer(), { tenant: 'acme', mode: 'only-if-cached' })).rejects.toMatchObject({ code: 'NOT_CACHED', name: 'LlmNotCachedError' });
  });
});
