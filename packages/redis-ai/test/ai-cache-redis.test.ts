import { isConfigurationError, isValidationError } from '@cache/core';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AIResponseCache } from '../src/index.js';
import { Fixture, newEncryption, recordingLogger, recordingRecorder } from './helpers.js';

let server: RedisTestServer;
let raw: Redis;
const fx = new Fixture();

beforeAll(async () => {
  server = await startRedis({ password: 'ai-cache-test-password' });
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

const tiersOfGets = (cache: AIResponseCache): Array<'l1' | 'redis'> => {
  const tiers: Array<'l1' | 'redis'> = [];
  cache.on('get_success', (_k, _v, meta) => tiers.push(meta.tier));
  return tiers;
};

describe('keys and values through real Redis (checklist 7)', () => {
  it('round-trips with L1 off; the raw key is exactly the built key', async () => {
    const cache = fx.ai(server, { enableL1Cache: false });
    const key = cache.buildKey('Short text for testing.', 'summarize', { max_length: 100, temperature: 0.7, language: 'en' });
    expect(await cache.set(key, { summary: 'short', confidence: 0.95 })).toBe('stored');
    expect(await cache.get(key)).toEqual({ summary: 'short', confidence: 0.95 });
    expect(await raw.keys('*')).toEqual(['ai_cache:op:summarize|txt:Short text for testing.|opts:fdb0c6fd8ed470c7']);
  });

  it('with a keyPrefix the raw key is prefix + built key', async () => {
    const cache = fx.ai(server, { enableL1Cache: false, keyPrefix: 'app:' });
    const key = cache.buildKey('Document content', 'qa', { question: 'What is the main point?', max_tokens: 150 });
    await cache.set(key, 'answer');
    expect(await raw.keys('*')).toEqual([`app:${key}`]);
    expect(await raw.get(`app:${key}`)).not.toContain('answer');
  });
});

describe('operation TTLs are applied (checklist 8)', () => {
  it('set without ttl uses the operation TTL, other operations and non-AI keys defaultTtl; explicit wins', async () => {
    const cache = fx.ai(server, { operationTtls: { summarize: 120 }, defaultTtl: 3600 });
    const sum = cache.buildKey('a', 'summarize');
    const qa = cache.buildKey('a', 'qa');
    const explicit = cache.buildKey('b', 'summarize');
    await cache.set(sum, 1);
    await cache.set(qa, 1, null);
    await cache.set(explicit, 1, 30);
    await cache.set('plain:key', 1);
    expect(await raw.ttl(sum)).toBeGreaterThanOrEqual(119);
    expect(await raw.ttl(sum)).toBeLessThanOrEqual(120);
    expect(await raw.ttl(qa)).toBeGreaterThanOrEqual(3599);
    expect(await raw.ttl(explicit)).toBeLessThanOrEqual(30);
    expect(await raw.ttl('plain:key')).toBeGreaterThanOrEqual(3599);
    expect(cache.ttlForOperation('summarize')).toBe(120);
    expect(cache.ttlForOperation('constructor')).toBe(3600);
  });

  it('getOrSet without ttl stores for the operation TTL; other operations and non-AI keys get defaultTtl; an explicit ttl wins', async () => {
    const cache = fx.ai(server, { operationTtls: { summarize: 120 }, defaultTtl: 3600 });
    const sum = cache.buildKey('a', 'summarize');
    const withOptions = cache.buildKey('c', 'summarize');
    const qa = cache.buildKey('a', 'qa');
    const explicit = cache.buildKey('b', 'summarize');
    expect(await cache.getOrSet(sum, () => 'computed')).toBe('computed');
    await cache.getOrSet(withOptions, () => 1, { cacheIf: () => true });
    await cache.getOrSet(qa, () => 1);
    await cache.getOrSet(explicit, () => 1, { ttl: '30s' });
    await cache.getOrSet('plain:key', () => 1);
    for (const key of [sum, withOptions]) {
      expect(await raw.ttl(key)).toBeGreaterThanOrEqual(119);
      expect(await raw.ttl(key)).toBeLessThanOrEqual(120);
    }
    expect(await raw.ttl(qa)).toBeGreaterThanOrEqual(3599);
    expect(await raw.ttl(explicit)).toBeLessThanOrEqual(30);
    expect(await raw.ttl('plain:key')).toBeGreaterThanOrEqual(3599);
    expect(await cache.getOrSet(sum, () => 'again')).toBe('computed');
  });

  it('setMany entries without ttl use their operation TTL; explicit ones win', async () => {
    const cache = fx.ai(server, { operationTtls: { summarize: 120 }, defaultTtl: 3600 });
    const sum = cache.buildKey('a', 'summarize');
    const explicit = cache.buildKey('b', 'summarize');
    await cache.setMany([{ key: sum, value: 1 }, { key: explicit, value: 2, ttl: { ttl: 30 } }, { key: 'plain:key', value: 3 }]);
    expect(await raw.ttl(sum)).toBeGreaterThanOrEqual(119);
    expect(await raw.ttl(sum)).toBeLessThanOrEqual(120);
    expect(await raw.ttl(explicit)).toBeLessThanOrEqual(30);
    expect(await raw.ttl('plain:key')).toBeGreaterThanOrEqual(3599);
  });
});

describe('invalidation (checklists 9-12, 14)', () => {
  async function seed(cache: AIResponseCache): Promise<{ sum: string[]; summarize: string[]; sentiment: string[] }> {
    const make = (op: string, n: number) => Array.from({ length: n }, (_, i) => cache.buildKey(`text ${i}`, op));
    const keys = { sum: make('sum', 2), summarize: make('summarize', 3), sentiment: make('sentiment', 2) };
    for (const key of Object.values(keys).flat()) await cache.set(key, { v: key.length });
    return keys;
  }

  it('invalidatePattern removes only matching AI keys in both tiers; an unknown pattern removes nothing', async () => {
    const cache = fx.ai(server);
    const keys = await seed(cache);
    await cache.set('other:summarize', 1);
    expect(await cache.invalidatePattern('nothing-like-this')).toBe(0);
    expect(await raw.dbsize()).toBe(8);
    expect(await cache.invalidatePattern('summarize')).toBe(3);
    for (const key of keys.summarize) expect(await cache.get(key)).toBeNull();
    for (const key of [...keys.sum, ...keys.sentiment]) expect(await cache.get(key)).not.toBeNull();
    expect(await raw.exists('other:summarize')).toBe(1);
  });

  it("invalidateByOperation('sum') leaves summarize; ('summarize') removes all of them, counting L1+Redis once", async () => {
    const cache = fx.ai(server);
    const keys = await seed(cache);
    expect(await cache.invalidateByOperation('sum')).toBe(2);
    for (const key of keys.summarize) expect(await raw.exists(key)).toBe(1);
    expect(cache.getStats().l1.size).toBe(5);
    expect(await cache.invalidateByOperation('summarize')).toBe(3);
    expect(await raw.keys('ai_cache:op:summarize|*')).toEqual([]);
    expect(cache.getStats().l1.size).toBe(2);
    expect(cache.getAiMetrics().invalidationsByOperation).toEqual({ sum: 2, summarize: 3 });
  });

  it.each(['', null, 123, 'a|b', 'x*'])('invalidateByOperation(%j) → ValidationError naming operation; nothing removed', async (op) => {
    const cache = fx.ai(server);
    await seed(cache);
    const error = await cache.invalidateByOperation(op as never).catch((e: unknown) => e);
    expect(isValidationError(error)).toBe(true);
    expect((error as Error).message).toContain('operation');
    expect(await raw.dbsize()).toBe(7);
  });

  it('clear() removes every ai_cache key in both tiers and keeps other keys (no keyPrefix needed)', async () => {
    const cache = fx.ai(server);
    const keys = await seed(cache);
    await cache.set('user:1', { name: 'kept' });
    await raw.set('foreign', 'kept too');
    expect(await cache.clear()).toBe(7);
    for (const key of Object.values(keys).flat()) expect(await cache.get(key)).toBeNull();
    expect(await cache.get('user:1')).toEqual({ name: 'kept' });
    expect((await raw.keys('*')).sort()).toEqual(['foreign', 'user:1']);
  });

  it('the recorder receives each invalidation with its type, default context and count, also for 0', async () => {
    const recorder = recordingRecorder();
    const cache = fx.ai(server, { performanceMonitor: recorder });
    await seed(cache);
    await cache.invalidatePattern('nope');
    await cache.invalidateByOperation('missing');
    await cache.invalidateByOperation('sum', 'custom-context');
    await cache.clear();
    const events = recorder.calls.filter((c) => c.hook === 'recordInvalidationEvent').map((c) => [c.args[0], c.args[1], c.args[3], c.args[4]]);
    expect(events).toEqual([
      ['ai_cache:*nope*', 0, 'manual', ''],
      ['ai_cache:op:missing|*', 0, 'operation_specific', 'operation_specific_missing'],
      ['ai_cache:op:sum|*', 2, 'operation_specific', 'custom-context'],
      ['ai_cache:*', 5, 'clear', 'clear'],
    ]);
    const manual = recorder.calls.find((c) => c.hook === 'recordInvalidationEvent');
    expect(manual?.args[5]).toMatchObject({ searchPattern: 'ai_cache:*nope*' });
    expect(cache.getAiMetrics().invalidationsByOperation).toEqual({ missing: 0, sum: 2 });
  });
});

describe('statistics (checklists 15-18)', () => {
  it('getCacheStats on a live server: connected, AI key count, numeric memory fields', async () => {
    const cache = fx.ai(server);
    for (let i = 0; i < 4; i++) await cache.set(cache.buildKey(`t${i}`, 'qa'), i);
    await cache.set('not-ai', 1);
    const stats = await cache.getCacheStats();
    expect(stats.redis).toMatchObject({ status: 'ready', keys: 4, keysApproximate: false });
    expect(stats.redis.usedMemoryBytes).toBeGreaterThan(0);
    expect(stats.redis.memoryUsed).toMatch(/^\d+(\.\d+)?[BKMG]/);
    expect(stats.redis.connectedClients).toBeGreaterThanOrEqual(1);
    expect(stats.memory).toMatchObject({ entries: 5, maxEntries: 100, status: 'enabled', memoryCacheEntries: 5, memoryCacheSizeLimit: 100, memoryCacheUtilization: '5/100' });
    expect(stats.performance).toMatchObject({ status: 'ok', hitRate: 0, totalOperations: 0 });
    expect(stats.cache).toEqual({ name: cache.name, kind: 'redis' });
    expect(stats.security).toHaveProperty('valuesEncrypted', true);
  });

  it('getCacheStats on a dead port: unavailable, other sections present, never rejects', async () => {
    const cache = fx.ai({ url: () => 'redis://127.0.0.1:1', password: null }, { connectTimeoutMs: 200 });
    await cache.connect();
    const stats = await cache.getCacheStats();
    expect(stats.redis).toMatchObject({ keys: 0 });
    expect(stats.redis.status).not.toBe('ready');
    expect(stats.redis.usedMemoryBytes).toBeUndefined();
    expect(stats.memory.status).toBe('enabled');
    expect(stats.performance.status).toBe('ok');
    expect(stats.aiMetrics).toBeDefined();
  });

  it('8+2 summarize and 6+4 sentiment gets → 20 operations, 0.7 overall, 0.8 and 0.6 (hit rates 0..1)', async () => {
    const cache = fx.ai(server);
    const run = async (op: string, hits: number, misses: number) => {
      const key = cache.buildKey('stored text', op);
      await cache.set(key, 'v');
      for (let i = 0; i < hits; i++) expect(await cache.get(key)).toBe('v');
      for (let i = 0; i < misses; i++) expect(await cache.get(cache.buildKey(`absent ${i}`, op))).toBeNull();
    };
    await run('summarize', 8, 2);
    await run('sentiment', 6, 4);
    const summary = cache.getAiPerformanceSummary();
    expect(summary.totalOperations).toBe(20);
    expect(summary.overallHitRate).toBe(0.7);
    expect(summary.hitRateByOperation).toEqual({ summarize: 0.8, sentiment: 0.6 });
    expect(summary.textTierDistribution).toEqual({ small: 20 });
    expect(summary.optimizationRecommendations.map((r) => [r.type, r.priority])).toEqual([['ttl', 'medium'], ['ttl', 'medium'], ['memory', 'low']]);
    expect(cache.getHitRate()).toBe(14 / 20);
    expect(cache.getPerformanceSummary()).toMatchObject({ hitRate: 0.7, cacheHits: 14, cacheMisses: 6, totalOperations: 22, aiOperationMetrics: { summarize: 8, sentiment: 6 } });
  });

  it('an empty summary has the documented zero shape', () => {
    const cache = fx.ai(server);
    expect(cache.getAiPerformanceSummary()).toMatchObject({ totalOperations: 0, overallHitRate: 0, hitRateByOperation: {}, textTierDistribution: {}, optimizationRecommendations: [] });
  });

  it('tier statistics zero-fill, completeness ≤ 100; operation performance counts the gets and sets done', async () => {
    const cache = fx.ai(server, { operationTtls: { qa: 300 } });
    const small = cache.buildKey('small', 'qa');
    const medium = cache.buildKey('m'.repeat(600), 'summarize');
    await cache.set(small, 1);
    await cache.set(medium, 2);
    await cache.get(small);
    await cache.get(small);
    await cache.get(medium);
    const tiers = cache.getTextTierStatistics();
    expect(tiers.tierDistribution).toEqual({ small: 2, medium: 1, large: 0, xlarge: 0 });
    expect(tiers.dataCompleteness).toEqual({ expectedTiers: ['small', 'medium', 'large', 'xlarge'], recordedTiers: ['small', 'medium'], missingTiers: ['large', 'xlarge'], completenessPercentage: 50 });
    expect(tiers.tierPerformanceAnalysis.byTier['small']).toMatchObject({ hitRate: 1, sampleCount: 3 });
    const ops = cache.getOperationPerformance();
    expect(ops.operations['qa']).toMatchObject({ sampleCount: 3, totalOperations: 3, configuredTtl: 300 });
    expect(ops.operations['summarize']).toMatchObject({ sampleCount: 2, configuredTtl: 3600 });
    expect(ops.summary).toMatchObject({ totalOperationsMeasured: 5, totalOperationTypes: 2 });
    const records = cache.getAiMetrics().operationPerformance;
    expect(records.map((r) => [r.operation, r.cacheOperation, r.textTier, r.success])).toEqual([
      ['qa', 'set', 'small', true], ['summarize', 'set', 'medium', true], ['qa', 'get', 'small', true], ['qa', 'get', 'small', true], ['summarize', 'get', 'medium', true],
    ]);
    expect(records[0]).toMatchObject({ ttl: 300 });
  });

  it('getHitRate is 0 on a fresh cache and hits / gets afterwards', async () => {
    const cache = fx.ai(server);
    expect(cache.getHitRate()).toBe(0);
    await cache.set('k', 1);
    await cache.get('k');
    await cache.get('missing');
    await cache.get('missing-2');
    expect(cache.getHitRate()).toBe(1 / 3);
  });

  it("the name option names the cache in its report (default 'ai-response'); an empty name is a ConfigurationError", async () => {
    const unnamed = fx.ai(server);
    const named = fx.ai(server, { name: 'chat-answers' });
    expect([unnamed.name, named.name]).toEqual(['ai-response', 'chat-answers']);
    expect((await unnamed.getCacheStats()).cache).toEqual({ name: 'ai-response', kind: 'redis' });
    await named.connect();
    expect((await named.getCacheStats()).cache).toEqual({ name: 'chat-answers', kind: 'redis' });
    expect(() => fx.ai(server, { name: '' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION', message: expect.stringMatching(/name/) }));
  });

  it('getAiMetrics is a deep copy and counts only AI keys; operation names like __proto__ are plain keys', async () => {
    const cache = fx.ai(server);
    await cache.get('plain');
    await cache.get(cache.buildKey('x', '__proto__'));
    const snapshot = cache.getAiMetrics();
    expect(snapshot.cacheMissesByOperation).toEqual({ ['__proto__']: 1 });
    snapshot.cacheMissesByOperation['__proto__'] = 99;
    expect(cache.getAiMetrics().cacheMissesByOperation['__proto__']).toBe(1);
  });
});

describe('smart promotion (checklist 19)', () => {
  it('on: an xlarge text stays in Redis, a small one is promoted to L1', async () => {
    const encryption = newEncryption();
    const writer = fx.ai(server, { enableL1Cache: false, encryption });
    const reader = fx.ai(server, { enableSmartPromotion: true, encryption });
    const big = reader.buildKey('x'.repeat(60_000), 'qa');
    const small = reader.buildKey('hi', 'qa');
    await writer.set(big, 'big');
    await writer.set(small, 'small');
    const tiers = tiersOfGets(reader);
    for (let i = 0; i < 2; i++) {
      await reader.get(big);
      await reader.get(small);
    }
    expect(tiers).toEqual(['redis', 'redis', 'redis', 'l1']);
  });

  it('off: both are promoted', async () => {
    const encryption = newEncryption();
    const writer = fx.ai(server, { enableL1Cache: false, encryption });
    const reader = fx.ai(server, { encryption });
    const big = reader.buildKey('x'.repeat(60_000), 'qa');
    const small = reader.buildKey('hi', 'qa');
    await writer.set(big, 'big');
    await writer.set(small, 'small');
    const tiers = tiersOfGets(reader);
    for (let i = 0; i < 2; i++) {
      await reader.get(big);
      await reader.get(small);
    }
    expect(tiers).toEqual(['redis', 'redis', 'l1', 'l1']);
  });
});

describe('construction (checklist 21)', () => {
  it('several invalid options, an unknown name among them, give one error listing all', () => {
    let error: unknown;
    try {
      fx.ai(server, { defaultTtl: 0, textHashThreshold: -5, bogusOption: true } as never);
    } catch (e) {
      error = e;
    }
    expect(isConfigurationError(error)).toBe(true);
    const e = error as Error & { code: string; context: { validationErrors: string[]; params: string[] } };
    expect(e.code).toBe('INVALID_CONFIGURATION');
    expect(e.message).toBe(
      "AIResponseCache parameter validation failed: Parameter 'defaultTtl' must be >= 1, got 0; Parameter 'textHashThreshold' must be >= 1, got -5; Parameter 'bogusOption' is not a known AIResponseCache option",
    );
    expect(e.context.validationErrors).toHaveLength(3);
    expect(e.context.params).toContain('bogusOption');
  });

  it('memoryCacheSize alone sizes L1 (with one deprecation warning); both and different is a conflict', () => {
    const logger = recordingLogger();
    const cache = fx.ai(server, { memoryCacheSize: 7, logger });
    expect(cache.getStats().l1.maxSize).toBe(7);
    expect(logger.warnings).toEqual(['AIResponseCache option memoryCacheSize is deprecated: use l1CacheSize']);
    expect(() => fx.ai(server, { memoryCacheSize: 7, l1CacheSize: 8 })).toThrow(/Parameter conflict for 'memoryCacheSize'/);
  });

  it("the base cache's own ConfigurationErrors propagate unchanged", () => {
    expect(() => fx.ai(server, { l1MaxTtl: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION', message: expect.stringContaining('l1MaxTtl') }));
  });

  it('mapper warnings are logged with the AIResponseCache prefix', () => {
    const logger = recordingLogger();
    fx.ai(server, { operationTtls: { translate: 60 }, logger });
    expect(logger.warnings[0]).toMatch(/^AIResponseCache parameter warning: Parameter 'operationTtls' has unknown operation\(s\) translate/);
  });
});
