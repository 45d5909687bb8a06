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

/** One measurement: returns the row's number for one round. */
type Measure = (timeMs: number, round: number) => Promise<{ value: number; note: string | null }>;

/** This process's CPU time (user + system), ms: in-process work is not charged for time spent descheduled. */
const cpuNow = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** Runs `step` (each resolving `opsPerStep` operations, one await per call) for `timeMs`; ops per second. */
async function throughput(step: () => Promise<unknown>, opsPerStep: number, timeMs: number, clock: Job['clock']): Promise<number> {
  const now = clock === 'cpu' ? cpuNow : () => performance.now();
  const stepsPerCheck = Math.max(1, Math.floor(512 / opsPerStep));
  let ops = 0;
  const start = now();
  let elapsed = 0;
  do {
    for (let i = 0; i < stepsPerCheck; i++) await step();
    ops += stepsPerCheck * opsPerStep;
    elapsed = now() - start;
  } while (elapsed < timeMs);
  return (ops * 1000) / elapsed;
}

/** Times single requests one after another for `timeMs`; the median, µs. */
async function medianLatency(step: () => Promise<unknown>, timeMs: number): Promise<number> {
  const samples: number[] = [];
  const end = performance.now() + timeMs;
  while (performance.now() < end || samples.length < 50) {
    const t0 = performance.now();
    await step();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return (samples[samples.length >> 1] as number) * 1000;
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
      ? async (timeMs) => ({ value: await medianLatency(step, timeMs), note: null })
      : async (timeMs) => ({ value: await throughput(step, opsPerStep, timeMs, job.clock), note: null });
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
          return { value: r.value, note: factoryCalls > before ? `factory ran ${factoryCalls - before} times on hits` : null };
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
          return { value: calls, note };
        },
      };
    }
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
      if (job.metric !== 'calls') await measure(job.warmupMs, -1);
      send({ type: 'ready', config: adapter.config, readBack: prepared.readBack });
    } catch (error) {
      send({ type: 'failed', error: errorText(error) });
    }
  } else if (message.type === 'measure') {
    try {
      if (!measure) throw new Error('not prepared');
      const r = await measure(message.timeMs, message.round);
      send({ type: 'result', value: r.value, note: r.note });
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
