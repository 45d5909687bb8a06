import { ValidationError, silentLogger } from '@cache/core';
import { InMemoryCache } from '@cache/memory';
import { describe, expect, it } from 'vitest';
import { CacheFactory } from '../src/index.js';

const factory = new CacheFactory({ logger: silentLogger });

async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('factory input validation (before anything is built)', () => {
  it.each([
    [{ redisUrl: 42 }, 'redisUrl must be a string'],
    [{ redisUrl: '   ' }, 'redisUrl cannot be empty'],
    [{ redisUrl: 'invalid-url' }, 'redisUrl must start with redis:// or rediss://'],
    [{ redisUrl: 'redis://' }, 'redisUrl must include host information'],
    [{ redisUrl: 'rediss:///' }, 'redisUrl must include host information'],
    [{ redisUrl: 'redis://host:99999' }, 'redisUrl port must be between 1 and 65535'],
    [{ defaultTtl: 'not_a_number' }, 'defaultTtl must be an integer between 1 and 31536000'],
    [{ defaultTtl: -1 }, 'defaultTtl must be an integer between 1 and 31536000'],
    [{ defaultTtl: 0 }, 'defaultTtl must be an integer between 1 and 31536000'],
    [{ defaultTtl: 31_536_001 }, 'defaultTtl must be an integer between 1 and 31536000'],
    [{ defaultTtl: '1.5h' }, 'defaultTtl must be an integer between 1 and 31536000'],
    [{ failOnConnectionError: 'yes' }, 'failOnConnectionError must be a boolean'],
    [{ enableL1Cache: 'true' }, 'enableL1Cache must be a boolean'],
    [{ l1CacheSize: -1 }, 'l1CacheSize must be a positive integer'],
    [{ l1CacheSize: 10_001 }, 'l1CacheSize must be a positive integer up to 10000'],
    [{ compressionThreshold: -5 }, 'compressionThreshold must be a non-negative integer'],
    [{ compressionLevel: 0 }, 'compressionLevel must be an integer between 1 and 9'],
    [{ compressionLevel: 10 }, 'compressionLevel must be an integer between 1 and 9'],
    [{ connectTimeoutMs: 0 }, 'connectTimeoutMs must be an integer between 1 and 600000 milliseconds'],
    [{ connectTimeoutMs: '1.5s' }, 'connectTimeoutMs must be an integer between 1 and 600000 milliseconds'],
  ])('forWebApp(%j) is refused naming the option', async (options, message) => {
    const error = await rejection(factory.forWebApp(options as never));
    expect(error.code).toBe('INVALID_FACTORY_INPUT');
    expect(error.message).toMatch(/^Factory input validation failed: /);
    expect(error.message).toContain(message);
  });

  it('reports every problem at once, with a redacted URL in the context', async () => {
    const error = await rejection(
      factory.forWebApp({ redisUrl: 'redis://user:s3cret-pw@host:99999', defaultTtl: 0, compressionLevel: 10, l1CacheSize: -1 } as never),
    );
    expect(error.context['validation_errors']).toHaveLength(4);
    expect(error.message.split('; ')).toHaveLength(4);
    expect(error.context['redis_url']).toBe('redis://user:***@host:99999');
    expect(JSON.stringify(error.context) + error.message).not.toContain('s3cret-pw');
    expect(error.context['default_ttl']).toBe(0);
    expect(error.context['additional_params']).toEqual(['compressionLevel', 'l1CacheSize']);
  });

  it('accepts TTLs of 30 and 120 seconds and duration strings (validation passes, the memory path is taken)', async () => {
    for (const defaultTtl of [30, 120, '90s', '1h30m']) {
      const cache = await factory.forTesting({ useMemoryCache: true, defaultTtl });
      expect(cache).toBeInstanceOf(InMemoryCache);
    }
    expect(((await factory.forTesting({ useMemoryCache: true, defaultTtl: '1h30m' })) as InMemoryCache).getStats()).toBeDefined();
  });

  it.each([
    [{ operationTtls: { '': 3600 } }, ['operationTtls keys must be non-empty strings']],
    [{ operationTtls: 'invalid' }, ['operationTtls must be a plain object']],
    [{ operationTtls: [] }, ['operationTtls must be a plain object']],
    [{ operationTtls: { summarize: -1, sentiment: 0 } }, ["operationTtls['summarize'] must be", "operationTtls['sentiment'] must be"]],
    [{ operationTtls: { summarize: 31_536_001 } }, ["operationTtls['summarize'] must be an integer between 1 and 31536000"]],
    [{ textHashThreshold: 0 }, ['textHashThreshold must be an integer between 1 and 100000']],
    [{ memoryCacheSize: 10_001 }, ['memoryCacheSize must be an integer between 1 and 10000']],
  ])('forAiApp(%j) is refused with the AI message', async (options, messages) => {
    const error = await rejection(factory.forAiApp(options as never));
    expect(error.message).toMatch(/^AI application cache validation failed: /);
    for (const message of messages) expect(error.message).toContain(message);
  });

  it('an AI problem and a common problem are reported together', async () => {
    const error = await rejection(factory.forAiApp({ defaultTtl: -1, operationTtls: { qa: 0 } } as never));
    expect(error.context['validation_errors']).toEqual([
      expect.stringContaining('defaultTtl'),
      expect.stringContaining("operationTtls['qa']"),
    ]);
  });

  it('forTesting checks useMemoryCache', async () => {
    const error = await rejection(factory.forTesting({ useMemoryCache: 'yes' } as never));
    expect(error.message).toContain('useMemoryCache must be a boolean');
  });
});

describe('forTesting({ useMemoryCache: true })', () => {
  it('returns new, isolated InMemoryCache instances with the testing defaults, never a "fallback"', async () => {
    const a = (await factory.forTesting({ useMemoryCache: true })) as InMemoryCache;
    const b = (await factory.forTesting({ useMemoryCache: true })) as InMemoryCache;
    expect(a).toBeInstanceOf(InMemoryCache);
    expect(a).not.toBe(b);
    await a.set('k', 'v');
    expect(await b.get('k')).toBeNull();
    expect(await a.getTtl('k')).toBeLessThanOrEqual(60);
    expect(a.getStats().maxSize).toBe(50);
    expect(factory.isFallback(a)).toBe(false);
  });
});
