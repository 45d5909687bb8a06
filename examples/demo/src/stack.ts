// The one place the demo builds its cache stack. Switching to @cache/factory (and the AI SDK
// middleware) means replacing the body of buildStack(); the replay and the report only use DemoStack.
import { silentLogger } from '@cache/core';
import { InMemoryCache } from '@cache/memory';
import { CachePerformanceMonitor } from '@cache/monitoring';
import { GenericRedisCache } from '@cache/redis';
import { LlmRequestCache, llmRequestKey, type LlmRequest, type LlmResponse, type LlmSavingsReport } from '@cache/redis-ai';
import type { SimulatedModel } from './model.js';
import type { WorkItem } from './workload.js';

/** How one request was answered. */
export type Source = 'hit' | 'model' | 'coalesced';

/** What the replay needs from a cache stack. */
export interface DemoStack {
  readonly kind: 'redis' | 'memory';
  /** The Redis cache, when there is one (for the raw-value view and the outage drill). */
  readonly redis: GenericRedisCache | null;
  /** Records every cache operation (the Prometheus series are read from it). */
  readonly monitor: CachePerformanceMonitor;
  /** The storage key of a request (with the physical prefix, as Redis sees it). */
  physicalKey(item: WorkItem): string;
  /** Answers one request: from the cache, from a model call already in flight, or from the model. */
  call(item: WorkItem, model: SimulatedModel): Promise<{ response: LlmResponse; source: Source }>;
  /** Model calls avoided because an identical call was already in flight in this process. */
  coalesced(): number;
  /** The redis-ai savings ledger (Redis stack only). */
  ledger(): LlmSavingsReport | null;
  close(): Promise<void>;
}

/** Where the stack keeps its entries. */
export type StackTarget =
  | { kind: 'redis'; env: Readonly<Record<string, string | undefined>>; prices: NonNullable<ConstructorParameters<typeof LlmRequestCache>[1]>['prices'] }
  | { kind: 'memory' };

const KEY_PREFIX = 'demo:';

/**
 * Redis: `GenericRedisCache.createSecure` (TLS, ACL user and encryption key from the environment the
 * `cache dev-redis` command printed, or the user's own) under `LlmRequestCache` (request keys,
 * tenants, write guards, savings ledger), plus single flight through core's read-through engine
 * (an `InMemoryCache.getOrSet` that coalesces identical concurrent misses and stores nothing).
 * Memory: an `InMemoryCache` whose `getOrSet` both caches and coalesces, keyed by `llmRequestKey`.
 */
export async function buildStack(target: StackTarget): Promise<DemoStack> {
  // Slow operations are expected during the outage drill: the report shows them, no log line per operation.
  const monitor = new CachePerformanceMonitor({ logger: silentLogger });
  if (target.kind === 'memory') {
    const cache = new InMemoryCache({ name: 'demo', maxSize: 10_000, defaultTtl: '1h' });
    const keyOf = (item: WorkItem) => llmRequestKey(item.request, { tenant: item.tenant, operation: item.operation });
    return {
      kind: 'memory',
      redis: null,
      monitor,
      physicalKey: keyOf,
      async call(item, model) {
        const key = keyOf(item);
        const started = performance.now();
        const cached = await cache.get<LlmResponse>(key);
        monitor.recordCacheOperationTime('get', performance.now() - started, cached !== null);
        if (cached !== null) return { response: cached, source: 'hit' };
        let ran = false;
        const response = await cache.getOrSet(key, () => ((ran = true), model.generate(item.request)));
        return { response, source: ran ? 'model' : 'coalesced' };
      },
      coalesced: () => cache.getStats().readThrough.coalescedLocal,
      ledger: () => null,
      close: async () => undefined,
    };
  }

  const redis = GenericRedisCache.createSecure({
    env: target.env,
    name: 'demo',
    keyPrefix: KEY_PREFIX,
    performanceMonitor: monitor,
    logger: silentLogger,
    connectTimeoutMs: 1000,
    commandTimeoutMs: 250,
    reconnect: { baseDelayMs: 50, maxDelayMs: 250 },
  });
  if (!(await redis.connect())) {
    await redis.disconnect();
    throw new Error(`cannot connect to ${redis.redisUrl ?? 'Redis'} (check REDIS_URL, credentials and REDIS_TLS_CA_PATH)`);
  }
  await redis.clear('demo start');
  const llm = new LlmRequestCache(redis, { prices: target.prices, defaultTtl: 3600, logger: silentLogger });
  const flights = new InMemoryCache({ name: 'single-flight', maxSize: 1000 });
  const policyOf = (item: WorkItem) => ({ tenant: item.tenant, operation: item.operation });
  return {
    kind: 'redis',
    redis,
    monitor,
    physicalKey: (item) => KEY_PREFIX + llm.key(item.request, policyOf(item)),
    async call(item, model) {
      const policy = policyOf(item);
      const found = await llm.lookup(item.request, policy);
      if (found.status === 'hit') return { response: found.response, source: 'hit' };
      let ran = false;
      const response = await flights.getOrSet(
        found.key,
        async () => {
          ran = true;
          const started = performance.now();
          const answer = await model.generate(item.request as LlmRequest);
          await llm.store(item.request, answer, { ...policy, latencyMs: Math.round(performance.now() - started) });
          return answer;
        },
        { cacheIf: () => false },
      );
      return { response, source: ran ? 'model' : 'coalesced' };
    },
    coalesced: () => flights.getStats().readThrough.coalescedLocal,
    ledger: () => llm.getSavings(),
    close: () => redis.disconnect(),
  };
}
