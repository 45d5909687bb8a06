import { tracingChannel } from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { CacheInterface, CACHE_TRACING_CHANNELS, keyFingerprint, traceCacheOperation, type CacheTraceContext } from '../src/index.js';

/** A minimal cache relying on CacheInterface's default getMany/setMany. */
class MapCache extends CacheInterface {
  readonly map = new Map<string, unknown>();
  readonly calls: string[] = [];
  async get<T>(key: string): Promise<T | null> {
    this.calls.push(`get ${key}`);
    return (this.map.get(key) as T | undefined) ?? null;
  }
  async set(key: string, value: unknown): Promise<void> {
    this.calls.push(`set ${key}`);
    this.map.set(key, value);
  }
  async delete(key: string): Promise<boolean> {
    return this.map.delete(key);
  }
  async exists(key: string): Promise<boolean> {
    return this.map.has(key);
  }
  async getOrSet<T>(): Promise<T> {
    throw new Error('unused');
  }
}

describe('CacheInterface default getMany / setMany', () => {
  it('run get / set per key, in order, after validating every key, value and TTL', async () => {
    const cache = new MapCache();
    await cache.setMany([{ key: 'a', value: 1 }, { key: 'b', value: 'x', ttl: '1m' }]);
    expect(await cache.getMany(['b', 'zz', 'a'])).toEqual(['x', null, 1]);
    expect(cache.calls).toEqual(['set a', 'set b', 'get b', 'get zz', 'get a']);
    await expect(cache.getMany(['ok', ''])).rejects.toMatchObject({ code: 'INVALID_KEY' });
    await expect(cache.setMany([{ key: 'c', value: 1 }, { key: 'd', value: null }])).rejects.toMatchObject({ code: 'INVALID_VALUE' });
    await expect(cache.setMany([{ key: 'c', value: 1 }, { key: 'd', value: 1, ttl: '5 parsecs' }])).rejects.toMatchObject({ code: 'INVALID_TTL' });
    expect(cache.calls).toHaveLength(5);
  });
});

describe('traceCacheOperation', () => {
  it('runs the operation untraced while nobody subscribes', async () => {
    await expect(traceCacheOperation('get', { name: 'n', kind: 'k' }, 'key', async () => 42)).resolves.toBe(42);
  });

  it('publishes start/asyncEnd with a key fingerprint and the outcome, and error with the rejection; never the result', async () => {
    const seen: Array<[string, CacheTraceContext & { result?: unknown }]> = [];
    const channel = tracingChannel<unknown, CacheTraceContext>(CACHE_TRACING_CHANNELS.getMany);
    const handlers = {
      start: (c: CacheTraceContext) => void seen.push(['start', { ...c }]),
      end: () => undefined,
      asyncStart: () => undefined,
      asyncEnd: (c: CacheTraceContext) => void seen.push(['asyncEnd', { ...c }]),
      error: (c: CacheTraceContext) => void seen.push(['error', { ...c }]),
    };
    channel.subscribe(handlers);
    try {
      const cache = { name: 'n', kind: 'k' };
      const values = await traceCacheOperation('getMany', cache, ['a', 'b'], async () => ['secret', null], (r, c) => {
        c.hits = r.filter((v) => v !== null).length;
      });
      expect(values).toEqual(['secret', null]);
      await expect(traceCacheOperation('getMany', cache, 'single', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    } finally {
      channel.unsubscribe(handlers);
    }
    expect(seen.map(([event, c]) => [event, c.keyCount, c.keyFingerprint, c.hits])).toEqual([
      ['start', 2, undefined, undefined],
      ['asyncEnd', 2, undefined, 1],
      ['start', undefined, keyFingerprint('single'), undefined],
      ['error', undefined, keyFingerprint('single'), undefined],
      ['asyncEnd', undefined, keyFingerprint('single'), undefined],
    ]);
    expect(JSON.stringify(seen)).not.toContain('secret');
  });
});
