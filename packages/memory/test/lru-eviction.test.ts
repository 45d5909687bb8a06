import { describe, expect, it } from 'vitest';
import { InMemoryCache } from '../src/index.js';
import { manualCache, recordingLogger } from './helpers.js';

async function filled(keys: string[], maxSize = 3) {
  const { cache, clock } = manualCache({ maxSize });
  for (const k of keys) await cache.set(k, k);
  return { cache, clock };
}
const present = (cache: InMemoryCache) => cache.getKeys().sort();

describe('reference eviction sequences (maxSize 3)', () => {
  it('set k1..k4 → k1 evicted, evictions 1', async () => {
    const { cache } = await filled(['k1', 'k2', 'k3', 'k4']);
    expect(present(cache)).toEqual(['k2', 'k3', 'k4']);
    expect(cache.getStats().evictions).toBe(1);
  });

  it('set k1,k2,k3; get k1; set k4 → k2 evicted, k1 kept', async () => {
    const { cache } = await filled(['k1', 'k2', 'k3']);
    await cache.get('k1');
    await cache.set('k4', 4);
    expect(present(cache)).toEqual(['k1', 'k3', 'k4']);
    expect(cache.getStats().evictions).toBe(1);
  });

  it('set k1,k2,k3; update k1; set k4 → k2 evicted', async () => {
    const { cache } = await filled(['k1', 'k2', 'k3']);
    await cache.set('k1', 'updated');
    await cache.set('k4', 4);
    expect(present(cache)).toEqual(['k1', 'k3', 'k4']);
    expect(cache.getStats().evictions).toBe(1);
  });

  it('set k1,k2,k3; get k1; delete k2; set k4; set k5 → k3 evicted, k1 kept', async () => {
    const { cache } = await filled(['k1', 'k2', 'k3']);
    await cache.get('k1');
    await cache.delete('k2');
    await cache.set('k4', 4);
    expect(cache.getStats().evictions).toBe(0);
    await cache.set('k5', 5);
    expect(present(cache)).toEqual(['k1', 'k4', 'k5']);
    expect(cache.getStats().evictions).toBe(1);
  });
});

describe('recency', () => {
  it('exists does not change LRU order (exists k1 then insert k4 → k1 still evicted)', async () => {
    const { cache } = await filled(['k1', 'k2', 'k3']);
    expect(await cache.exists('k1')).toBe(true);
    await cache.set('k4', 4);
    expect(present(cache)).toEqual(['k2', 'k3', 'k4']);
  });

  it('stats calls do not change LRU order', async () => {
    const { cache } = await filled(['k1', 'k2', 'k3']);
    cache.getStats();
    cache.getActiveKeys();
    await cache.getCacheStats();
    await cache.set('k4', 4);
    expect(present(cache)).toEqual(['k2', 'k3', 'k4']);
  });

  it('a miss does not change LRU order', async () => {
    const { cache } = await filled(['k1', 'k2', 'k3']);
    await cache.get('nope');
    await cache.set('k4', 4);
    expect(present(cache)).toEqual(['k2', 'k3', 'k4']);
  });

  it('evicts in exact least-recently-used order over a long sequence', async () => {
    const { cache } = await filled(['a', 'b', 'c', 'd', 'e'], 5);
    for (const k of ['c', 'a', 'e', 'b', 'd']) await cache.get(k);
    const evictedOrder: string[] = [];
    for (let i = 0; i < 5; i++) {
      const before = new Set(cache.getKeys());
      await cache.set(`new${i}`, i);
      evictedOrder.push(...[...before].filter((k) => !cache.getKeys().includes(k)));
    }
    expect(evictedOrder).toEqual(['c', 'a', 'e', 'b', 'd']);
  });
});

describe('capacity', () => {
  it('updating a key at capacity evicts nothing and keeps size() = maxSize', async () => {
    const { cache } = await filled(['k1', 'k2', 'k3']);
    await cache.set('k2', 'updated');
    expect(cache.size()).toBe(3);
    expect(cache.getStats().evictions).toBe(0);
    expect(present(cache)).toEqual(['k1', 'k2', 'k3']);
  });

  it('size() <= maxSize after inserting maxSize + 5 keys', async () => {
    const { cache } = manualCache({ maxSize: 10 });
    for (let i = 0; i < 15; i++) {
      await cache.set(`k${i}`, i);
      expect(cache.size()).toBeLessThanOrEqual(10);
    }
    expect(cache.size()).toBe(10);
    expect(cache.getStats().evictions).toBe(5);
  });

  it('maxSize 1 keeps only the latest key', async () => {
    const { cache } = await filled(['a', 'b', 'c'], 1);
    expect(cache.getKeys()).toEqual(['c']);
    expect(cache.getStats().evictions).toBe(2);
  });

  it('expired entries are purged before eviction is considered', async () => {
    const { cache, clock } = manualCache({ maxSize: 2 });
    await cache.set('short', 1, 1);
    await cache.set('long', 1, 100);
    clock.advance(1001);
    await cache.set('new', 1);
    expect(present(cache)).toEqual(['long', 'new']);
    expect(cache.getStats().evictions).toBe(0);
  });

  it('memory accounting drops the evicted entry', async () => {
    const { cache } = manualCache({ maxSize: 1 });
    await cache.set('big', 'x'.repeat(1000));
    await cache.set('small', 'y');
    expect(cache.getStats().memoryUsageBytes).toBe(1);
  });
});

describe('no log line per operation', () => {
  it('get, set, delete, exists, eviction and pattern invalidation log nothing at any level; no line carries a raw key or value', async () => {
    const { logger, lines } = recordingLogger();
    const cache = new InMemoryCache({ maxSize: 2, logger });
    const afterConstruction = lines.length;
    await cache.set('secret:user:alice', 'value-alice-token');
    await cache.set('secret:user:bob', 'value-bob-token');
    await cache.get('secret:user:alice');
    await cache.get('secret:user:nobody');
    await cache.set('secret:user:carol', 'value-carol-token');
    cache.getSync('secret:user:carol');
    cache.setSync('secret:user:dave', 'value-dave-token', 42);
    await cache.exists('secret:user:carol');
    await cache.delete('secret:user:carol');
    await cache.invalidatePattern('secret:*', 'test');
    expect(cache.getStats().evictions).toBeGreaterThan(0);
    expect(lines.slice(afterConstruction)).toEqual([]);
    cache.clear();
    const text = JSON.stringify(lines);
    for (const leaked of ['user:alice', 'user:bob', 'user:carol', 'user:nobody', 'value-']) expect(text).not.toContain(leaked);
  });
});
