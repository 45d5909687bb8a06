// One contender (one library, one configuration) for one row, in its own process. The parent sends
// a job: the child builds the library's adapter, generates keys and values, prefills, verifies every
// value by read-back (deep equality and key order), warms up, and reports ready. Then it answers one
// `measure` message per round with one number, until `close`.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Adapter, CreateAdapter, Job, LibId, ParentMessage, WorkerMessage } from './contract.js';
import { makeKeys, makeValue, makeValues, readBackProblem, type JsonObject } from './values.js';

const adapters: Record<LibId, () => Promise<{ create: CreateAdapter }>> = {
  'lru-cache': () => import('./adapters/lru-cache.js'),
  ioredis: () => import('./adapters/ioredis.js'),
  'node-redis': () => import('./adapters/node-redis.js'),
  cache: () => import('./adapters/cache.js'),
  bentocache: () => import('./adapters/bentocache.js'),
  'cache-manager': () => import('./adapters/cache-manager.js'),
  cacheable: () => import('./adapters/cacheable.js'),
};

const send = (message: WorkerMessage): void => void process.send?.(message);
const errorText = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** One round's outcome: the row's number, a note, and (wall-clock rows) CPU µs per operation. */
interface RoundResult {
  value: number;
  note: string | null;
  cpuUsPerOp: number | null;
  /** Operations the round ran (0 where not counted). */
  ops: number;
}

/** One measurement: returns the row's number for one round. */
type Measure = (timeMs: number, round: number) => Promise<RoundResult>;

/** A rate or a latency together with how many operations produced it. */
interface Timed {
  value: number;
  ops: number;
}

/** This process's CPU time (user + system), ms: in-process work is not charged for time spent descheduled. */
const cpuNow = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/**
 * Work between two clock reads, ms. `process.cpuUsage()` is a system call (about a microsecond):
 * read every ~2 ms of work it costs well under 0.1 % of the time measured, whatever one op costs.
 */
const CHECK_EVERY_MS = 2;

/**
 * Runs `batch(steps)` (each step resolving `opsPerStep` operations) for `timeMs` of the row's clock;
 * ops per second. The batch doubles until one takes at least {@link CHECK_EVERY_MS}, so the clock is
 * read once per ~2–4 ms of work rather than per operation.
 */
async function throughput(batch: (steps: number) => unknown, opsPerStep: number, timeMs: number, clock: Job['clock']): Promise<Timed> {
  const now = clock === 'cpu' ? cpuNow : () => performance.now();
  let steps = 1;
  let ops = 0;
  const start = now();
  let last = start;
  let elapsed = 0;
  do {
    const pending = batch(steps);
    if (pending instanceof Promise) await pending;
    ops += steps * opsPerStep;
    const t = now();
    if (t - last < CHECK_EVERY_MS) steps *= 2;
    last = t;
    elapsed = t - start;
  } while (elapsed < timeMs);
  return { value: (ops * 1000) / elapsed, ops };
}

/** `steps` calls of `step`, one after another, each awaited (the async API). */
const awaited = (step: () => Promise<unknown>) => async (steps: number): Promise<void> => {
  for (let i = 0; i < steps; i++) await step();
};

/** `steps` calls of `step`, no await (the sync API). */
const direct = (step: () => unknown) => (steps: number): void => {
  for (let i = 0; i < steps; i++) step();
};

/** Times single requests one after another for `timeMs`; the median, µs. */
async function medianLatency(step: () => Promise<unknown>, timeMs: number): Promise<Timed> {
  const samples: number[] = [];
  const end = performance.now() + timeMs;
  while (performance.now() < end || samples.length < 50) {
    const t0 = performance.now();
    await step();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { value: (samples[samples.length >> 1] as number) * 1000, ops: samples.length };
}

/**
 * Runs one timed round; on wall-clock rows also this process's CPU µs per operation over the round:
 * steadier than wall time on a shared machine, though it leaves out the Redis server's own work.
 */
async function withCpu(clock: Job['clock'], run: () => Promise<Timed>): Promise<RoundResult> {
  const cpuBefore = cpuNow();
  const { value, ops } = await run();
  const cpuUsPerOp = clock === 'wall' ? ((cpuNow() - cpuBefore) * 1000) / ops : null;
  return { value, note: null, cpuUsPerOp, ops };
}

/** Cycles through 0..n-1. */
function cursor(n: number): () => number {
  let i = -1;
  return () => (i = i + 1 === n ? 0 : i + 1);
}

async function prefill(adapter: Adapter, keys: string[], values: JsonObject[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 100) {
    await Promise.all(keys.slice(i, i + 100).map((key, j) => adapter.set(key, values[i + j] as JsonObject)));
  }
}

/** The first read-back problem over every key (read through `read`), or null. */
async function verify(keys: string[], read: (from: number, to: number) => Promise<unknown[]>): Promise<string | null> {
  for (let i = 0; i < keys.length; i += 100) {
    const got = await read(i, Math.min(i + 100, keys.length));
    for (let j = 0; j < got.length; j++) {
      const problem = readBackProblem(got[j], makeValue(i + j));
      if (problem) return `${problem} (key ${i + j})`;
    }
  }
  return null;
}

/** Prepares the job's workload; returns its measurement and the read-back verdict, or why it cannot run. */
async function prepare(job: Job, adapter: Adapter): Promise<{ measure: Measure; readBack: string | null } | { missing: string }> {
  const keys = makeKeys(job.keys, job.prefix);
  const values = makeValues(job.keys);
  const next = cursor(keys.length);
  const timed = (step: () => Promise<unknown>, opsPerStep: number): Measure =>
    job.metric === 'p50'
      ? (timeMs) => withCpu(job.clock, () => medianLatency(step, timeMs))
      : (timeMs) => withCpu(job.clock, () => throughput(awaited(step), opsPerStep, timeMs, job.clock));
  const timedSync = (step: () => unknown): Measure => (timeMs) => withCpu(job.clock, () => throughput(direct(step), 1, timeMs, job.clock));
  const readEach = (from: number, to: number) => Promise.all(keys.slice(from, to).map((key) => adapter.get(key)));

  switch (job.operation) {
    case 'get':
    case 'set': {
      await prefill(adapter, keys, values);
      if (job.setup.mode === 'two-tier') await verify(keys, readEach); // first read fills L1 where set did not
      const readBack = await verify(keys, readEach);
      const step =
        job.operation === 'set'
          ? () => { const i = next(); return adapter.set(keys[i] as string, values[i] as JsonObject); }
          : job.inFlight > 1
            ? () => Promise.all(keys.map((key) => adapter.get(key)))
            : () => adapter.get(keys[next()] as string);
      return { measure: timed(step, job.inFlight > 1 ? keys.length : 1), readBack };
    }
    case 'getSync':
    case 'setSync': {
      const { getSync, setSync } = adapter;
      if ('missing' in getSync) return getSync;
      if ('missing' in setSync) return setSync;
      for (let i = 0; i < keys.length; i++) setSync(keys[i] as string, values[i] as JsonObject);
      const readBack = await verify(keys, async (from, to) => keys.slice(from, to).map((key) => getSync(key)));
      const step =
        job.operation === 'setSync'
          ? () => { const i = next(); return setSync(keys[i] as string, values[i] as JsonObject); }
          : () => getSync(keys[next()] as string);
      return { measure: timedSync(step), readBack };
    }
    case 'getMany': {
      const getMany = adapter.getMany;
      if ('missing' in getMany) return getMany;
      await prefill(adapter, keys, values);
      const readBack = await verify(keys, (from, to) => getMany(keys.slice(from, to)));
      const batches = Array.from({ length: Math.floor(keys.length / job.batch) }, (_, b) => keys.slice(b * job.batch, (b + 1) * job.batch));
      const nextBatch = cursor(batches.length);
      return { measure: timed(() => getMany(batches[nextBatch()] as string[]), job.batch), readBack };
    }
    case 'getOrSetHit': {
      const getOrSet = adapter.getOrSet;
      if ('missing' in getOrSet) return getOrSet;
      await prefill(adapter, keys, values);
      let factoryCalls = 0;
      const factory = async (): Promise<JsonObject> => {
        factoryCalls++;
        return makeValue(-1);
      };
      const readBack = await verify(keys, (from, to) => Promise.all(keys.slice(from, to).map((key) => getOrSet(key, factory))));
      const measure = timed(() => getOrSet(keys[next()] as string, factory), 1);
      return {
        readBack: readBack ?? (factoryCalls > 0 ? `the factory ran ${factoryCalls} times for present keys` : null),
        measure: async (timeMs, round) => {
          const before = factoryCalls;
          const r = await measure(timeMs, round);
          return { ...r, note: factoryCalls > before ? `factory ran ${factoryCalls - before} times on hits` : null };
        },
      };
    }
    case 'stampede': {
      const getOrSet = adapter.getOrSet;
      if ('missing' in getOrSet) return getOrSet;
      return {
        readBack: null,
        measure: async (_timeMs, round) => {
          const key = `${job.prefix}cold:${round}`;
          let calls = 0;
          const factory = async (): Promise<JsonObject> => {
            calls++;
            await sleep(job.factoryMs);
            return makeValue(round);
          };
          const results = await Promise.all(Array.from({ length: job.callers }, () => getOrSet(key, factory)));
          const wrong = results.map((r) => readBackProblem(r, makeValue(round))).find((p) => p !== null);
          const stored = readBackProblem(await adapter.get(key), makeValue(round));
          const note = wrong ? `a caller ${wrong}` : stored ? `get after the stampede ${stored}` : null;
          return { value: calls, note, cpuUsPerOp: null, ops: 0 };
        },
      };
    }
  }
}

/** Untimed rounds until both the warm-up time and the warm-up operation count are reached. */
async function warmUp(measure: Measure, job: Job): Promise<void> {
  let ops = 0;
  const end = performance.now() + job.warmupMs;
  for (;;) {
    const done = (await measure(Math.max(20, job.warmupMs / 4), -1)).ops;
    ops += done;
    if (done === 0 || (performance.now() >= end && ops >= job.warmupOps)) return;
  }
}

let adapter: Adapter | null = null;
let measure: Measure | null = null;

async function onMessage(message: ParentMessage): Promise<void> {
  if (message.type === 'job') {
    const { job } = message;
    try {
      const { create } = await adapters[job.lib]();
      adapter = await create(job.setup);
      const prepared = await prepare(job, adapter);
      if ('missing' in prepared) {
        send({ type: 'unavailable', reason: prepared.missing, config: adapter.config });
        return;
      }
      measure = prepared.measure;
      if (job.metric !== 'calls') await warmUp(measure, job);
      send({ type: 'ready', config: adapter.config, readBack: prepared.readBack });
    } catch (error) {
      send({ type: 'failed', error: errorText(error) });
    }
  } else if (message.type === 'measure') {
    try {
      if (!measure) throw new Error('not prepared');
      const r = await measure(message.timeMs, message.round);
      send({ type: 'result', value: r.value, note: r.note, cpuUsPerOp: r.cpuUsPerOp });
    } catch (error) {
      send({ type: 'failed', error: errorText(error) });
    }
  } else {
    await Promise.race([adapter?.close().catch(() => undefined), sleep(3000)]);
    process.exit(0);
  }
}

process.on('message', (message: ParentMessage) => void onMessage(message));
process.on('disconnect', () => process.exit(0));
