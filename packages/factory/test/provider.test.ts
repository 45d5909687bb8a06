import { ConfigurationError, InfrastructureError, silentLogger, type CacheInterface } from '@cache/core';
import { InMemoryCache } from '@cache/memory';
import { EnvironmentPresets, createCacheConfig, type CacheConfig, type FactoryConfig } from '@cache/presets';
import { GenericRedisCache } from '@cache/redis';
import { AIResponseCache, LlmRequestCache, type LlmResponse } from '@cache/redis-ai';
import { SecurityConfig } from '@cache/security';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CacheFactory, CacheServiceProvider, type LlmServiceOptions } from '../src/index.js';
import { freePort, secureOptions, securityFor, startSecureRedis, testEnv } from './helpers.js';

let server: RedisTestServer;
let plain: RedisTestServer;
const providers: CacheServiceProvider[] = [];
beforeAll(async () => {
  [server, plain] = await Promise.all([startSecureRedis(), startRedis()]);
});
afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.shutdown()));
});
afterAll(async () => {
  await Promise.all([server.stop(), plain.stop()]);
});

/** A provider on the TLS + ACL server (its CA and user given through cacheOptions). */
function secureProvider(config: Partial<Parameters<typeof createCacheConfig>[0]> = {}, factory?: CacheFactory, llmOptions?: LlmServiceOptions): CacheServiceProvider {
  const { redisUrl: _url, securityConfig, ...rest } = secureOptions(server);
  void _url;
  const provider = new CacheServiceProvider({
    config: createCacheConfig({ redisUrl: `rediss://localhost:${server.port}`, ...config }),
    env: testEnv,
    logger: silentLogger,
    cacheOptions: { ...rest, securityConfig: new SecurityConfig(securityFor(server), { env: testEnv, logger: silentLogger }) },
    ...(factory ? { factory } : {}),
    ...(llmOptions ? { llmOptions } : {}),
  });
  void securityConfig;
  providers.push(provider);
  return provider;
}

/** Test double: a factory whose createCacheFromConfig fails unexpectedly (a plain Error) and counts calls. */
class FailingFactory extends CacheFactory {
  calls = 0;
  override async createCacheFromConfig(): Promise<CacheInterface> {
    this.calls++;
    throw new Error('unexpected');
  }
}

/** Test double: a factory that counts createCacheFromConfig calls (then builds for real). */
class CountingFactory extends CacheFactory {
  calls = 0;
  override createCacheFromConfig(config: FactoryConfig, o?: { failOnConnectionError?: boolean }): Promise<CacheInterface> {
    this.calls++;
    return super.createCacheFromConfig(config, o);
  }
}

describe('CacheServiceProvider services', () => {
  it('the same config gives the same instance; the web service is generic; the AI service is AI even without AI config', async () => {
    const provider = secureProvider();
    const main = await provider.getCacheService();
    expect(await provider.getCacheService()).toBe(main);
    expect(main).toBeInstanceOf(GenericRedisCache);
    expect(main).not.toBeInstanceOf(AIResponseCache);
    const web = await provider.getWebCacheService();
    expect(web).toBeInstanceOf(GenericRedisCache);
    expect(web).not.toBeInstanceOf(AIResponseCache);
    const ai = (await provider.getAiCacheService()) as AIResponseCache;
    expect(ai).toBeInstanceOf(AIResponseCache);
    expect(ai.textHashThreshold).toBe(1000);
    expect(ai.operationTtls).toMatchObject({ summarize: 7200 });
    expect(ai.enableSmartPromotion).toBe(true);
    expect(provider.registry.keys()).toEqual([expect.stringMatching(/^main:[0-9a-f]{16}$/), expect.stringMatching(/^web:[0-9a-f]{16}$/), expect.stringMatching(/^ai:[0-9a-f]{16}$/)]);
    expect(provider.getConfig()).toBe(provider.getConfig());
    expect(Object.isFrozen(provider.getConfig())).toBe(true);
  });

  it('a config with AI on gives an AI main service, and the web service stays generic', async () => {
    const provider = secureProvider({ enableAiCache: true });
    expect(await provider.getCacheService()).toBeInstanceOf(AIResponseCache);
    expect(await provider.getWebCacheService()).not.toBeInstanceOf(AIResponseCache);
  });

  it('health checks never construct caches: 10 probes, one creation', async () => {
    const factory = new CountingFactory({ logger: silentLogger });
    const provider = secureProvider({}, factory);
    for (let i = 0; i < 10; i++) expect((await provider.getHealthStatus()).status).toBe('healthy');
    expect(factory.calls).toBe(1);
  });

  it('unexpected failures give registered, reused fallbacks: 1800 s/100 (main), 1800 s/200 (web), 300 s/50 with AI keys (ai)', async () => {
    const factory = new FailingFactory({ logger: silentLogger });
    const provider = secureProvider({}, factory);
    const main = (await provider.getCacheService()) as InMemoryCache;
    const web = (await provider.getWebCacheService()) as InMemoryCache;
    const ai = (await provider.getAiCacheService()) as InMemoryCache;
    expect([main, web, ai].map((c) => [c.defaultTtl, c.maxSize])).toEqual([[1800, 100], [1800, 200], [300, 50]]);
    expect(ai.buildKey('hello', 'summarize', {})).toMatch(/^ai_cache:/);
    expect(await provider.getCacheService()).toBe(main);
    expect(factory.calls).toBe(3);
    expect([main, web, ai].every((c) => provider.registry.isFallback(c))).toBe(true);
    const health = await provider.getHealthStatus('web');
    expect(health).toMatchObject({ status: 'degraded', fallback: true });
  });

  it('configuration and security errors propagate instead of a fallback', async () => {
    const provider = secureProvider();
    const { redisUrl: _url, ...wrongPassword } = secureOptions(server, { security: { aclPassword: 'wrong-password-789' } });
    void _url;
    const wrong = new CacheServiceProvider({ config: provider.getConfig(), env: testEnv, logger: silentLogger, cacheOptions: wrongPassword });
    providers.push(wrong);
    await expect(wrong.getCacheService()).rejects.toMatchObject({ code: 'REDIS_CONNECTION_REFUSED' });
    expect(wrong.registry.keys()).toEqual([]);
  });

  it('conditional routing: fallbackOnly → a new fallback each call; enableAi → AI; default → web; an error → fallback', async () => {
    const provider = secureProvider();
    const f1 = await provider.getConditionalCacheService({ fallbackOnly: true });
    const f2 = await provider.getFallbackCacheService();
    expect(f1).toBeInstanceOf(InMemoryCache);
    expect(f1).not.toBe(f2);
    expect([(f2 as InMemoryCache).defaultTtl, (f2 as InMemoryCache).maxSize]).toEqual([1800, 100]);
    expect(await provider.getConditionalCacheService({ enableAi: true })).toBe(await provider.getAiCacheService());
    expect(await provider.getConditionalCacheService()).toBe(await provider.getWebCacheService());
    const broken = new CacheServiceProvider({ config: { ...provider.getConfig(), redisUrl: 'not a url' } as CacheConfig, env: testEnv, logger: silentLogger });
    providers.push(broken);
    expect(await broken.getConditionalCacheService()).toBeInstanceOf(InMemoryCache);
  });

  it('getTestCache is new and isolated each call; getTestRedisCache honours TEST_REDIS_URL and falls back to memory', async () => {
    const provider = new CacheServiceProvider({ env: { ...testEnv, TEST_REDIS_URL: plain.url() }, logger: silentLogger, config: createCacheConfig({}) });
    providers.push(provider);
    const a = await provider.getTestCache();
    const b = await provider.getTestCache();
    expect(a).toBeInstanceOf(InMemoryCache);
    expect(a).not.toBe(b);
    const redis = (await provider.getTestRedisCache()) as GenericRedisCache;
    expect(redis).toBeInstanceOf(GenericRedisCache);
    expect(redis.redisUrl).toBe(plain.url());
    await redis.disconnect();
    const dead = new CacheServiceProvider({ env: { ...testEnv, TEST_REDIS_URL: `redis://localhost:${await freePort()}` }, logger: silentLogger, config: createCacheConfig({}) });
    providers.push(dead);
    expect(await dead.getTestRedisCache()).toBeInstanceOf(InMemoryCache);
  });
});

describe('CacheServiceProvider configuration and shutdown', () => {
  it('validateConfiguration: an invalid config is a ConfigurationError with validation_errors and warnings', () => {
    const provider = new CacheServiceProvider({ config: createCacheConfig({ environment: 'production', redisUrl: 'redis://cache:6379' }), logger: silentLogger });
    const error = (() => {
      try {
        provider.validateConfiguration();
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ message: 'Invalid cache configuration', context: { validation_errors: [expect.stringContaining('rediss://')], warnings: expect.any(Array) } });
    expect(secureProvider().validateConfiguration()).toBeDefined();
  });

  it('shutdown disconnects every service, is idempotent, and later requests reject instead of connecting', async () => {
    const provider = secureProvider();
    const main = (await provider.getCacheService()) as GenericRedisCache;
    const ai = (await provider.getAiCacheService()) as GenericRedisCache;
    const stats = await provider.shutdown();
    expect(stats).toEqual({ totalEntries: 2, activeCaches: 2, disconnectedCaches: 2, errors: [] });
    expect([main.connectionState, ai.connectionState]).toEqual(['closed', 'closed']);
    expect(await provider.shutdown()).toEqual({ totalEntries: 0, activeCaches: 0, disconnectedCaches: 0, errors: [] });
    for (const call of [() => provider.getCacheService(), () => provider.getWebCacheService(), () => provider.getTestCache(), () => provider.getHealthStatus()]) {
      await expect(call()).rejects.toSatisfy((e: unknown) => e instanceof InfrastructureError && e.code === 'PROVIDER_SHUT_DOWN');
    }
  });
});

describe('CacheServiceProvider LLM service', () => {
  const request = { provider: 'openai.chat', modelId: 'gpt-4o', prompt: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'Summarise the report.' }] }], temperature: 0 };
  // 1000 input and 100 output tokens at 2 and 10 $/M: one hit saves 2000 + 1000 µ$.
  const answer = (): LlmResponse => ({
    content: [{ type: 'text', text: 'Revenue grew.' }],
    finishReason: { unified: 'stop', raw: 'stop' },
    usage: { inputTokens: { total: 1000, noCache: 1000, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 100, text: 100, reasoning: 0 } },
    warnings: [],
  });

  it('one LlmRequestCache per provider, on the config\'s Redis with the llmOptions, registered and closed by shutdown', async () => {
    const provider = secureProvider({}, undefined, { prices: { 'openai.chat:gpt-4o': { input: 2, output: 10 } }});
    const [llm, again] = await Promise.all([provider.getLlmCacheService(), provider.getLlmCacheService()]);
    expect(llm).toBeInstanceOf(LlmRequestCache);
    expect(again).toBe(llm);
    expect(await provider.getLlmCacheService()).toBe(llm);
    expect(provider.registry.keys()).toEqual([expect.stringMatching(/^llm:[0-9a-f]{16}$/)]);
    expect([llm.cache.name, llm.cache.connectionState]).toEqual(['llm', 'ready']);

    let calls = 0;
    const compute = async (): Promise<LlmResponse> => {
      calls++;
      return answer();
    };
    expect((await llm.cachedCall(request, compute, { tenant: 'acme' })).source).toBe('model');
    expect((await llm.cachedCall(request, compute, { tenant: 'acme' })).source).toBe('cache');
    expect(calls).toBe(1);
    expect(llm.getSavings().total).toMatchObject({ hits: 1, inputTokens: 1000, outputTokens: 100, costUsd: 0.003 });

    expect(await provider.shutdown()).toMatchObject({ activeCaches: 1, disconnectedCaches: 1, errors: [] });
    expect(llm.cache.connectionState).toBe('closed');
    await expect(provider.getLlmCacheService()).rejects.toSatisfy((e: unknown) => e instanceof InfrastructureError && e.code === 'PROVIDER_SHUT_DOWN');
  });

  it('a memory-only configuration is refused with a ConfigurationError, and the refusal is not remembered', async () => {
    const provider = new CacheServiceProvider({ config: EnvironmentPresets.disabled(), env: testEnv, logger: silentLogger });
    providers.push(provider);
    for (let i = 0; i < 2; i++) {
      await expect(provider.getLlmCacheService()).rejects.toSatisfy((e: unknown) => e instanceof ConfigurationError && e.code === 'INVALID_CONFIGURATION');
    }
    expect(provider.registry.keys()).toEqual([]);
  });
});
