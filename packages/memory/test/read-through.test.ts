import { jsonCodec } from '@cache/core';
import { describe, expect, it } from 'vitest';
import { manualCache } from './helpers.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('getOrSet statistics (getStats().readThrough and hit/miss counters)', () => {
  it('counts factory calls, local coalescing, errors and grace hits; lease counters stay 0; clear() resets them', async () => {
    const { cache, clock } = manualCache();
    const gate = deferred<void>();
    const waiters = Array.from({ length: 5 }, () => cache.getOrSet('k', async () => (await gate.promise, 'v'), { ttl: 10, grace: 60 }));
    gate.resolve();
    await Promise.all(waiters);
    await cache.getOrSet('k', () => 'unused');
    clock.advance(10_001);
    await expect(cache.getOrSet('k', () => Promise.reject(new Error('down')))).resolves.toBe('v');
    expect(cache.getStats().readThrough).toEqual({
      factoryCalls: 2,
      factoryErrors: 1,
      coalescedLocal: 4,
      coalescedRemote: 0,
      graceHits: 1,
      softTimeouts: 0,
      hardTimeouts: 0,
      leaseWaits: 0,
      leaseTimeouts: 0,
      leaseUnavailable: 0,
    });
    cache.clear();
    expect(Object.values(cache.getStats().readThrough).every((n) => n === 0)).toBe(true);
  });

  it('a getOrSet lookup counts like get: a hit is a hit, a miss or a stale value is a miss', async () => {
    const { cache, clock } = manualCache();
    await cache.getOrSet('k', () => 1, { ttl: 10, grace: 60 });
    await cache.getOrSet('k', () => 2);
    expect(cache.getStats()).toMatchObject({ hits: 1, misses: 1 });
    clock.advance(10_001);
    await cache.getOrSet('k', () => 3);
    expect(cache.getStats()).toMatchObject({ hits: 1, misses: 2 });
  });
});

describe('grace: the entry is kept past its TTL for the stale path only', () => {
  it('get, exists, getTtl, delete and the live-key views treat it as expired; size() and the stats count it as held', async () => {
    const { cache, clock } = manualCache();
    await cache.getOrSet('g', () => 'v', { ttl: 10, grace: 60 });
    await cache.set('plain', 'p', 100);
    clock.advance(10_001);
    expect(cache.getSync('g')).toBe(null);
    expect(cache.hasSync('g')).toBe(false);
    expect(await cache.getTtl('g')).toBe(null);
    expect(cache.getActiveKeys()).toEqual(['plain']);
    expect(cache.size()).toBe(2);
    expect(cache.getStats()).toMatchObject({ totalEntries: 2, expiredEntries: 1, activeEntries: 1 });
    await expect(cache.getOrSet('g', () => Promise.reject(new Error('down')), { grace: 60 })).resolves.toBe('v');
    expect(cache.deleteSync('g')).toBe(false);
    await expect(cache.getOrSet('g', () => Promise.reject(new Error('down')))).rejects.toMatchObject({ code: 'FACTORY_ERROR' });
  });

  it('past TTL + grace the entry is purged like any expired entry', async () => {
    const { cache, clock } = manualCache();
    await cache.getOrSet('g', () => 'v', { ttl: 10, grace: 5 });
    clock.advance(15_000);
    expect(cache.size()).toBe(1);
    clock.advance(1);
    cache.getSync('other');
    expect(cache.size()).toBe(0);
    expect(cache.getStats()).toMatchObject({ totalEntries: 0, expiredEntries: 0 });
  });

  it('an entry past TTL + grace that the getOrSet call itself purges is a miss: the factory runs', async () => {
    const { cache, clock } = manualCache();
    await cache.getOrSet('g', () => 'old', { ttl: 10, grace: 5 });
    clock.advance(15_001);
    await expect(cache.getOrSet('g', () => 'new')).resolves.toBe('new');
    expect(cache.getStats()).toMatchObject({ misses: 2, hits: 0, readThrough: expect.objectContaining({ factoryCalls: 2 }) });
  });

  it('a getOrSet with an invalid key (ill-formed, object, number, empty) purges, counts, reads and computes nothing, whatever its options', async () => {
    const { cache, clock } = manualCache();
    await cache.set('old', 1, 1);
    await cache.set('live', 1, 100);
    clock.advance(2000);
    let calls = 0;
    const factory = (): number => ++calls;
    for (const key of ['a\uD800b', { toString: () => 'live' }, 7, ''] as unknown as string[]) {
      for (const options of [undefined, { ttl: 60 }, { ttl: 0 }, { forceRefresh: true }]) {
        await expect(cache.getOrSet(key, factory, options)).rejects.toMatchObject({ code: 'INVALID_KEY' });
      }
    }
    expect(calls).toBe(0);
    expect(cache.getStats()).toMatchObject({ hits: 0, misses: 0, totalEntries: 2, readThrough: expect.objectContaining({ factoryCalls: 0 }) });
  });

  it('a plain set over an entry in grace makes it fresh with no grace', async () => {
    const { cache, clock } = manualCache();
    await cache.getOrSet('g', () => 'old', { ttl: 10, grace: 60 });
    clock.advance(10_001);
    await cache.set('g', 'new', 5);
    expect(cache.getSync('g')).toBe('new');
    clock.advance(5_001);
    expect(cache.getStats()).toMatchObject({ expiredEntries: 1 });
    await expect(cache.getOrSet('g', () => Promise.reject(new Error('down')))).rejects.toMatchObject({ code: 'FACTORY_ERROR' });
  });
});

describe('getOrSet with a codec', () => {
  it('encodes the factory value once (getters read once) and decodes a fresh copy for each caller', async () => {
    const { cache } = manualCache({ codec: jsonCodec });
    let reads = 0;
    const value = {
      get answer(): number {
        reads++;
        return 42;
      },
    };
    const gate = deferred<void>();
    const pending = [1, 2, 3].map(() => cache.getOrSet('k', async () => (await gate.promise, value)));
    gate.resolve();
    const results = await Promise.all(pending);
    expect(reads).toBe(1);
    expect(results).toEqual([{ answer: 42 }, { answer: 42 }, { answer: 42 }]);
    expect(new Set(results).size).toBe(3);
    expect(cache.getSync('k')).toEqual({ answer: 42 });
  });

  it('a value the codec refuses rejects every waiter with SERIALIZATION_ERROR and stores nothing', async () => {
    const { cache } = manualCache({ codec: jsonCodec });
    const outcomes = await Promise.allSettled([1, 2].map(() => cache.getOrSet('k', () => ({ n: -0 }))));
    expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as { code?: string }).code : 'resolved'))).toEqual(['SERIALIZATION_ERROR', 'SERIALIZATION_ERROR']);
    expect(cache.size()).toBe(0);
  });
});
