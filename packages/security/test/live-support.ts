import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { createIoredisConnector } from '../src/index.js';
import type { IoredisConnectOptions, RedisConnector } from '../src/index.js';

/** Every ioredis client the test connectors created and the leak guard has not yet checked. */
const unchecked: Redis[] = [];

/** An ioredis 6 client that registers itself, so a test cannot leave one connected unnoticed. */
class TrackedRedis extends Redis {
  constructor(url: string, options: IoredisConnectOptions) {
    super(url, options);
    unchecked.push(this);
  }
}

/** The connector production code would build: ioredis 6 through the package's adapter. */
export const ioredisConnector: RedisConnector = createIoredisConnector(TrackedRedis);

/** A connector whose clients are also listed per test, to assert on them. */
export function recordingConnector(): { connector: RedisConnector; created: Redis[] } {
  const created: Redis[] = [];
  return {
    created,
    connector: async (params) => {
      const before = unchecked.length;
      try {
        return await ioredisConnector(params);
      } finally {
        created.push(...unchecked.slice(before));
      }
    },
  };
}

/** A sleep that records the requested delays and returns at once (the back-off is asserted, not waited). */
export function recordedSleep(): { sleep: (ms: number) => Promise<void>; sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
}

/** How long a closed client may take to reach `end` (quit/disconnect finish on a later tick). */
const END_GRACE_MS = 1_000;

/** Resolves true once `client` reaches ioredis' final `end` state, false if it has not within the grace period. */
async function endsWithinGrace(client: Redis): Promise<boolean> {
  if (client.status === 'end') return true;
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([
    new Promise<true>((resolve) => client.once('end', () => resolve(true))),
    new Promise<false>((resolve) => {
      timer = setTimeout(resolve, END_GRACE_MS, false);
    }),
  ]);
  clearTimeout(timer);
  return ended;
}

/** Resolves once every client has reached `end` (bounded: a client still open after the grace period gives false). */
export async function allEnded(clients: readonly Redis[]): Promise<boolean> {
  const ended = await Promise.all(clients.map(endsWithinGrace));
  return ended.every(Boolean);
}

/** Handle kinds a leaked Redis client, socket or redis-server would keep alive. */
const WATCHED_HANDLES = ['TCPSocketWrap', 'TCPServerWrap', 'ProcessWrap'] as const;

function handleCounts(): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(WATCHED_HANDLES.map((kind) => [kind, 0]));
  for (const kind of process.getActiveResourcesInfo()) if (kind in counts) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/**
 * The handle counts once they are back to `baseline`, or after at most a second. libuv frees a
 * closed handle on a later loop turn, so a socket whose `close` already fired may still be listed
 * for a moment; a real leak stays listed.
 */
async function settledHandleCounts(baseline: Record<string, number>): Promise<Record<string, number>> {
  const same = (counts: Record<string, number>): boolean => WATCHED_HANDLES.every((kind) => counts[kind] === baseline[kind]);
  let counts = handleCounts();
  for (let turn = 0; turn < 100 && !same(counts); turn++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    counts = handleCounts();
  }
  return counts;
}

/**
 * Records every `setTimeout`/`setInterval` armed through the globals until `stop()` (ioredis and
 * this package call the globals at run time; vitest keeps its own timer functions), and reports
 * the ones still pending, each with the stack frames that armed it.
 */
function trackTimers(): { pending(): string[]; stop(): void } {
  const live = new Map<unknown, string>();
  const original = {
    setTimeout: globalThis.setTimeout,
    clearTimeout: globalThis.clearTimeout,
    setInterval: globalThis.setInterval,
    clearInterval: globalThis.clearInterval,
  };
  const armedBy = (): string => (new Error().stack ?? '').split('\n').slice(3, 6).join(' <- ').trim();
  const patched = {
    setTimeout: (handler: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const timer = original.setTimeout(
        (...a: unknown[]) => {
          live.delete(timer);
          handler(...a);
        },
        ms,
        ...args,
      );
      live.set(timer, `setTimeout(${String(ms)} ms) ${armedBy()}`);
      return timer;
    },
    setInterval: (handler: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const timer = original.setInterval(handler, ms, ...args);
      live.set(timer, `setInterval(${String(ms)} ms) ${armedBy()}`);
      return timer;
    },
    clearTimeout: (timer: Parameters<typeof clearTimeout>[0]) => {
      live.delete(timer);
      original.clearTimeout(timer);
    },
    clearInterval: (timer: Parameters<typeof clearInterval>[0]) => {
      live.delete(timer);
      original.clearInterval(timer);
    },
  };
  Object.assign(globalThis, patched);
  return {
    pending: () => [...live.values()],
    stop: () => {
      Object.assign(globalThis, original);
    },
  };
}

/**
 * Registers hooks proving that no test leaves anything running: after each test every ioredis
 * client it created has ended (none left connected or reconnecting), no timer it armed is still
 * pending, and no socket or process handle is left beyond what the test started with; after the
 * file, once its servers are disposed, no redis-server process remains. Call it before the file's
 * own `beforeAll`/`afterAll` (after-hooks run in reverse order, so this check runs last).
 */
export function guardAgainstLeaks(): void {
  let fileBaseline: Record<string, number> = {};
  let testBaseline: Record<string, number> = {};
  let timers: ReturnType<typeof trackTimers> | undefined;
  beforeAll(() => {
    fileBaseline = handleCounts();
  });
  afterAll(async () => {
    expect(await settledHandleCounts(fileBaseline), 'handles left after the servers were disposed').toEqual(fileBaseline);
  });
  beforeEach(() => {
    testBaseline = handleCounts();
    timers = trackTimers();
  });
  afterEach(async () => {
    const clients = unchecked.splice(0);
    const ended = await Promise.all(clients.map(endsWithinGrace));
    const stillOpen = clients.filter((_, i) => !ended[i]);
    const statuses = stillOpen.map((c) => c.status);
    for (const client of stillOpen) client.disconnect();
    const pendingTimers = timers?.pending() ?? [];
    timers?.stop();
    expect(statuses, 'ioredis clients the test left open (status)').toEqual([]);
    expect(pendingTimers, 'timers the test left pending').toEqual([]);
    expect(await settledHandleCounts(testBaseline), 'handles left by the test').toEqual(testBaseline);
  });
}
