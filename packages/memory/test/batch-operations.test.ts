import { describe, expect, it } from 'vitest';
import { InMemoryCache } from '../src/index.js';

describe('getMany / setMany', () => {
  it('behave per key exactly as get and set: order, misses, counters, TTLs, later entry wins', async () => {
    const cache = new InMemoryCache({ maxSize: 10 });
    await expect(cache.setMany([{ key: 'a', value: { z: 1, a: 2 } }, { key: 'b', value: 'x', ttl: '1m' }, { key: 'a', value: { z: 3 } }])).resolves.toHaveLength(3);
    expect(await cache.getMany(['b', 'nope', 'a'])).toEqual(['x', null, { z: 3 }]);
    expect(cache.getStats()).toMatchObject({ hits: 2, misses: 1, totalEntries: 2 });
    expect(await cache.getTtl('b')).toBeLessThanOrEqual(60);
    expect(cache.getManySync(['a'])).toEqual([{ z: 3 }]);
  });

  it('an invalid key, value or TTL anywhere rejects with ValidationError before anything is read or stored', async () => {
    const cache = new InMemoryCache();
    await expect(cache.getMany(['a', ''])).rejects.toMatchObject({ code: 'INVALID_KEY' });
    expect(cache.getStats()).toMatchObject({ hits: 0, misses: 0 });
    await expect(cache.setMany([{ key: 'a', value: 1 }, { key: 'b', value: undefined }])).rejects.toMatchObject({ code: 'INVALID_VALUE' });
    await expect(cache.setMany([{ key: 'a', value: 1 }, { key: 'b', value: 1, ttl: -5 }])).rejects.toMatchObject({ code: 'INVALID_TTL' });
    await expect(cache.setMany({} as never)).rejects.toMatchObject({ code: 'INVALID_VALUE' });
    expect(cache.size()).toBe(0);
  });
});
