// The demo's cache stack: ONE factory call, then the AI SDK middleware around the models.
import type { LanguageModelV4, LanguageModelV4GenerateResult, LanguageModelV4Middleware } from '@ai-sdk/provider';
import { silentLogger, type CacheInterface } from '@cache/core';
import { CacheFactory } from '@cache/factory';
import { InMemoryCache } from '@cache/memory';
import { CachePerformanceMonitor } from '@cache/monitoring';
import type { GenericRedisCache } from '@cache/redis';
import { llmRequestKey, type LlmPriceTable, type LlmRequest, type LlmSavingsReport } from '@cache/redis-ai';
import { cacheMiddleware } from '@cache/redis-ai/ai-sdk';
import { wrapLanguageModel } from 'ai';

/** Where the stack keeps its entries: a Redis described by the `cache dev-redis` variables, or memory. */
export type StackTarget = { kind: 'redis'; env: Readonly<Record<string, string | undefined>> } | { kind: 'memory' };

/** What the replay and the report need from a cache stack. */
export interface DemoStack {
  /** `memory` also when the factory fell back because Redis could not be reached. */
  readonly kind: 'redis' | 'memory';
  /** Whether the factory fell back to memory because Redis could not be reached. */
  readonly fallback: boolean;
  /** The Redis cache, when there is one (for the outage drill). */
  readonly redis: GenericRedisCache | null;
  /** Records every cache operation (the Prometheus series are read from it). */
  readonly monitor: CachePerformanceMonitor;
  /** `model` behind the cache (`wrapLanguageModel` with the cache middleware). */
  wrap(model: LanguageModelV4): LanguageModelV4;
  /** Model calls avoided because an identical call was already in flight: in this process, in another process. */
  singleFlight(): { local: number; remote: number };
  /** The redis-ai savings ledger (the `forLlmApp` stack, also in its fallback). */
  ledger(): LlmSavingsReport | null;
  close(): Promise<void>;
}

/** Options of {@link buildStack}. */
export interface StackOptions {
  prices: LlmPriceTable;
  /** Empty the demo's keys first (the main run; not a second process joining it). */
  clear: boolean;
}

/** The demo's key namespace in Redis. */
export const KEY_PREFIX = 'demo:';

/**
 * One factory call builds the stack. On Redis, `forLlmApp` (TLS, ACL user and encryption key from
 * the environment `cache dev-redis` printed, or the user's own) gives an `LlmRequestCache` (request
 * keys, tenants, write guards, savings ledger) that serves the AI SDK through `cacheMiddleware`,
 * with single flight in this process and, through the storage cache's lease, across processes. When
 * Redis cannot be reached, the factory keeps the same object with its connection closed: its L1
 * (sized for the workload here) serves as the in-process store, and the stack reports a fallback.
 * With no Redis at all, `forTesting` gives an `InMemoryCache`, and a small middleware puts the same
 * calls through its `getOrSet`, keyed by `llmRequestKey`.
 */
export async function buildStack(target: StackTarget, o: StackOptions): Promise<DemoStack> {
  // Slow operations are expected during the outage drill: the report shows them, no log line per operation.
  const monitor = new CachePerformanceMonitor({ logger: silentLogger });
  const factory = new CacheFactory({ performanceMonitor: monitor, logger: silentLogger });

  if (target.kind === 'redis') {
    const llm = await factory.forLlmApp({
      redisUrl: target.env['REDIS_URL'],
      env: target.env,
      name: 'demo',
      keyPrefix: KEY_PREFIX,
      defaultTtl: '1h',
      l1CacheSize: 10_000,
      prices: o.prices,
    });
    const fallback = factory.isFallback(llm);
    const cache = llm.cache;
    if (o.clear && !fallback) await cache.clear('demo start');
    const middleware = cacheMiddleware(llm);
    return {
      kind: fallback ? 'memory' : 'redis',
      fallback,
      redis: fallback ? null : cache,
      monitor,
      wrap: (model) => wrapLanguageModel({ model, middleware }),
      singleFlight: () => ({ local: cache.getStats().readThrough.coalescedLocal, remote: cache.getStats().readThrough.coalescedRemote }),
      ledger: () => llm.getSavings(),
      close: () => cache.disconnect(),
    };
  }
  const cache = await factory.forTesting({ useMemoryCache: true, l1CacheSize: 10_000, defaultTtl: '1h' });
  if (!(cache instanceof InMemoryCache)) throw new Error('forTesting({ useMemoryCache: true }) returned no memory cache');
  const middleware = memoryMiddleware(cache, monitor);
  return {
    kind: 'memory',
    fallback: false,
    redis: null,
    monitor,
    wrap: (model) => wrapLanguageModel({ model, middleware }),
    singleFlight: () => ({ local: cache.getStats().readThrough.coalescedLocal, remote: 0 }),
    ledger: () => null,
    close: async () => undefined,
  };
}

/** A generate result in the memory cache, with when it was stored. */
interface Stored {
  result: LanguageModelV4GenerateResult;
  storedAt: number;
}

/**
 * `LlmRequestCache` needs a `GenericRedisCache`, so the memory stack answers generate calls with
 * the cache's own `getOrSet` (one model call per key in flight), marking served results as
 * `cacheMiddleware` does: `providerMetadata['redis-ai'] = { cached: true, source, storedAt }`.
 */
function memoryMiddleware(cache: CacheInterface, monitor: CachePerformanceMonitor): LanguageModelV4Middleware {
  return {
    specificationVersion: 'v4',
    async wrapGenerate({ doGenerate, params, model }) {
      const policy = (params.providerOptions?.['redis-ai'] ?? {}) as { tenant?: string; operation?: string };
      const key = llmRequestKey({ ...params, provider: model.provider, modelId: model.modelId } as unknown as LlmRequest, policy);
      const started = performance.now();
      const cached = await cache.get<Stored>(key);
      monitor.recordCacheOperationTime('get', performance.now() - started, cached !== null);
      let own: LanguageModelV4GenerateResult | undefined;
      const entry = cached ?? (await cache.getOrSet<Stored>(key, async () => ({ result: (own = await doGenerate()), storedAt: Date.now() })));
      if (own !== undefined) return own;
      const marker = { cached: true, source: 'cache', storedAt: new Date(entry.storedAt).toISOString() };
      return { ...entry.result, providerMetadata: { ...entry.result.providerMetadata, 'redis-ai': marker } };
    },
  };
}
