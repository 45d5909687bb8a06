import { ConfigurationError, jsonCodec } from '@cache/core';
import type { KeyGenerator } from '@cache/core';
import { runCacheInterfaceContract } from '@cache/core/testing';
import { describe, expect, it } from 'vitest';
import { InMemoryCache } from '../src/index.js';
import { recordingLogger, thrownBy } from './helpers.js';

runCacheInterfaceContract(() => new InMemoryCache({ logger: recordingLogger().logger }), {
  describe,
  it,
  expect,
  name: 'InMemoryCache passes the CacheInterface contract',
  supportsTags: true,
  makeCacheWithClock: (clock) => new InMemoryCache({ logger: recordingLogger().logger, clock }),
});

runCacheInterfaceContract(() => new InMemoryCache({ logger: recordingLogger().logger, codec: jsonCodec }), {
  describe,
  it,
  expect,
  name: 'InMemoryCache with jsonCodec (copies on read) passes the CacheInterface contract',
  supportsTags: true,
  makeCacheWithClock: (clock) => new InMemoryCache({ logger: recordingLogger().logger, codec: jsonCodec, clock }),
});

runCacheInterfaceContract(() => new InMemoryCache({ logger: recordingLogger().logger, codec: undefined, maxSize: 1_000_000 }), {
  describe,
  it,
  expect,
  name: 'InMemoryCache (maxSize 1 000 000) passes the CacheInterface contract',
  supportsTags: true,
});

/** A deterministic generator standing in for CacheKeyGenerator (which lives in @cache/redis-ai). */
const joiningGenerator: KeyGenerator = {
  generateCacheKey: (text, operation, options) => `ai:${operation}:${text.length}:${JSON.stringify(options)}`,
};

describe('buildKey', () => {
  it('returns the injected generator output unchanged and deterministically', () => {
    const cache = new InMemoryCache({ keyGenerator: joiningGenerator, logger: recordingLogger().logger });
    const a = cache.buildKey('hello', 'summarize', { lang: 'en' });
    expect(a).toBe(joiningGenerator.generateCacheKey('hello', 'summarize', { lang: 'en' }));
    expect(cache.buildKey('hello', 'summarize', { lang: 'en' })).toBe(a);
  });

  it('without a generator throws ConfigurationError KEY_GENERATOR_REQUIRED pointing at @cache/redis-ai', () => {
    const cache = new InMemoryCache({ logger: recordingLogger().logger });
    const error = thrownBy(() => cache.buildKey('t', 'op', {})) as ConfigurationError;
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.code).toBe('KEY_GENERATOR_REQUIRED');
    expect(error.message).toMatch(/new CacheKeyGenerator\(\).*@cache\/redis-ai/);
  });
});
