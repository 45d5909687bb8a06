import { CacheError } from '@cache/core';
import { describe, expect, it } from 'vitest';
import { InMemoryCache } from '../src/index.js';
import { manualCache, rejectionOf } from './helpers.js';

async function withKeys(keys: string[]) {
  const made = manualCache();
  for (const k of keys) await made.cache.set(k, k);
  return made;
}

describe('invalidatePattern (Redis MATCH dialect)', () => {
  it('user:* on {user:123, user:456, session:abc} → 2', async () => {
    const { cache } = await withKeys(['user:123', 'user:456', 'session:abc']);
    expect(await cache.invalidatePattern('user:*')).toBe(2);
    expect(cache.getKeys()).toEqual(['session:abc']);
  });

  it("'' matches every key", async () => {
    const { cache } = await withKeys(['a', 'b:c', 'd']);
    expect(await cache.invalidatePattern('')).toBe(3);
    expect(cache.size()).toBe(0);
  });

  it.each([
    ['a?c', ['abc', 'axc'], ['ac', 'abbc']],
    ['[a-c]x', ['ax', 'cx'], ['dx', 'Ax']],
    ['[^a]x', ['bx', 'zx'], ['ax']],
    ['a\\*b', ['a*b'], ['axb', 'ab']],
    ['a.b', ['a.b'], ['axb']],
    ['(x)+', ['(x)+'], ['x', 'xx']],
    ['User:*', ['User:1'], ['user:1']],
    ['*:1', ['a:1', 'b:c:1'], ['a:10']],
  ])('%s removes exactly the matching keys', async (pattern, matching, others) => {
    const { cache } = await withKeys([...matching, ...others]);
    expect(await cache.invalidatePattern(pattern)).toBe(matching.length);
    expect(cache.getKeys().sort()).toEqual([...others].sort());
  });

  it('counts and removes expired-but-unpurged matches; counters untouched; memory and LRU updated', async () => {
    const { cache, clock } = manualCache({ maxSize: 3 });
    await cache.set('user:1', 'x', 1);
    await cache.set('user:2', 'y');
    await cache.set('other', 'z');
    await cache.get('user:2');
    clock.advance(1001);
    expect(await cache.invalidatePattern('user:*')).toBe(2);
    expect(cache.getStats()).toMatchObject({ hits: 1, misses: 0, memoryUsageBytes: 1, totalEntries: 1 });
    await cache.set('n1', 1);
    await cache.set('n2', 1);
    await cache.set('n3', 1);
    expect(cache.getKeys().sort()).toEqual(['n1', 'n2', 'n3']);
  });

  it('matches the UTF-8 bytes of a key, as Redis MATCH does: ? is one byte', async () => {
    const { cache } = await withKeys(['ké', 'ka', 'k🚀', 'k']);
    expect(await cache.invalidatePattern('k?')).toBe(1);
    expect(cache.getKeys().sort()).toEqual(['k', 'ké', 'k🚀']);
    expect(await cache.invalidatePattern('k??')).toBe(1);
    expect(cache.getKeys().sort()).toEqual(['k', 'k🚀']);
    expect(await cache.invalidatePattern('k????')).toBe(1);
    expect(cache.getKeys()).toEqual(['k']);
  });

  it('a non-string pattern rejects with INVALID_PATTERN and removes nothing', async () => {
    const { cache } = await withKeys(['a']);
    const error = await rejectionOf(cache.invalidatePattern(42 as unknown as string));
    expect(CacheError.isCacheError(error) && error.code).toBe('INVALID_PATTERN');
    expect(cache.size()).toBe(1);
  });
});
