import { CacheError, ManualClock } from '@cache/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemoryCache } from '../src/index.js';
import { recordingLogger, rejectionOf, thrownBy } from './helpers.js';

type Op = { kind: 'set'; key: string; ttl: number | undefined } | { kind: 'get' | 'delete' | 'exists'; key: string } | { kind: 'advance'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key: fc.constantFrom('a', 'b', 'c', 'd'), ttl: fc.constantFrom(undefined, 1, 2) }),
  fc.record({ kind: fc.constantFrom('get' as const, 'delete' as const, 'exists' as const), key: fc.constantFrom('a', 'b', 'c', 'd') }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(0, 1000, 1001) }),
);

function pair() {
  const syncClock = new ManualClock(0);
  const asyncClock = new ManualClock(0);
  const syncLog = recordingLogger();
  const asyncLog = recordingLogger();
  const options = { maxSize: 3, defaultTtl: 2 };
  return {
    sync: { cache: new InMemoryCache({ ...options, clock: syncClock, logger: syncLog.logger }), clock: syncClock, lines: syncLog.lines },
    async: { cache: new InMemoryCache({ ...options, clock: asyncClock, logger: asyncLog.logger }), clock: asyncClock, lines: asyncLog.lines },
  };
}

describe('sync core and async methods are the same operations', () => {
  it('the same random sequence through *Sync and through the async methods gives equal results, stats, keys and logs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 40 }), async (ops) => {
        const { sync, async: asy } = pair();
        for (const op of ops) {
          if (op.kind === 'advance') {
            sync.clock.advance(op.ms);
            asy.clock.advance(op.ms);
            continue;
          }
          const viaSync =
            op.kind === 'set' ? sync.cache.setSync(op.key, op.key, op.ttl)
            : op.kind === 'get' ? sync.cache.getSync(op.key)
            : op.kind === 'delete' ? sync.cache.deleteSync(op.key)
            : sync.cache.hasSync(op.key);
          const viaAsync =
            op.kind === 'set' ? await asy.cache.set(op.key, op.key, op.ttl)
            : op.kind === 'get' ? await asy.cache.get(op.key)
            : op.kind === 'delete' ? await asy.cache.delete(op.key)
            : await asy.cache.exists(op.key);
          expect(viaSync).toEqual(viaAsync);
        }
        expect(sync.cache.getStats()).toEqual(asy.cache.getStats());
        expect(sync.cache.getKeys().sort()).toEqual(asy.cache.getKeys().sort());
        expect(sync.lines).toEqual(asy.lines);
      }),
      { numRuns: 300 },
    );
  });

  it('async methods return promises that are already settled state-wise when the call returns', () => {
    const { async: asy } = pair();
    const pending = asy.cache.set('k', 1);
    expect(pending).toBeInstanceOf(Promise);
    expect(asy.cache.hasSync('k')).toBe(true);
  });

  const invalid: Array<[string, (c: InMemoryCache) => unknown, (c: InMemoryCache) => Promise<unknown>, string]> = [
    ['getSync/get with an empty key', (c) => c.getSync(''), (c) => c.get(''), 'INVALID_KEY'],
    ['setSync/set with ttl 0', (c) => c.setSync('k', 1, 0), (c) => c.set('k', 1, 0), 'INVALID_TTL'],
    ['setSync/set with a null value', (c) => c.setSync('k', null), (c) => c.set('k', null), 'INVALID_VALUE'],
    ['hasSync/exists with a number key', (c) => c.hasSync(1 as unknown as string), (c) => c.exists(1 as unknown as string), 'INVALID_KEY'],
    ['deleteSync/delete with an undefined key', (c) => c.deleteSync(undefined as unknown as string), (c) => c.delete(undefined as unknown as string), 'INVALID_KEY'],
  ];

  it.each(invalid)('%s: the sync form throws synchronously, the async form rejects, same error code, nothing changes', async (_, viaSync, viaAsync, code) => {
    const { sync, async: asy } = pair();
    const thrown = thrownBy(() => viaSync(sync.cache));
    let returned: Promise<unknown> | undefined;
    expect(() => {
      returned = viaAsync(asy.cache);
    }).not.toThrow();
    const rejected = await rejectionOf(returned as Promise<unknown>);
    expect(CacheError.isCacheError(thrown) && thrown.code).toBe(code);
    expect(CacheError.isCacheError(rejected) && rejected.code).toBe(code);
    expect(sync.cache.getStats()).toEqual(asy.cache.getStats());
    expect(sync.cache.size()).toBe(0);
  });
});
