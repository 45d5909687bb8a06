import type { CacheInterface, FactoryContext, GetOrSetOptions } from './cache-interface.js';
import type { ManualClock } from './clock.js';
import { CacheError, isAbortedError, isFactoryError, isFactoryTimeoutError, isValidationError, type ValidationError } from './errors.js';
import { invalidKeyError } from './validation.js';
import type { ContractExpect } from './testing.js';

/** A promise with its resolve/reject exposed: a factory the test finishes when it wants. */
interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

async function settle(p: Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/** Lets pending promise callbacks (and the I/O of a remote cache) run. */
const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (without any speed assumption beyond a generous deadline) until `check` holds. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await tick(5);
  }
}

/**
 * Returns once every lookup `cache` started before this call has completed: a remote cache answers
 * in order, so when this get resolves, earlier callers have joined their flight.
 */
async function lookupsDone(cache: CacheInterface): Promise<void> {
  await cache.get('contract:rt:barrier');
  await tick();
}

const codeOf = (error: unknown): string | undefined => (CacheError.isCacheError(error) ? error.code : undefined);

/** Hooks the read-through contract needs from {@link runCacheInterfaceContract}. */
export interface ReadThroughContractHooks {
  it(name: string, body: () => Promise<void>): void;
  expect: ContractExpect;
  withCache(body: (cache: CacheInterface) => Promise<void>): () => Promise<void>;
  withTwoCaches(body: (a: CacheInterface, b: CacheInterface) => Promise<void>): () => Promise<void>;
  withClockedCache: ((body: (cache: CacheInterface, clock: ManualClock) => Promise<void>) => () => Promise<void>) | undefined;
}

/** Registers the `getOrSet` contract tests. */
export function registerReadThroughContract(h: ReadThroughContractHooks): void {
  const { it, expect, withCache, withTwoCaches, withClockedCache } = h;

  it('getOrSet: 100 concurrent calls on a cold key run the factory exactly once; every caller gets the value and it is stored', withCache(async (cache) => {
    let calls = 0;
    const gate = deferred<void>();
    const factory = async (): Promise<{ answer: number }> => {
      calls++;
      await gate.promise;
      return { answer: 42 };
    };
    const callers = Array.from({ length: 100 }, () => cache.getOrSet('contract:rt:cold', factory));
    await lookupsDone(cache);
    gate.resolve();
    const results = await Promise.all(callers);
    expect(calls).toBe(1);
    expect(results.every((r) => JSON.stringify(r) === '{"answer":42}')).toBe(true);
    expect(await cache.get('contract:rt:cold')).toEqual({ answer: 42 });
  }));

  it('getOrSet: returns a Promise; a cached value is returned without calling the factory', withCache(async (cache) => {
    await cache.set('contract:rt:hit', { v: 'cached' });
    let calls = 0;
    const pending = cache.getOrSet('contract:rt:hit', () => {
      calls++;
      return { v: 'computed' };
    });
    expect(pending instanceof Promise).toBe(true);
    expect(await pending).toEqual({ v: 'cached' });
    expect(calls).toBe(0);
  }));

  it('getOrSet: each caller gets its own copy when get returns copies, and shares a value only as get does (by reference, or frozen)', withCache(async (cache) => {
    await cache.set('contract:rt:probe', { n: 1 });
    const probe = await cache.get('contract:rt:probe');
    const getCopies = probe !== (await cache.get('contract:rt:probe'));
    const gate = deferred<void>();
    const factory = async (): Promise<{ list: number[] }> => {
      await gate.promise;
      return { list: [1, 2] };
    };
    const pending = [cache.getOrSet('contract:rt:copies', factory), cache.getOrSet('contract:rt:copies', factory)];
    await lookupsDone(cache);
    gate.resolve();
    const [first, second] = (await Promise.all(pending)) as [{ list: number[] }, { list: number[] }];
    if (getCopies || !Object.isFrozen(probe)) expect(first !== second).toBe(getCopies);
    // A cache that shares frozen values may hand callers one frozen value or their own copies.
    else if (first === second) expect(Object.isFrozen(first)).toBe(true);
    if (first !== second) {
      first.list.push(3);
      expect(second).toEqual({ list: [1, 2] });
      expect(await cache.get('contract:rt:copies')).toEqual({ list: [1, 2] });
    }
  }));

  it('getOrSet: a failing factory reaches every waiter as FactoryError with the cause, and nothing is stored', withCache(async (cache) => {
    const boom = new Error('factory exploded');
    let calls = 0;
    const gate = deferred<void>();
    const factory = async (): Promise<string> => {
      calls++;
      await gate.promise;
      throw boom;
    };
    const callers = Array.from({ length: 10 }, () => settle(cache.getOrSet('contract:rt:fail', factory)));
    await lookupsDone(cache);
    gate.resolve();
    const outcomes = await Promise.all(callers);
    expect(calls).toBe(1);
    for (const outcome of outcomes) {
      expect(outcome.ok).toBe(false);
      const error = outcome.ok ? undefined : outcome.error;
      expect(isFactoryError(error)).toBe(true);
      expect(codeOf(error)).toBe('FACTORY_ERROR');
      expect((error as Error).cause).toBe(boom);
    }
    expect(await cache.exists('contract:rt:fail')).toBe(false);
    const sync = await settle(cache.getOrSet('contract:rt:fail-sync', () => {
      throw boom;
    }));
    expect(!sync.ok && isFactoryError(sync.error) && (sync.error as Error).cause === boom).toBe(true);
  }));

  it('getOrSet: a factory value set would refuse rejects every waiter with set\'s ValidationError and stores nothing', withCache(async (cache) => {
    for (const bad of [null, undefined]) {
      const outcomes = await Promise.all([1, 2].map(() => settle(cache.getOrSet('contract:rt:bad-value', () => bad))));
      for (const outcome of outcomes) {
        expect(!outcome.ok && isValidationError(outcome.error) && codeOf(outcome.error) === 'INVALID_VALUE').toBe(true);
      }
    }
    expect(await cache.exists('contract:rt:bad-value')).toBe(false);
  }));

  it('getOrSet: invalid arguments reject with ValidationError before the factory runs, for an absent and a present key', withCache(async (cache) => {
    let calls = 0;
    const factory = (): string => {
      calls++;
      return 'v';
    };
    await cache.set('contract:rt:args-present', 'cached');
    const invalidOptions: Array<[string, GetOrSetOptions<string>]> = [
      ['INVALID_TTL', { ttl: 0 }],
      ['INVALID_TTL', { ttl: '500ms' }],
      ['INVALID_GRACE', { grace: -1 }],
      ['INVALID_TIMEOUT', { timeout: 'soon' }],
      ['INVALID_TIMEOUT', { hardTimeout: -5 }],
      ['INVALID_OPTIONS', { signal: {} as AbortSignal }],
      ['INVALID_OPTIONS', { forceRefresh: 'yes' as never }],
      ['INVALID_OPTIONS', { cacheIf: true as never }],
      ['INVALID_OPTIONS', { lock: 'soon' as never }],
      ['INVALID_TIMEOUT', { lock: { wait: -1 } }],
      ['INVALID_TIMEOUT', { lock: { ttl: 0 } }],
      ['INVALID_TAGS', { tags: [''] }],
      ['INVALID_OPTIONS', 'fast' as never],
    ];
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['INVALID_KEY', () => cache.getOrSet('', factory)],
      ['INVALID_KEY', () => cache.getOrSet('a\uD800', factory)],
      ['INVALID_KEY', () => cache.getOrSet('', 'not a function' as never, { ttl: 0 })],
      ['INVALID_FACTORY', () => cache.getOrSet('contract:rt:args', 'not a function' as never)],
      ['INVALID_FACTORY', () => cache.getOrSet('contract:rt:args-present', 'not a function' as never, { ttl: 0 })],
      ...['contract:rt:args', 'contract:rt:args-present'].flatMap((key) =>
        invalidOptions.map(([code, options]): [string, () => Promise<unknown>] => [code, () => cache.getOrSet(key, factory, options)]),
      ),
    ];
    for (const [code, run] of cases) {
      let pending: Promise<unknown> | undefined;
      try {
        pending = run();
      } catch (error) {
        throw new Error(`getOrSet threw synchronously instead of rejecting: ${String(error)}`);
      }
      const outcome = await settle(pending);
      expect({ code, rejected: !outcome.ok && isValidationError(outcome.error) && codeOf(outcome.error) }).toEqual({ code, rejected: code });
    }
    expect(calls).toBe(0);
    expect(await cache.getOrSet('contract:rt:args-present', factory, { ttl: 60 })).toBe('cached');
  }));

  it('getOrSet: an invalid key rejects with core\'s own INVALID_KEY error (message and context), ahead of any factory or options error, and calls no factory', withCache(async (cache) => {
    let calls = 0;
    const factory = (): string => {
      calls++;
      return 'v';
    };
    const keys: unknown[] = ['', 'a\uD800', 'b\uDC00c', 7, null, undefined, { toString: () => 'contract:rt:object-key' }];
    const argumentSets: Array<[unknown, GetOrSetOptions<string> | undefined]> = [
      [factory, undefined],
      [factory, { ttl: 60 }],
      [factory, { ttl: 0 }],
      ['not a function', { ttl: 0 }],
      [factory, { forceRefresh: true }],
      [factory, { signal: AbortSignal.abort() }],
      [factory, 'fast' as never],
    ];
    for (const key of keys) {
      const expected = invalidKeyError(key) as ValidationError;
      for (const [fn, options] of argumentSets) {
        const outcome = await settle(cache.getOrSet(key as string, fn as () => string, options));
        const error = outcome.ok ? undefined : (outcome.error as ValidationError);
        expect({ validation: isValidationError(error), code: error?.code, message: error?.message, context: error?.context }).toEqual({
          validation: true,
          code: 'INVALID_KEY',
          message: expected.message,
          context: expected.context,
        });
      }
    }
    expect(calls).toBe(0);
  }));

  it('getOrSet: different keys never wait for each other', withCache(async (cache) => {
    const slow = deferred<string>();
    const a = cache.getOrSet('contract:rt:key-a', () => slow.promise);
    expect(await cache.getOrSet('contract:rt:key-b', () => 'b')).toBe('b');
    slow.resolve('a');
    expect(await a).toBe('a');
  }));

  it('getOrSet: two cache instances never share a factory call', withTwoCaches(async (one, two) => {
    let calls = 0;
    const gate = deferred<void>();
    const factory = async (): Promise<string> => {
      calls++;
      await gate.promise;
      return 'v';
    };
    const pending = [one.getOrSet('contract:rt:instances', factory), two.getOrSet('contract:rt:instances', factory)];
    await lookupsDone(one);
    await lookupsDone(two);
    gate.resolve();
    expect(await Promise.all(pending)).toEqual(['v', 'v']);
    expect(calls).toBe(2);
  }));

  it('getOrSet: cacheIf false returns the value without storing it', withCache(async (cache) => {
    let calls = 0;
    const options = { cacheIf: (value: { ok: boolean }) => value.ok };
    const factory = (): { ok: boolean } => {
      calls++;
      return { ok: false };
    };
    expect(await cache.getOrSet('contract:rt:cache-if', factory, options)).toEqual({ ok: false });
    expect(await cache.exists('contract:rt:cache-if')).toBe(false);
    expect(await cache.getOrSet('contract:rt:cache-if', factory, options)).toEqual({ ok: false });
    expect(calls).toBe(2);
    expect(await cache.getOrSet('contract:rt:cache-if', () => ({ ok: true }), options)).toEqual({ ok: true });
    expect(await cache.get('contract:rt:cache-if')).toEqual({ ok: true });
  }));

  it('getOrSet: a caller\'s abort rejects only that caller with ABORTED; the factory is aborted once no caller waits', withCache(async (cache) => {
    const gate = deferred<string>();
    let seen: AbortSignal | undefined;
    const factory = (ctx: FactoryContext<string>): Promise<string> => {
      seen = ctx.signal;
      return gate.promise;
    };
    const controller = new AbortController();
    const reason = new Error('user went away');
    const staying = cache.getOrSet('contract:rt:abort', factory);
    await eventually(async () => seen !== undefined, 'the factory runs');
    const leaving = settle(cache.getOrSet('contract:rt:abort', factory, { signal: controller.signal }));
    await lookupsDone(cache);
    controller.abort(reason);
    const left = await leaving;
    expect(!left.ok && isAbortedError(left.error) && codeOf(left.error) === 'ABORTED' && (left.error as Error).cause === reason).toBe(true);
    expect(seen?.aborted).toBe(false);
    gate.resolve('still computed');
    expect(await staying).toBe('still computed');
    expect(await cache.get('contract:rt:abort')).toBe('still computed');

    const alone = new AbortController();
    const never = deferred<string>();
    let lonely: AbortSignal | undefined;
    const solo = settle(cache.getOrSet('contract:rt:abort-alone', (ctx) => {
      lonely = ctx.signal;
      return never.promise;
    }, { signal: alone.signal }));
    await eventually(async () => lonely !== undefined, 'the factory runs');
    alone.abort();
    expect(codeOf(((await solo) as { error?: unknown }).error)).toBe('ABORTED');
    expect(lonely?.aborted).toBe(true);
    let fresh = 0;
    expect(await cache.getOrSet('contract:rt:abort-alone', () => {
      fresh++;
      return 'fresh flight';
    })).toBe('fresh flight');
    expect(fresh).toBe(1);
    never.resolve('late');
  }));

  it('getOrSet: an already aborted signal rejects at once with ABORTED and never calls the factory', withCache(async (cache) => {
    let calls = 0;
    const outcome = await settle(cache.getOrSet('contract:rt:pre-aborted', () => {
      calls++;
      return 'v';
    }, { signal: AbortSignal.abort() }));
    expect(!outcome.ok && codeOf(outcome.error)).toBe('ABORTED');
    expect(calls).toBe(0);
  }));

  it('getOrSet: forceRefresh ignores the cached value, is coalesced, and stores the result', withCache(async (cache) => {
    await cache.set('contract:rt:force', 'old');
    let calls = 0;
    const gate = deferred<void>();
    const factory = async (): Promise<string> => {
      calls++;
      await gate.promise;
      return 'new';
    };
    const pending = [1, 2, 3].map(() => cache.getOrSet('contract:rt:force', factory, { forceRefresh: true }));
    await tick();
    gate.resolve();
    expect(await Promise.all(pending)).toEqual(['new', 'new', 'new']);
    expect(calls).toBe(1);
    expect(await cache.get('contract:rt:force')).toBe('new');
  }));

  it('getOrSet: without a stale value, hardTimeout rejects with FactoryTimeoutError and aborts the factory\'s signal', withCache(async (cache) => {
    const never = deferred<string>();
    let seen: AbortSignal | undefined;
    const outcome = await settle(cache.getOrSet('contract:rt:hard', (ctx) => {
      seen = ctx.signal;
      return never.promise;
    }, { hardTimeout: 20 }));
    expect(!outcome.ok && isFactoryTimeoutError(outcome.error) && codeOf(outcome.error) === 'FACTORY_TIMEOUT').toBe(true);
    expect(seen?.aborted).toBe(true);
    never.resolve('late');
  }));

  if (withClockedCache === undefined) return;

  it('getOrSet: ttl (a duration) applies to the stored value; past it the factory runs again', withClockedCache(async (cache, clock) => {
    let calls = 0;
    const factory = (): number => ++calls;
    expect(await cache.getOrSet('contract:rt:ttl', factory, { ttl: '1m' })).toBe(1);
    clock.advance(60_000);
    expect(await cache.getOrSet('contract:rt:ttl', factory, { ttl: '1m' })).toBe(1);
    clock.advance(1_000);
    expect(await cache.getOrSet('contract:rt:ttl', factory, { ttl: '1m' })).toBe(2);
  }));

  it('getOrSet: within grace, get misses but a failing refresh serves the stale value (and the factory sees it)', withClockedCache(async (cache, clock) => {
    const options = { ttl: 10, grace: '1m' };
    expect(await cache.getOrSet('contract:rt:grace', () => 'v1', options)).toBe('v1');
    clock.advance(10_001);
    expect(await cache.get('contract:rt:grace')).toBe(null);
    expect(await cache.exists('contract:rt:grace')).toBe(false);
    let stale: unknown;
    expect(await cache.getOrSet('contract:rt:grace', (ctx) => {
      stale = ctx.staleValue;
      throw new Error('upstream down');
    }, options)).toBe('v1');
    expect(stale).toBe('v1');
    expect(await cache.getOrSet('contract:rt:grace', () => 'v2', options)).toBe('v2');
    expect(await cache.get('contract:rt:grace')).toBe('v2');
    clock.advance(70_001);
    const gone = await settle(cache.getOrSet('contract:rt:grace', () => {
      throw new Error('still down');
    }, options));
    expect(!gone.ok && isFactoryError(gone.error)).toBe(true);
  }));

  it('getOrSet: a slow refresh returns the stale value at the soft timeout, then finishes in the background and stores', withClockedCache(async (cache, clock) => {
    const options = { ttl: 10, grace: 60 };
    await cache.getOrSet('contract:rt:soft', () => 'old', options);
    clock.advance(10_001);
    const slow = deferred<string>();
    expect(await cache.getOrSet('contract:rt:soft', () => slow.promise, { ...options, timeout: 20 })).toBe('old');
    slow.resolve('refreshed');
    await eventually(async () => (await cache.get('contract:rt:soft')) === 'refreshed', 'the background refresh is stored');
  }));

  it('getOrSet: at the hard timeout a caller holding a stale value gets it', withClockedCache(async (cache, clock) => {
    const options = { ttl: 10, grace: 60 };
    await cache.getOrSet('contract:rt:hard-stale', () => 'old', options);
    clock.advance(10_001);
    const never = deferred<string>();
    expect(await cache.getOrSet('contract:rt:hard-stale', () => never.promise, { ...options, hardTimeout: 20 })).toBe('old');
    never.resolve('late');
  }));
}
