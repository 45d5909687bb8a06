import { isConfigurationError, silentLogger } from '@cache/core';
import { GenericRedisCache } from '@cache/redis';
import { LlmRequestCache, type LlmRequest, type LlmResponse } from '@cache/redis-ai';
import type { RedisTestServer } from '@cache-tooling/test-redis';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachePlugin } from '../src/fastify.js';
import { CacheFactory, checkCacheHealth, type LlmAppOptions } from '../src/index.js';
import { USER, USER_PASSWORD, freePort, liveHandles, secureOptions, startSecureRedis, until } from './helpers.js';
import { metrics, providerThrough } from './http-helpers.js';

let server: RedisTestServer;
beforeAll(async () => {
  server = await startSecureRedis();
});
afterAll(async () => {
  await server.stop();
});

const PRICES = { 'openai.chat:gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25 } };
const policy = { tenant: 'acme', operation: 'summarize' };

function request(text = 'Summarise the quarterly report.'): LlmRequest {
  return { provider: 'openai.chat', modelId: 'gpt-4o', prompt: [{ role: 'user', content: [{ type: 'text', text }] }], temperature: 0 };
}

// 1200 input tokens of which 200 read from the provider's prompt cache, 300 output tokens:
// one hit saves 1000 × 2.5 + 200 × 1.25 + 300 × 10 = 5750 µ$ and the stored 1500 ms of model time.
function response(): LlmResponse {
  return {
    content: [{ type: 'text', text: 'Revenue grew.' }],
    finishReason: { unified: 'stop', raw: 'stop' },
    usage: { inputTokens: { total: 1200, noCache: 1000, cacheRead: 200, cacheWrite: 0 }, outputTokens: { total: 300, text: 300, reasoning: 0 } },
    warnings: [],
  };
}

const neverCalled = async (): Promise<LlmResponse> => {
  throw new Error('the model must not be called on a hit');
};

describe('forLlmApp: LLM savings reach the factory monitor and the /metrics route in one call', () => {
  it('three hits against real TLS + ACL Redis show exact tokens by kind, cost, model seconds and hits in the Prometheus text', async () => {
    const provider = providerThrough(server, server.port);
    const app = Fastify();
    await app.register(cachePlugin, { provider, metrics: true });
    const options: LlmAppOptions = { ...secureOptions(server), prices: PRICES, keyPrefix: 'llm-e2e:' };
    const writer = await provider.factory.forLlmApp(options);
    const reader = await provider.factory.forLlmApp(options);
    // Registered, they are drained and closed by the provider's shutdown (app.close()) and listed on /metrics.
    provider.registry.register('llm-writer', writer.cache, { fallback: provider.factory.isFallback(writer) });
    provider.registry.register('llm-reader', reader.cache, { fallback: provider.factory.isFallback(reader) });
    try {
      expect(writer).toBeInstanceOf(LlmRequestCache);
      expect([writer.cache.name, writer.cache.defaultTtl, writer.cache.l1CacheSize, writer.cache.connectionState]).toEqual(['llm', 3600, 100, 'ready']);
      expect(provider.factory.isFallback(writer)).toBe(false);
      expect(await writer.store(request(), response(), { ...policy, latencyMs: 1500 })).toMatchObject({ stored: true });
      // The reader's L1 is empty: each hit is read from Redis (the first one) or promoted from it.
      for (let i = 0; i < 3; i++) expect((await reader.cachedCall(request(), neverCalled, policy)).source).toBe('cache');
      expect(await reader.cachedCall(request('another question'), async () => response(), policy)).toMatchObject({ source: 'model' });

      const text = await metrics(await app.listen({ port: 0, host: '127.0.0.1' }));
      const labels = 'cache="llm",model="openai.chat:gpt-4o",operation="summarize"';
      const series = (name: string) => text.split('\n').find((line) => line.startsWith(`${name}{${labels}`) && !line.includes('kind='))?.split(' ')[1];
      expect(series('cache_llm_hits_total')).toBe('3');
      expect(text).toContain(`cache_llm_saved_tokens_total{${labels},kind="input"} 3000\n`);
      expect(text).toContain(`cache_llm_saved_tokens_total{${labels},kind="cached_input"} 600\n`);
      expect(text).toContain(`cache_llm_saved_tokens_total{${labels},kind="output"} 900\n`);
      expect(series('cache_llm_saved_cost_usd_total')).toBe('0.01725');
      expect(series('cache_llm_saved_model_seconds_total')).toBe('4.5');
      expect(text).toContain('cache_redis_ready{service="llm-reader"} 1\n');
      expect(text).toContain('cache_fallback_active{service="llm-reader"} 0\n');
      // The same figures as the cache's own ledger.
      expect(reader.getSavings().total).toEqual({ hits: 3, inputTokens: 3600, outputTokens: 900, cachedInputTokens: 600, costUsd: 0.01725, modelTimeMs: 4500 });
    } finally {
      await app.close();
    }
    expect([writer.cache.connectionState, reader.cache.connectionState]).toEqual(['closed', 'closed']);
  });

  it('the call can disable monitoring (performanceMonitor: null) or pass its own recorder', async () => {
    const factory = new CacheFactory({ logger: silentLogger });
    const seen: unknown[][] = [];
    const own = { recordOperation() {}, recordCacheOperationTime() {}, recordLlmSavings: (...args: unknown[]) => void seen.push(args) };
    const llm = await factory.forLlmApp({ ...secureOptions(server), performanceMonitor: own, keyPrefix: 'llm-own:', name: 'answers' });
    const off = await factory.forLlmApp({ ...secureOptions(server), performanceMonitor: null, keyPrefix: 'llm-own:' });
    try {
      await llm.store(request(), response(), { ...policy, latencyMs: 10 });
      await llm.lookup(request(), policy);
      await off.lookup(request(), policy);
      expect(seen).toEqual([['answers', 'openai.chat:gpt-4o', 'summarize', 1200, 300, 200, 0, 10]]);
      expect(factory.performanceMonitor?.getLlmSavings()).toEqual([]);
    } finally {
      await Promise.all([llm.cache.disconnect(), off.cache.disconnect()]);
    }
  });

  it('bad LLM options are refused before any connection is made; a wrong password is a refusal, never a fallback', async () => {
    const factory = new CacheFactory({ logger: silentLogger });
    const before = liveHandles().length;
    await expect(factory.forLlmApp({ ...secureOptions(server), prices: { m: { input: -1, output: 1 } } })).rejects.toSatisfy(isConfigurationError);
    await expect(factory.forLlmApp({ ...secureOptions(server), defaultTtl: 0 })).rejects.toMatchObject({ code: 'INVALID_FACTORY_INPUT' });
    await expect(
      factory.forLlmApp({ ...secureOptions(server, { security: { aclPassword: 'wrong-password-000' } }) }),
    ).rejects.toMatchObject({ code: 'REDIS_CONNECTION_REFUSED' });
    await until(() => liveHandles().length <= before, 5000, 'no handle left');
  });
});

describe('forLlmApp when Redis is unreachable', () => {
  const deadUrl = async () => `rediss://${USER}:${USER_PASSWORD}@localhost:${await freePort()}`;

  it('keeps serving and counting savings in-process from its storage L1, connection closed; visible as a fallback in health', async () => {
    const factory = new CacheFactory({ logger: silentLogger });
    const before = liveHandles().length;
    const llm = await factory.forLlmApp({ ...secureOptions(server), redisUrl: await deadUrl(), connectTimeoutMs: '500ms', prices: PRICES });
    expect(factory.isFallback(llm)).toBe(true);
    expect(factory.isFallback(llm.cache)).toBe(true);
    expect(llm.cache).toBeInstanceOf(GenericRedisCache);
    expect(llm.cache.connectionState).toBe('closed');
    await until(() => liveHandles().length <= before, 5000, 'the half-built client closed');

    expect(await llm.cachedCall(request(), async () => response(), policy)).toMatchObject({ source: 'model', stored: true });
    expect(await llm.cachedCall(request(), neverCalled, policy)).toMatchObject({ source: 'cache' });
    const [saved] = factory.performanceMonitor?.getLlmSavings() ?? [];
    expect(saved).toMatchObject({ cache: 'llm', model: 'openai.chat:gpt-4o', operation: 'summarize', hits: 1, inputTokens: 1200, costUsd: 0.00575 });

    const health = await checkCacheHealth(llm.cache, { fallback: factory.isFallback(llm) });
    expect(health).toMatchObject({ status: 'degraded', fallback: true });
    expect(health.warnings).toContain('Serving from in-memory fallback; Redis is unavailable');
    expect(liveHandles().length).toBeLessThanOrEqual(before);
  });

  it('with failOnConnectionError rejects with the LLM application message instead', async () => {
    const factory = new CacheFactory({ logger: silentLogger });
    await expect(factory.forLlmApp({ ...secureOptions(server), redisUrl: await deadUrl(), connectTimeoutMs: '500ms', failOnConnectionError: true })).rejects.toMatchObject({
      name: 'InfrastructureError',
      code: 'REDIS_CONNECTION_FAILED',
      message: 'Redis connection failed for LLM application cache',
      context: { cache_type: 'llm_app' },
    });
  });
});
