import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ReadThroughEngine,
  assertValidKey,
  isFactoryTimeoutError,
  type LeaseGrant,
  type LeaseOutcome,
  type ReadThroughHit,
  type ReadThroughLease,
  type ReadThroughStorage,
} from '../src/index.js';

afterEach(() => {
  vi.useRealTimers();
});

interface Stored {
  value: unknown;
  ttl: number;
  grace: number;
  lease: LeaseGrant | undefined;
}

/** A real in-memory storage behind the engine that records what it was asked to do. */
function recordingStorage(initial: Record<string, ReadThroughHit> = {}, asyncLookup = false) {
  const hits = new Map<string, ReadThroughHit>(Object.entries(initial));
  const stores: Array<[string, Stored]> = [];
  const storage: ReadThroughStorage<{ json: string }> = {
    lookup: (key) => {
      assertValidKey(key);
      const hit = hits.get(key) ?? null;
      return asyncLookup ? Promise.resolve(hit) : hit;
    },
    prepare: (_key, value) => ({ json: JSON.stringify(value) }),
    store: (key, prepared, ttl, grace, lease) => {
      stores.push([key, { value: JSON.parse(prepared.json), ttl, grace, lease }]);
      hits.set(key, { value: JSON.parse(prepared.json), stale: false });
    },
    materialize: (prepared) => JSON.parse(prepared.json) as unknown,
  };
  return { storage, stores, hits };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ReadThroughEngine counters', () => {
  it('counts factory calls, local coalescing and factory errors', async () => {
    const { storage } = recordingStorage();
    const engine = new ReadThroughEngine(storage, { defaultTtl: () => 60 });
    const gate = deferred<void>();
    const calls = [1, 2, 3].map(() => engine.getOrSet('k', async () => (await gate.promise, 'v')));
    gate.resolve();
    await Promise.all(calls);
    await expect(engine.getOrSet('bad', () => Promise.reject(new Error('x')))).rejects.toMatchObject({ code: 'FACTORY_ERROR' });
    expect(engine.counters).toMatchObject({ factoryCalls: 2, coalescedLocal: 2, factoryErrors: 1, graceHits: 0, leaseWaits: 0 });
    engine.reset();
    expect(Object.values(engine.counters).every((n) => n === 0)).toBe(true);
  });

  it('counts grace hits, soft and hard timeouts (fake timers); a late failure in the background is swallowed and counted', async () => {
    vi.useFakeTimers();
    const stale = { value: 'old', stale: true };
    const { storage, stores } = recordingStorage({ soft: stale, hard: stale, fail: stale });
    const engine = new ReadThroughEngine(storage, { defaultTtl: () => 60 });
    const slow = deferred<string>();
    const soft = engine.getOrSet('soft', () => slow.promise, { timeout: '2s' });
    await vi.advanceTimersByTimeAsync(1999);
    expect(engine.counters.softTimeouts).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await expect(soft).resolves.toBe('old');
    slow.resolve('new');
    await vi.advanceTimersByTimeAsync(0);
    expect(stores.map(([k, s]) => [k, s.value])).toEqual([['soft', 'new']]);

    const never = deferred<string>();
    const hard = engine.getOrSet('hard', () => never.promise, { hardTimeout: 500 });
    await vi.advanceTimersByTimeAsync(500);
    await expect(hard).resolves.toBe('old');

    const failing = deferred<string>();
    const bg = engine.getOrSet('fail', () => failing.promise.then(() => Promise.reject(new Error('late'))), { timeout: 10 });
    await vi.advanceTimersByTimeAsync(10);
    await expect(bg).resolves.toBe('old');
    failing.resolve('x');
    await vi.advanceTimersByTimeAsync(0);
    expect(engine.counters).toMatchObject({ softTimeouts: 2, hardTimeouts: 1, graceHits: 3, factoryErrors: 1, factoryCalls: 3 });
  });

  it('a hard timeout without a stale value rejects with FactoryTimeoutError naming the budget', async () => {
    vi.useFakeTimers();
    const engine = new ReadThroughEngine(recordingStorage().storage, { defaultTtl: () => 60 });
    const pending = engine.getOrSet('k', () => new Promise<string>(() => undefined), { hardTimeout: '1s' });
    const outcome = pending.then(() => undefined, (e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    const error = await outcome;
    expect(isFactoryTimeoutError(error)).toBe(true);
    expect((error as { context: unknown }).context).toEqual({ hard_timeout_ms: 1000 });
    expect(engine.counters.hardTimeouts).toBe(1);
  });
});

describe('ReadThroughEngine storage primitives', () => {
  it('passes ttl and grace as seconds (durations resolved), default TTL when omitted', async () => {
    const { storage, stores } = recordingStorage();
    let defaultTtl = 60;
    const engine = new ReadThroughEngine(storage, { defaultTtl: () => defaultTtl });
    await engine.getOrSet('a', () => 1, { ttl: '10m', grace: '1h' });
    defaultTtl = 90;
    await engine.getOrSet('b', () => 2);
    expect(stores.map(([k, s]) => [k, s.ttl, s.grace])).toEqual([['a', 600, 3600], ['b', 90, 0]]);
  });

  it('works over an asynchronous lookup (a remote store) and gives every waiter its own materialized copy', async () => {
    const { storage } = recordingStorage({ hit: { value: { cached: true }, stale: false } }, true);
    const engine = new ReadThroughEngine(storage, { defaultTtl: () => 60 });
    await expect(engine.getOrSet('hit', () => ({ cached: false }))).resolves.toEqual({ cached: true });
    const [a, b] = await Promise.all([engine.getOrSet('miss', () => ({ n: 1 })), engine.getOrSet('miss', () => ({ n: 2 }))]);
    expect(a).toEqual({ n: 1 });
    expect(b).toEqual({ n: 1 });
    expect(a).not.toBe(b);
  });

  it('a remote lookup that missed before a flight of its key settled takes that flight\'s value: no second factory call', async () => {
    const { storage } = recordingStorage();
    const slow = deferred<ReadThroughHit | null>();
    let lookups = 0;
    const engine = new ReadThroughEngine(
      { ...storage, lookup: (key) => (++lookups === 2 ? slow.promise : Promise.resolve(storage.lookup(key) as ReadThroughHit | null)) },
      { defaultTtl: () => 60 },
    );
    let calls = 0;
    const first = engine.getOrSet('k', () => ({ n: ++calls }));
    const late = engine.getOrSet('k', () => ({ n: ++calls }));
    expect(await first).toEqual({ n: 1 });
    slow.resolve(null); // answered with data older than the flight that has settled meanwhile
    expect(await late).toEqual({ n: 1 });
    expect(calls).toBe(1);
    expect(engine.counters.coalescedLocal).toBe(1);
    // A lookup started after the flight settled is not affected.
    expect(await engine.getOrSet('k', () => ({ n: ++calls }))).toEqual({ n: 1 });
  });

  it('a throwing prepare (the cache refuses the value) rejects every waiter with that error and stores nothing', async () => {
    const { storage, stores } = recordingStorage();
    const refusing: ReadThroughStorage<{ json: string }> = {
      ...storage,
      prepare: () => {
        throw Object.assign(new Error('nope'), { code: 'SERIALIZATION_ERROR' });
      },
    };
    const engine = new ReadThroughEngine(refusing, { defaultTtl: () => 60 });
    const outcomes = await Promise.allSettled([engine.getOrSet('k', () => 1), engine.getOrSet('k', () => 1)]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(stores).toEqual([]);
  });
});

/** A real in-process implementation of the lease hook, scripted per test (stands in for Redis's). */
function scriptedLease<P>(decide: (key: string, signal: AbortSignal) => Promise<LeaseOutcome<P>>) {
  const requests: Array<{ key: string; lock: unknown; signal: AbortSignal; forceRefresh: boolean }> = [];
  const lease: ReadThroughLease<P> = {
    acquire: (key, request) => {
      requests.push({ key, lock: request.lock, signal: request.signal, forceRefresh: request.forceRefresh });
      return decide(key, request.signal);
    },
  };
  return { lease, requests };
}

describe('ReadThroughEngine abort', () => {
  it('a signal aborted while an asynchronous lookup is in flight rejects with ABORTED once it returns, without calling the factory', async () => {
    const lookup = deferred<ReadThroughHit | null>();
    const { storage } = recordingStorage();
    const engine = new ReadThroughEngine({ ...storage, lookup: () => lookup.promise }, { defaultTtl: () => 60 });
    const controller = new AbortController();
    let calls = 0;
    const pending = engine.getOrSet('k', () => (calls++, 'v'), { signal: controller.signal });
    controller.abort(new Error('bye'));
    lookup.resolve(null);
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    expect(calls).toBe(0);
  });
});

describe('ReadThroughEngine cross-process lease hook', () => {
  it('leader: the grant reaches store and is released after the value is stored, also after a failure', async () => {
    const { storage, stores } = recordingStorage();
    const order: string[] = [];
    const grant: LeaseGrant = { token: '7', release: () => void order.push('release') };
    const { lease, requests } = scriptedLease<{ json: string }>(async () => ({ kind: 'leader', grant, waited: false }));
    const tracking: ReadThroughStorage<{ json: string }> = { ...storage, store: (...args) => (order.push('store'), storage.store(...args)) };
    const engine = new ReadThroughEngine(tracking, { defaultTtl: () => 60, lease });
    await expect(engine.getOrSet('k', () => 'v', { lock: { ttl: 5000, wait: '2s' } })).resolves.toBe('v');
    expect(requests.map((r) => [r.key, r.lock])).toEqual([['k', { ttlMs: 5000, waitMs: 2000 }]]);
    expect(stores[0]?.[1].lease).toBe(grant);
    expect(order).toEqual(['store', 'release']);
    await expect(engine.getOrSet('f', () => Promise.reject(new Error('x')))).rejects.toMatchObject({ code: 'FACTORY_ERROR' });
    expect(order).toEqual(['store', 'release', 'release']);
    expect(engine.counters).toMatchObject({ leaseWaits: 0, coalescedRemote: 0, factoryCalls: 2 });
  });

  it('follower: no local factory call; every local waiter gets its own copy of the remote value', async () => {
    const { storage, stores } = recordingStorage();
    const { lease } = scriptedLease<{ json: string }>(async () => ({ kind: 'follower', prepared: { json: '{"from":"other process"}' } }));
    const engine = new ReadThroughEngine(storage, { defaultTtl: () => 60, lease });
    let calls = 0;
    const factory = (): object => (calls++, { from: 'here' });
    const [a, b] = await Promise.all([engine.getOrSet('k', factory), engine.getOrSet('k', factory)]);
    expect(a).toEqual({ from: 'other process' });
    expect(b).toEqual({ from: 'other process' });
    expect(a).not.toBe(b);
    expect(calls).toBe(0);
    expect(stores).toEqual([]);
    expect(engine.counters).toMatchObject({ coalescedRemote: 1, leaseWaits: 1, coalescedLocal: 1, factoryCalls: 0 });
  });

  it('timed out or unavailable: the factory runs without a lease; waits and timeouts are counted', async () => {
    const { storage, stores } = recordingStorage();
    const decisions: LeaseOutcome<{ json: string }>[] = [{ kind: 'timed_out' }, { kind: 'unavailable' }, { kind: 'leader', grant: { token: '1', release: () => Promise.reject(new Error('gone')) }, waited: true }];
    const { lease } = scriptedLease<{ json: string }>(async () => decisions.shift() as LeaseOutcome<{ json: string }>);
    const engine = new ReadThroughEngine(storage, { defaultTtl: () => 60, lease });
    await engine.getOrSet('a', () => 1);
    await engine.getOrSet('b', () => 2);
    await engine.getOrSet('c', () => 3);
    expect(stores.map(([k, s]) => [k, s.lease?.token])).toEqual([['a', undefined], ['b', undefined], ['c', '1']]);
    expect(engine.counters).toMatchObject({ factoryCalls: 3, leaseTimeouts: 1, leaseWaits: 2, leaseUnavailable: 1 });
  });

  it('passes the lock option validated in milliseconds and forceRefresh; an invalid lock rejects before any lease or factory', async () => {
    const { storage } = recordingStorage();
    const { lease, requests } = scriptedLease<{ json: string }>(async () => ({ kind: 'unavailable' }));
    const engine = new ReadThroughEngine(storage, { defaultTtl: () => 60, lease });
    await engine.getOrSet('a', () => 1, { lock: { ttl: '2s', wait: 250 } });
    await engine.getOrSet('b', () => 1, { forceRefresh: true });
    expect(requests.map((r) => [r.key, r.lock, r.forceRefresh])).toEqual([['a', { ttlMs: 2000, waitMs: 250 }, false], ['b', { ttlMs: undefined, waitMs: undefined }, true]]);
    await expect(engine.getOrSet('c', () => 1, { lock: { ttl: 'soon' } })).rejects.toMatchObject({ code: 'INVALID_TIMEOUT' });
    await expect(engine.getOrSet('c', () => 1, { lock: 5 as never })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    expect(requests.length).toBe(2);
  });

  it('a lease decided after every caller left calls no factory and gives the grant back', async () => {
    const { storage, stores } = recordingStorage();
    const decided = deferred<void>();
    let released = 0;
    const { lease } = scriptedLease<{ json: string }>(async (_key, signal) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      decided.resolve();
      return { kind: 'leader', grant: { token: 't', release: () => void released++ }, waited: false };
    });
    const engine = new ReadThroughEngine(storage, { defaultTtl: () => 60, lease });
    const controller = new AbortController();
    let calls = 0;
    const pending = engine.getOrSet('k', () => ++calls, { signal: controller.signal });
    await Promise.resolve();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    await decided.promise;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect({ calls, released, stores: stores.length }).toEqual({ calls: 0, released: 1, stores: 0 });
  });

  it('the signal given to acquire aborts once no local caller waits, so a follower stops waiting', async () => {
    const { storage } = recordingStorage();
    const { lease, requests } = scriptedLease<{ json: string }>(
      (_key, signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve({ kind: 'timed_out' }), { once: true })),
    );
    const engine = new ReadThroughEngine(storage, { defaultTtl: () => 60, lease });
    const controller = new AbortController();
    const pending = engine.getOrSet('k', () => 'v', { signal: controller.signal });
    await Promise.resolve();
    expect(requests[0]?.signal.aborted).toBe(false);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    expect(requests[0]?.signal.aborted).toBe(true);
  });
});

describe('ReadThroughEngine.idle (graceful shutdown)', () => {
  it('resolves true at once without flights, and only after a background refresh has stored its value', async () => {
    const { storage, stores } = recordingStorage({ k: { value: 'stale', stale: true } });
    const engine = new ReadThroughEngine(storage, { defaultTtl: () => 60 });
    expect(await engine.idle()).toBe(true);
    const gate = deferred<string>();
    expect(await engine.getOrSet('k', () => gate.promise, { timeout: 0, grace: 60 })).toBe('stale');
    let idle = false;
    const waiting = engine.idle().then((v) => ((idle = v), v));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(idle).toBe(false);
    gate.resolve('fresh');
    expect(await waiting).toBe(true);
    expect(stores.map(([key, s]) => [key, s.value])).toEqual([['k', 'fresh']]);
  });

  it('resolves false at its bound while a factory call is still running, and waits for flights started meanwhile', async () => {
    const { storage } = recordingStorage();
    const engine = new ReadThroughEngine(storage, { defaultTtl: () => 60 });
    const first = deferred<string>();
    const second = deferred<string>();
    const a = engine.getOrSet('a', () => first.promise);
    expect(await engine.idle(20)).toBe(false);
    const all = engine.idle();
    const b = engine.getOrSet('b', () => second.promise);
    first.resolve('1');
    await a;
    let done = false;
    void all.then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(done).toBe(false);
    second.resolve('2');
    expect(await all).toBe(true);
    expect(await b).toBe('2');
  });
});
