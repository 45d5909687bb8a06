import { ConfigurationError, ManualClock, isConfigurationError, jsonCodec } from '@cache/core';
import { describe, expect, it } from 'vitest';
import { InMemoryCache } from '../src/index.js';
import { recordingLogger, thrownBy } from './helpers.js';

const silent = () => recordingLogger().logger;

describe('construction defaults and overrides', () => {
  it('defaults to defaultTtl 3600 and maxSize 1000', () => {
    const cache = new InMemoryCache({ logger: silent() });
    expect(cache.defaultTtl).toBe(3600);
    expect(cache.maxSize).toBe(1000);
  });

  it('works with no options at all', () => {
    const cache = new InMemoryCache();
    expect([cache.defaultTtl, cache.maxSize, cache.size()]).toEqual([3600, 1000, 0]);
  });

  it('overrides each value independently', () => {
    expect(new InMemoryCache({ defaultTtl: 60, logger: silent() }).maxSize).toBe(1000);
    expect(new InMemoryCache({ defaultTtl: 60, logger: silent() }).defaultTtl).toBe(60);
    expect(new InMemoryCache({ maxSize: 5, logger: silent() }).defaultTtl).toBe(3600);
    expect(new InMemoryCache({ maxSize: 5, logger: silent() }).maxSize).toBe(5);
  });

  it('accepts the boundary values 1/1 and 86400/10000000', () => {
    const low = new InMemoryCache({ defaultTtl: 1, maxSize: 1, logger: silent() });
    const high = new InMemoryCache({ defaultTtl: 86_400, maxSize: 10_000_000, logger: silent() });
    expect([low.defaultTtl, low.maxSize, high.defaultTtl, high.maxSize]).toEqual([1, 1, 86_400, 10_000_000]);
  });

  it('a 10 000 000-entry cache starts small and works', () => {
    const cache = new InMemoryCache({ maxSize: 10_000_000, logger: silent() });
    cache.setSync('k', 'v');
    expect(cache.getSync('k')).toBe('v');
  });

  it('starts empty with zeroed statistics', () => {
    const stats = new InMemoryCache({ logger: silent() }).getStats();
    expect(stats).toMatchObject({ totalEntries: 0, activeEntries: 0, hits: 0, misses: 0, evictions: 0, hitRate: 0, utilizationPercent: 0, memoryUsageBytes: 0 });
  });

  it('logs one info line with the effective defaultTtl and maxSize', () => {
    const { logger, lines } = recordingLogger();
    new InMemoryCache({ defaultTtl: 120, maxSize: 7, logger });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', meta: { name: 'memory', defaultTtl: 120, maxSize: 7 } });
  });

  it('defaultTtl takes the TTL range of set (up to one year) and duration strings', async () => {
    const { logger } = recordingLogger();
    expect(new InMemoryCache({ defaultTtl: 31_536_000, logger }).defaultTtl).toBe(31_536_000);
    expect(new InMemoryCache({ defaultTtl: 86_401, logger }).defaultTtl).toBe(86_401);
    expect(new InMemoryCache({ defaultTtl: '10m', logger }).defaultTtl).toBe(600);
    expect(new InMemoryCache({ defaultTtl: '1h30m', logger }).defaultTtl).toBe(5400);
    const clock = new ManualClock(0);
    const cache = new InMemoryCache({ defaultTtl: '2d', clock, logger });
    await cache.set('k', 1);
    clock.advance(172_800_000);
    expect(await cache.get('k')).toBe(1);
    clock.advance(1);
    expect(await cache.get('k')).toBe(null);
  });

  it.each(['500ms', '1.5m', 'soon', ''])('defaultTtl %j is not whole seconds in range', (value) => {
    const error = thrownBy(() => new InMemoryCache({ defaultTtl: value })) as ConfigurationError;
    expect(error.code).toBe('INVALID_CONFIGURATION');
    expect(error.context).toEqual({ default_ttl: value });
  });

  it('accepts failOnConnectionError without changing behaviour', async () => {
    for (const failOnConnectionError of [true, false]) {
      const cache = new InMemoryCache({ failOnConnectionError, logger: silent() });
      await cache.set('k', 1);
      expect(await cache.get('k')).toBe(1);
      expect(await cache.get('missing')).toBe(null);
    }
  });
});

describe('invalid constructor options throw ConfigurationError naming the parameter', () => {
  const notIntegers: unknown[] = ['invalid', 100.5, Number.NaN, true, null, Number.POSITIVE_INFINITY, {}];

  it.each(notIntegers.map((v) => [String(v), v]))('defaultTtl %s is not an integer', (_, value) => {
    const error = thrownBy(() => new InMemoryCache({ defaultTtl: value as number }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(isConfigurationError(error) && error.code).toBe('INVALID_CONFIGURATION');
    expect((error as ConfigurationError).message).toMatch(/defaultTtl must be an integer/);
    expect((error as ConfigurationError).context).toEqual({ default_ttl: value });
  });

  it.each(notIntegers.map((v) => [String(v), v]))('maxSize %s is not an integer', (_, value) => {
    const error = thrownBy(() => new InMemoryCache({ maxSize: value as number })) as ConfigurationError;
    expect(error.code).toBe('INVALID_CONFIGURATION');
    expect(error.message).toMatch(/maxSize must be an integer/);
    expect(error.context).toEqual({ max_size: value });
  });

  it.each([0, -1, 31_536_001, '0s', '366d'])('defaultTtl %s is out of the 1-31536000 seconds range', (value) => {
    const error = thrownBy(() => new InMemoryCache({ defaultTtl: value })) as ConfigurationError;
    expect(error.code).toBe('INVALID_CONFIGURATION');
    expect(error.message).toMatch(/between 1 and 31536000 seconds/);
    expect(error.context).toEqual({ default_ttl: value });
  });

  it.each([0, -1, 10_000_001])('maxSize %s is out of the 1-10000000 entries range', (value) => {
    const error = thrownBy(() => new InMemoryCache({ maxSize: value })) as ConfigurationError;
    expect(error.code).toBe('INVALID_CONFIGURATION');
    expect(error.message).toMatch(/between 1 and 10000000 entries/);
    expect(error.context).toEqual({ max_size: value });
  });

  it('checks defaultTtl before maxSize, and type before range', () => {
    const both = thrownBy(() => new InMemoryCache({ defaultTtl: 0, maxSize: 'x' as unknown as number })) as ConfigurationError;
    expect(both.context).toEqual({ default_ttl: 0 });
    const typeFirst = thrownBy(() => new InMemoryCache({ defaultTtl: 1.5, maxSize: 0 })) as ConfigurationError;
    expect(typeFirst.message).toMatch(/integer/);
  });

  it.each([
    ['options not an object', 42, /options must be an object/],
    ['failOnConnectionError not a boolean', { failOnConnectionError: 'yes' }, /failOnConnectionError must be a boolean/],
    ['clock without now()', { clock: {} }, /clock must be an object with now\(\)/],
    ['logger missing a level', { logger: { debug() {}, info() {}, warn() {} } }, /logger must be an object/],
    ['keyGenerator without generateCacheKey()', { keyGenerator: { generate() {} } }, /keyGenerator must be an object/],
    ['codec without decode()', { codec: { encode() {} } }, /codec must be an object/],
  ])('%s', (_, options, message) => {
    const error = thrownBy(() => new InMemoryCache(options as never)) as ConfigurationError;
    expect(isConfigurationError(error)).toBe(true);
    expect(error.code).toBe('INVALID_CONFIGURATION');
    expect(error.message).toMatch(message);
  });

  it('accepts well-formed collaborators', () => {
    const cache = new InMemoryCache({ clock: new ManualClock(), codec: jsonCodec, keyGenerator: { generateCacheKey: () => 'k' }, logger: silent() });
    expect(cache.size()).toBe(0);
  });
});
