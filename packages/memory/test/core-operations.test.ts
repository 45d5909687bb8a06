import { CacheError, ValidationError, jsonCodec } from '@cache/core';
import type { Codec } from '@cache/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { InMemoryCache } from '../src/index.js';
import { manualCache, recordingLogger, rejectionOf } from './helpers.js';

describe('get/set round-trip', () => {
  it.each([
    ['nested object with nulls', { user: { id: 1, tags: ['a', null], address: null } }],
    ['string', 'hello'],
    ['number', 42.5],
    ['boolean', false],
    ['array', [1, 'two', { three: 3 }]],
  ])('returns a %s unchanged', async (_, value) => {
    const { cache } = manualCache();
    await cache.set('k', value);
    expect(await cache.get('k')).toEqual(value);
  });

  it('returns the same reference without a codec (no copy)', async () => {
    const { cache } = manualCache();
    const value = { a: [1] };
    await cache.set('k', value);
    expect(await cache.get('k')).toBe(value);
  });

  it('accepts values JSON cannot represent when no codec is set', async () => {
    const { cache } = manualCache();
    const fn = () => 1;
    const map = new Map([[1, 2]]);
    await cache.set('fn', fn);
    await cache.set('map', map);
    await cache.set('big', 10n);
    expect([await cache.get('fn'), await cache.get('map'), await cache.get('big')]).toEqual([fn, map, 10n]);
  });

  it('set overwrites value and TTL', async () => {
    const { cache, clock } = manualCache();
    await cache.set('k', 'first', 10);
    await cache.set('k', 'second', 100);
    clock.advance(50_000);
    expect(await cache.get('k')).toBe('second');
    expect(cache.size()).toBe(1);
  });

  it('get is typed by its type parameter', async () => {
    const { cache } = manualCache();
    expectTypeOf(cache.get<{ n: number }>('k')).toEqualTypeOf<Promise<{ n: number } | null>>();
    expectTypeOf(cache.getSync<string>('k')).toEqualTypeOf<string | null>();
  });
});

describe('missing keys', () => {
  it('get → null and misses +1, exists → false, delete → false', async () => {
    const { cache } = manualCache();
    expect(await cache.get('nope')).toBe(null);
    expect(cache.getStats().misses).toBe(1);
    expect(await cache.exists('nope')).toBe(false);
    expect(await cache.delete('nope')).toBe(false);
    expect(cache.getStats()).toMatchObject({ hits: 0, misses: 1 });
  });

  it('delete of a live key resolves true and removes it', async () => {
    const { cache } = manualCache();
    await cache.set('k', 1);
    expect(await cache.delete('k')).toBe(true);
    expect(await cache.exists('k')).toBe(false);
    expect(cache.size()).toBe(0);
  });

  it('stores under "__proto__" and "constructor" like any other key', async () => {
    const { cache } = manualCache();
    await cache.set('__proto__', 'p');
    await cache.set('constructor', 'c');
    expect([await cache.get('__proto__'), await cache.get('constructor'), cache.size()]).toEqual(['p', 'c', 2]);
  });
});

describe('bad input is rejected with typed errors and changes nothing', () => {
  const codeOf = (e: unknown) => (CacheError.isCacheError(e) ? e.code : String(e));

  it.each([0, -1, 1.5, Number.NaN, '60x', '500ms', 31_536_001])('ttl %s → INVALID_TTL', async (ttl) => {
    const { cache } = manualCache();
    await cache.set('k', 'old');
    const before = cache.getStats();
    const error = await rejectionOf(cache.set('k', 'new', ttl as number));
    expect(error).toBeInstanceOf(ValidationError);
    expect(codeOf(error)).toBe('INVALID_TTL');
    expect(cache.getStats()).toEqual(before);
    expect(await cache.get('k')).toBe('old');
  });

  it.each([null, undefined])('value %s → INVALID_VALUE', async (value) => {
    const { cache } = manualCache();
    const error = await rejectionOf(cache.set('k', value));
    expect(codeOf(error)).toBe('INVALID_VALUE');
    expect(cache.size()).toBe(0);
    expect(cache.getStats().memoryUsageBytes).toBe(0);
  });

  it.each([['empty', ''], ['number', 1], ['null', null], ['undefined', undefined]])('key %s → INVALID_KEY on every method', async (_, key) => {
    const { cache } = manualCache();
    const k = key as string;
    for (const p of [cache.get(k), cache.set(k, 1), cache.delete(k), cache.exists(k), cache.getTtl(k)]) {
      expect(codeOf(await rejectionOf(p))).toBe('INVALID_KEY');
    }
    expect(cache.getStats()).toMatchObject({ hits: 0, misses: 0, totalEntries: 0 });
  });

  it.each([
    ['ttl 0', (c: InMemoryCache) => c.set('a', 'new', 0)],
    ['a null value', (c: InMemoryCache) => c.set('a', null)],
  ])('a rejected set (%s) on an existing key keeps its TTL, memory accounting and recency', async (_, badSet) => {
    const { cache } = manualCache({ maxSize: 2 });
    await cache.set('a', 'old', 10);
    await cache.set('b', 'b', 10);
    const before = cache.getStats();
    await rejectionOf(badSet(cache));
    expect(cache.getStats()).toEqual(before);
    expect(await cache.getTtl('a')).toBe(10);
    await cache.set('c', 'c');
    expect(cache.getKeys().sort()).toEqual(['b', 'c']);
  });

  it('an invalid set does not purge expired entries', async () => {
    const { cache, clock } = manualCache();
    await cache.set('old', 1, 1);
    clock.advance(2000);
    await rejectionOf(cache.set('k', 1, 0));
    expect(cache.size()).toBe(1);
  });

  it('a get or getMany with an invalid key (ill-formed, object, number) purges, counts and reads nothing', async () => {
    const { cache, clock } = manualCache();
    await cache.set('old', 1, 1);
    await cache.set('live', 1, 100);
    clock.advance(2000);
    for (const key of ['a\uD800b', { toString: () => 'live' }, 7] as unknown as string[]) {
      expect(codeOf(await rejectionOf(cache.get(key)))).toBe('INVALID_KEY');
      expect(() => cache.getSync(key)).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
      expect(codeOf(await rejectionOf(cache.getMany(['live', key])))).toBe('INVALID_KEY');
    }
    expect(cache.getStats()).toMatchObject({ hits: 0, misses: 0, totalEntries: 2 });
  });

  it('a get of a key whose entry the same call purges is a miss; getMany of expired and live keys answers each right', async () => {
    const { cache, clock } = manualCache();
    await cache.set('short', 'gone', 1);
    await cache.set('long', 'kept', 100);
    clock.advance(1001);
    expect(cache.getManySync(['short', 'long', 'short'])).toEqual([null, 'kept', null]);
    await cache.set('short', 'again', 1);
    clock.advance(1001);
    expect(cache.getSync('short')).toBeNull();
    expect(cache.getStats()).toMatchObject({ hits: 1, misses: 3, totalEntries: 1 });
    await cache.set('new', 'n');
    expect(cache.getSync('new')).toBe('n');
  });
});

describe('state changes are synchronous inside each call', () => {
  it('Promise.all of 10 sets and 10 missing gets → active 10, misses 10, hits 0', async () => {
    const { cache } = manualCache();
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => cache.set(`new:${i}`, i)),
      ...Array.from({ length: 10 }, (_, i) => cache.get(`missing:${i}`)),
    ]);
    expect(cache.getStats()).toMatchObject({ activeEntries: 10, misses: 10, hits: 0 });
  });
});

describe('codec option (copy-on-read)', () => {
  it('with jsonCodec, get returns an equal copy, never the stored reference', async () => {
    const { cache } = manualCache({ codec: jsonCodec });
    const value = { a: { b: [1, null] } };
    await cache.set('k', value);
    const first = await cache.get<typeof value>('k');
    expect(first).toEqual(value);
    expect(first).not.toBe(value);
    (first as typeof value).a.b.push(2);
    expect(await cache.get('k')).toEqual({ a: { b: [1, null] } });
  });

  it('with jsonCodec, a function value rejects with SERIALIZATION_ERROR and nothing is stored', async () => {
    const { cache } = manualCache({ codec: jsonCodec });
    const error = await rejectionOf(cache.set('k', { f: () => 1 }));
    expect(CacheError.isCacheError(error) && error.code).toBe('SERIALIZATION_ERROR');
    expect(cache.size()).toBe(0);
  });

  it('with jsonCodec, an unserializable overwrite rejects and leaves the old entry, size and recency intact', async () => {
    const { cache } = manualCache({ codec: jsonCodec, maxSize: 2 });
    await cache.set('a', { v: 1 });
    await cache.set('b', { v: 2 });
    const before = cache.getStats();
    const error = await rejectionOf(cache.set('a', { f: () => 1 }));
    expect(CacheError.isCacheError(error) && error.code).toBe('SERIALIZATION_ERROR');
    expect(cache.getStats()).toEqual(before);
    await cache.set('c', { v: 3 });
    expect(cache.getKeys().sort()).toEqual(['b', 'c']);
    expect(await cache.get('b')).toEqual({ v: 2 });
  });

  it('memory accounting uses the encoded length', async () => {
    const { cache } = manualCache({ codec: jsonCodec });
    await cache.set('k', { a: 'xyz' });
    expect(cache.getStats().memoryUsageBytes).toBe(jsonCodec.encode({ a: 'xyz' }).byteLength);
  });
});

describe('internal failures are logged at warn and give miss-shaped results (fault injected)', () => {
  it('a value whose getter throws is stored by reference (set never walks it); sizing it for statistics charges a flat rate, never throws or logs', async () => {
    const { logger, lines } = recordingLogger();
    const cache = new InMemoryCache({ logger });
    const hostile = {
      get boom(): never {
        throw new Error('secret-value-text');
      },
    };
    await expect(cache.set('user:1', hostile)).resolves.toBeUndefined();
    expect(await cache.get('user:1')).toBe(hostile);
    expect(cache.getStats().memoryUsageBytes).toBe(64);
    expect(lines.filter((l) => l.level !== 'info')).toEqual([]);
  });

  it('memory accounting follows overwrites, deletes and evictions of values sized lazily', async () => {
    const { cache } = manualCache({ maxSize: 2 });
    await cache.set('a', 'x');
    await cache.set('b', 'yy');
    expect(cache.getStats().memoryUsageBytes).toBe(3);
    await cache.set('a', 'xxxx');
    await cache.set('c', 'zzz'); // evicts b
    expect(cache.getStats().memoryUsageBytes).toBe(7);
    await cache.delete('a');
    await cache.set('d', 'w'); // reuses a freed slot
    expect(cache.getStats().memoryUsageBytes).toBe(4);
  });

  it('a codec whose encode fails with a non-validation error (injected fault) → set resolves, nothing stored', async () => {
    const { logger, lines } = recordingLogger();
    const failingEncode: Codec = { id: 9, name: 'fault', encode: () => { throw new RangeError('disk full'); }, decode: () => null };
    const cache = new InMemoryCache({ logger, codec: failingEncode });
    await cache.set('k', 1);
    expect(cache.size()).toBe(0);
    expect(lines.some((l) => l.level === 'warn')).toBe(true);
  });

  it('a codec whose decode throws (injected fault) → get resolves null, counts a miss, drops the entry, warns', async () => {
    const { logger, lines } = recordingLogger();
    const failingDecode: Codec = { id: 9, name: 'fault', encode: (v) => jsonCodec.encode(v), decode: () => { throw new Error('corrupt'); } };
    const cache = new InMemoryCache({ logger, codec: failingDecode });
    await cache.set('k', { a: 1 });
    expect(await cache.get('k')).toBe(null);
    expect(cache.getStats()).toMatchObject({ hits: 0, misses: 1, totalEntries: 0, memoryUsageBytes: 0 });
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(1);
  });
});
