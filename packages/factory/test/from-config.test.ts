import { ValidationError, silentLogger } from '@cache/core';
import { InMemoryCache } from '@cache/memory';
import { CACHE_PRESETS, presetToCacheConfig } from '@cache/presets';
import { GenericRedisCache } from '@cache/redis';
import { AIResponseCache } from '@cache/redis-ai';
import type { RedisTestServer } from '@cache-tooling/test-redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CacheFactory } from '../src/index.js';
import { recordingLogger, secureOptions, startSecureRedis } from './helpers.js';

let server: RedisTestServer;
const opened: Array<{ disconnect?: () => Promise<void> }> = [];
const track = <T>(cache: T): T => {
  opened.push(cache as { disconnect?: () => Promise<void> });
  return cache;
};
beforeAll(async () => {
  server = await startSecureRedis();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.disconnect?.()));
});
afterAll(async () => {
  await server.stop();
});

const factory = new CacheFactory({ logger: silentLogger });

describe('createCacheFromConfig: input checks', () => {
  it.each([
    [null, 'config must be a plain object'],
    [[], 'config must be a plain object'],
    ['redis://x', 'config must be a plain object'],
    [{}, 'config cannot be empty'],
    [{ defaultTtl: 60 }, 'redisUrl is required in config'],
  ])('%j is refused: %s', async (config, message) => {
    await expect(factory.createCacheFromConfig(config as never)).rejects.toSatisfy((e: unknown) => e instanceof ValidationError && e.message === message);
  });

  it.each([
    [{ redisUrl: 'redis://h:1', defaultTtl: 'x' }, 'defaultTtl must be an integer'],
    [{ redisUrl: 'redis://h:1', enableL1Cache: 'true' }, 'enableL1Cache must be a boolean'],
    [{ redisUrl: 'redis://h:1', operationTtls: 'x' }, 'operationTtls must be a plain object'],
  ])('type errors surface with the factory messages: %j', async (config, message) => {
    await expect(factory.createCacheFromConfig(config as never)).rejects.toThrow(message);
  });

  it('unknown keys are warned about once, listed, and ignored', async () => {
    const logger = recordingLogger();
    const cache = await new CacheFactory({ logger }).createCacheFromConfig({ redisUrl: null, colour: 'blue', shape: 1, logLevel: 'INFO' } as never);
    expect(cache).toBeInstanceOf(InMemoryCache);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toContain('colour, shape');
    expect(logger.warnings[0]).not.toContain('logLevel');
  });
});

describe('createCacheFromConfig: memory-only configs', () => {
  it('the disabled preset (any case) and a null or empty URL give an InMemoryCache (300 s / 100 by default), not a fallback', async () => {
    for (const config of [{ presetName: 'DISABLED', redisUrl: 'redis://h:1' }, { redisUrl: null }, { redisUrl: '' }]) {
      const cache = (await factory.createCacheFromConfig(config as never)) as InMemoryCache;
      expect(cache).toBeInstanceOf(InMemoryCache);
      expect([cache.defaultTtl, cache.maxSize]).toEqual([300, 100]);
      expect(factory.isFallback(cache)).toBe(false);
    }
    const sized = (await factory.createCacheFromConfig({ redisUrl: null, defaultTtl: '10m', l1CacheSize: 7 } as never)) as InMemoryCache;
    expect([sized.defaultTtl, sized.maxSize]).toEqual([600, 7]);
  });

  it('a preset without a redisUrl gives the memory cache with the preset TTL and size', async () => {
    const cache = (await factory.createCacheFromConfig(presetToCacheConfig(CACHE_PRESETS.production))) as InMemoryCache;
    expect(cache).toBeInstanceOf(InMemoryCache);
    expect([cache.defaultTtl, cache.maxSize]).toEqual([7200, 500]);
  });
});

describe('createCacheFromConfig against TLS + ACL Redis', () => {
  it('maps every field of the production preset onto the web cache (monitoring on: the factory monitor records)', async () => {
    const f = new CacheFactory({ logger: silentLogger });
    const cache = track((await f.createCacheFromConfig({ ...presetToCacheConfig(CACHE_PRESETS.production), ...secureOptions(server) })) as GenericRedisCache);
    expect(cache).toBeInstanceOf(GenericRedisCache);
    expect(cache).not.toBeInstanceOf(AIResponseCache);
    expect([cache.defaultTtl, cache.enableL1Cache, cache.l1CacheSize, cache.compressionThreshold, cache.compressionLevel]).toEqual([7200, true, 500, 500, 9]);
    await cache.get('nothing');
    expect(f.performanceMonitor!.cacheMisses).toBe(1);
  });

  it('enableMonitoring: false gives a cache that reports to no monitor', async () => {
    const f = new CacheFactory({ logger: silentLogger });
    const cache = track(await f.createCacheFromConfig({ ...secureOptions(server), enableMonitoring: false }));
    await cache.get('nothing');
    expect(f.performanceMonitor!.totalOperations).toBe(0);
  });

  it('AI is detected by the flag and by AI keys; enableAiCache: false wins over AI keys', async () => {
    const byFlag = track(await factory.createCacheFromConfig({ ...secureOptions(server), enableAiCache: true }));
    expect(byFlag).toBeInstanceOf(AIResponseCache);
    expect((byFlag as AIResponseCache).textHashThreshold).toBe(500);
    const byKeys = track(await factory.createCacheFromConfig({ ...secureOptions(server), operationTtls: { qa: 60 } }));
    expect(byKeys).toBeInstanceOf(AIResponseCache);
    expect((byKeys as AIResponseCache).operationTtls).toEqual({ qa: 60 });
    const off = track(await factory.createCacheFromConfig({ ...secureOptions(server), enableAiCache: false, textHashThreshold: 10 }));
    expect(off).toBeInstanceOf(GenericRedisCache);
    expect(off).not.toBeInstanceOf(AIResponseCache);
  });

  it('an AI preset passes its AI fields through', async () => {
    const preset = presetToCacheConfig(CACHE_PRESETS['ai-development']!);
    const cache = track((await factory.createCacheFromConfig({ ...preset, ...secureOptions(server) })) as AIResponseCache);
    expect(cache).toBeInstanceOf(AIResponseCache);
    expect(cache.textHashThreshold).toBe(preset.ai!.textHashThreshold);
    expect(cache.textSizeTiers).toEqual(preset.ai!.textSizeTiers);
    expect(cache.enableSmartPromotion).toBe(preset.ai!.enableSmartPromotion);
    expect(cache.defaultTtl).toBe(preset.defaultTtl);
  });
});
