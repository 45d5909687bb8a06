// @cache/memory InMemoryCache vs lru-cache 11, side by side in one run.
// Run: cd bench && node run.mjs memory   (build first: pnpm --filter @cache/memory build)
// Each task runs BATCH operations per iteration; ops/s = BATCH / mean iteration CPU time.
// Sync path: getSync/setSync vs lru.get/lru.set. Async path: cache.get/set vs lru-cache behind
// a one-line async wrapper. InMemoryCache runs with its defaults: statistics, memory accounting,
// TTL (default 3600 s) and the default logger, all on.
import { InMemoryCache } from '@cache/memory';
import { LRUCache } from 'lru-cache';
import { Bench } from 'tinybench';
import { createCoarseClock, type Clock } from '@cache/core';

const BATCH = 10_000;
/**
 * Timestamps are this process's CPU time (user + system), not wall time: on a shared 2-core
 * machine, time spent descheduled would otherwise land on whichever contender was running.
 */
const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const TIME_MS = Number(process.env['BENCH_TIME_MS'] ?? 1500);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);

type Value = { id: number; name: string; active: boolean };
const VALUE_POOL: Value[] = Array.from({ length: 1024 }, (_, i) => ({ id: i, name: `user-${i}`, active: i % 2 === 0 }));
const makeKeys = (n: number): string[] => Array.from({ length: n }, (_, i) => `user:${i}:profile`);

/** One-line async wrapper, the same shape as InMemoryCache's own async methods. */
function asyncLru(lru: LRUCache<string, Value>) {
  return {
    get: async (k: string): Promise<Value | null> => lru.get(k) ?? null,
    set: async (k: string, v: Value, ttlSeconds?: number): Promise<void> => void lru.set(k, v, ttlSeconds === undefined ? undefined : { ttl: ttlSeconds * 1000 }),
  };
}

interface Side {
  sync: () => void;
  async: () => Promise<void>;
}
type SideName = 'InMemoryCache' | 'InMemoryCache+coarseClock' | 'lru-cache';
interface Workload {
  name: string;
  sides: Record<SideName, () => Side>;
}
type Loops<C> = (cache: C) => Side;

// Loops are written once per cache type (direct method calls, monomorphic call sites); the two
// InMemoryCache instances share theirs, lru-cache gets its own.
function contenders(
  maxSize: number,
  lruTtlMs: number | undefined,
  prefill: (set: (k: string, v: Value, ttl?: number) => void) => void,
  oursLoops: Loops<InMemoryCache>,
  lruLoops: Loops<{ lru: LRUCache<string, Value>; lruA: ReturnType<typeof asyncLru> }>,
): Record<SideName, () => Side> {
  // Each contender is built and prefilled on first use, so the coarse-clock cache does not exist
  // (and cannot make the clock call site polymorphic) until phase 2.
  const lazily = (make: () => Side): (() => Side) => {
    let side: Side | undefined;
    return () => (side ??= make());
  };
  const ours = (clock?: Clock) => (): Side => {
    const cache = new InMemoryCache(clock === undefined ? { maxSize } : { maxSize, clock });
    prefill((k, v, ttl) => cache.setSync(k, v, ttl));
    return oursLoops(cache);
  };
  return {
    InMemoryCache: lazily(ours()),
    'InMemoryCache+coarseClock': lazily(ours(createCoarseClock())),
    'lru-cache': lazily(() => {
      const lru = new LRUCache<string, Value>(lruTtlMs === undefined ? { max: maxSize } : { max: maxSize, ttl: lruTtlMs });
      prefill((k, v, ttl) => void lru.set(k, v, ttl === undefined ? undefined : { ttl: ttl * 1000 }));
      return lruLoops({ lru, lruA: asyncLru(lru) });
    }),
  };
}

function getHits(): Workload {
  const n = 100_000;
  const keys = makeKeys(n);
  const next = (i: number): number => (i + 1 === n ? 0 : i + 1);
  return {
    name: 'get hits, 100k keys (maxSize 100k)',
    sides: contenders(
      n,
      undefined,
      (set) => keys.forEach((k, i) => set(k, VALUE_POOL[i & 1023] as Value)),
      (c) => {
        let a = 0, b = 0;
        return {
          sync: () => { for (let i = 0; i < BATCH; i++, a = next(a)) c.getSync(keys[a] as string); },
          async: async () => { for (let i = 0; i < BATCH; i++, b = next(b)) await c.get(keys[b] as string); },
        };
      },
      ({ lru, lruA }) => {
        let a = 0, b = 0;
        return {
          sync: () => { for (let i = 0; i < BATCH; i++, a = next(a)) lru.get(keys[a] as string); },
          async: async () => { for (let i = 0; i < BATCH; i++, b = next(b)) await lruA.get(keys[b] as string); },
        };
      },
    ),
  };
}

function setOverwrite(): Workload {
  const n = 100_000;
  const keys = makeKeys(n);
  const next = (i: number): number => (i + 1 === n ? 0 : i + 1);
  return {
    name: 'set overwrite, 100k keys',
    sides: contenders(
      n,
      undefined,
      (set) => keys.forEach((k, i) => set(k, VALUE_POOL[i & 1023] as Value)),
      (c) => {
        let a = 0, b = 0;
        return {
          sync: () => { for (let i = 0; i < BATCH; i++, a = next(a)) c.setSync(keys[a] as string, VALUE_POOL[(a + 7) & 1023]); },
          async: async () => { for (let i = 0; i < BATCH; i++, b = next(b)) await c.set(keys[b] as string, VALUE_POOL[(b + 7) & 1023]); },
        };
      },
      ({ lru, lruA }) => {
        let a = 0, b = 0;
        return {
          sync: () => { for (let i = 0; i < BATCH; i++, a = next(a)) lru.set(keys[a] as string, VALUE_POOL[(a + 7) & 1023] as Value); },
          async: async () => { for (let i = 0; i < BATCH; i++, b = next(b)) await lruA.set(keys[b] as string, VALUE_POOL[(b + 7) & 1023] as Value); },
        };
      },
    ),
  };
}

function setEvicting(): Workload {
  const max = 10_000;
  const n = 100_000;
  const keys = makeKeys(n);
  const next = (i: number): number => (i + 1 === n ? 0 : i + 1);
  // Cursors start past the prefilled keys and cycle through 10x maxSize keys: every set is a new key.
  return {
    name: 'set into full cache, maxSize 10k (every set evicts)',
    sides: contenders(
      max,
      undefined,
      (set) => keys.slice(0, max).forEach((k, i) => set(k, VALUE_POOL[i & 1023] as Value)),
      (c) => {
        let a = max, b = max;
        return {
          sync: () => { for (let i = 0; i < BATCH; i++, a = next(a)) c.setSync(keys[a] as string, VALUE_POOL[a & 1023]); },
          async: async () => { for (let i = 0; i < BATCH; i++, b = next(b)) await c.set(keys[b] as string, VALUE_POOL[b & 1023]); },
        };
      },
      ({ lru, lruA }) => {
        let a = max, b = max;
        return {
          sync: () => { for (let i = 0; i < BATCH; i++, a = next(a)) lru.set(keys[a] as string, VALUE_POOL[a & 1023] as Value); },
          async: async () => { for (let i = 0; i < BATCH; i++, b = next(b)) await lruA.set(keys[b] as string, VALUE_POOL[b & 1023] as Value); },
        };
      },
    ),
  };
}

function mixedWithTtl(): Workload {
  const n = 1_000_000;
  const keys = makeKeys(n);
  const TTLS = [30, 60, 300, 3600];
  // A fixed pseudo-random key sequence (LCG), the same for every contender.
  const seq = new Uint32Array(1 << 20);
  let x = 12345;
  for (let i = 0; i < seq.length; i++) {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    seq[i] = x % n;
  }
  const mask = seq.length - 1;
  return {
    name: 'mixed 90% get / 10% set with TTLs, 1M keys',
    sides: contenders(
      n,
      3_600_000,
      (set) => keys.forEach((k, i) => set(k, VALUE_POOL[i & 1023] as Value, TTLS[i & 3])),
      (c) => {
        let a = 0, b = 0;
        return {
          sync: () => {
            for (let i = 0; i < BATCH; i++, a = (a + 1) & mask) {
              const j = seq[a] as number;
              if (a % 10 === 0) c.setSync(keys[j] as string, VALUE_POOL[j & 1023], TTLS[a & 3]);
              else c.getSync(keys[j] as string);
            }
          },
          async: async () => {
            for (let i = 0; i < BATCH; i++, b = (b + 1) & mask) {
              const j = seq[b] as number;
              if (b % 10 === 0) await c.set(keys[j] as string, VALUE_POOL[j & 1023], TTLS[b & 3]);
              else await c.get(keys[j] as string);
            }
          },
        };
      },
      ({ lru, lruA }) => {
        let a = 0, b = 0;
        return {
          sync: () => {
            for (let i = 0; i < BATCH; i++, a = (a + 1) & mask) {
              const j = seq[a] as number;
              if (a % 10 === 0) lru.set(keys[j] as string, VALUE_POOL[j & 1023] as Value, { ttl: (TTLS[a & 3] as number) * 1000 });
              else lru.get(keys[j] as string);
            }
          },
          async: async () => {
            for (let i = 0; i < BATCH; i++, b = (b + 1) & mask) {
              const j = seq[b] as number;
              if (b % 10 === 0) await lruA.set(keys[j] as string, VALUE_POOL[j & 1023] as Value, TTLS[b & 3]);
              else await lruA.get(keys[j] as string);
            }
          },
        };
      },
    ),
  };
}

const opsPerSecond = (bench: Bench, name: string): number => {
  const task = bench.getTask(name);
  const result = task?.result;
  if (!result || !('latency' in result)) throw new Error(`task ${name} did not complete`);
  return (BATCH * 1000) / result.latency.mean;
};
const median = (xs: number[]): number => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)] as number;
const fmt = (ops: number): string => `${(ops / 1e6).toFixed(2)} M/s`;

/** Runs `names` of one workload/path for ROUNDS rounds; returns median ops/s per name and median ratio to lru-cache. */
async function measure(w: Workload, path: 'sync' | 'async', names: SideName[]): Promise<{ ops: Map<SideName, number>; ratio: Map<SideName, number> }> {
  const samples = new Map<SideName, number[]>(names.map((n) => [n, []]));
  const ratios = new Map<SideName, number[]>(names.map((n) => [n, []]));
  // Several rounds, each running the contenders back to back; medians damp machine noise.
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({ time: TIME_MS, warmupTime: 300, iterations: 8, now: cpuNow });
    for (const name of names) bench.add(name, w.sides[name]()[path]);
    await bench.run();
    const lruOps = opsPerSecond(bench, 'lru-cache');
    for (const name of names) {
      const ops = opsPerSecond(bench, name);
      samples.get(name)?.push(ops);
      ratios.get(name)?.push(ops / lruOps);
    }
  }
  return {
    ops: new Map(names.map((n) => [n, median(samples.get(n) ?? [])])),
    ratio: new Map(names.map((n) => [n, median(ratios.get(n) ?? [])])),
  };
}

// Phase 1, the target: InMemoryCache with its defaults (exact system clock) vs lru-cache.
// Phase 2, afterwards: the same with a coarse clock, showing what the per-call clock read costs.
// The phases are separate so phase 1 runs with a single Clock implementation, as a real process does.
const workloads = [getHits(), setOverwrite(), setEvicting(), mixedWithTtl()];
const rows: string[][] = [];
let short = 0;
for (const w of workloads) {
  for (const path of ['sync', 'async'] as const) {
    const r = await measure(w, path, ['InMemoryCache', 'lru-cache']);
    const ratio = r.ratio.get('InMemoryCache') as number;
    if (ratio < 0.8) short++;
    const row = [w.name, path, fmt(r.ops.get('InMemoryCache') as number), fmt(r.ops.get('lru-cache') as number), `${ratio.toFixed(2)}x`];
    rows.push(row);
    console.log(row.join('  '));
  }
}
const coarseRows: string[][] = [];
for (const w of workloads) {
  for (const path of ['sync', 'async'] as const) {
    const r = await measure(w, path, ['InMemoryCache+coarseClock', 'lru-cache']);
    const row = [w.name, path, fmt(r.ops.get('InMemoryCache+coarseClock') as number), fmt(r.ops.get('lru-cache') as number), `${(r.ratio.get('InMemoryCache+coarseClock') as number).toFixed(2)}x`];
    coarseRows.push(row);
    console.log(`coarse clock: ${row.join('  ')}`);
  }
}

const table = (title: string, head: string, body: string[][]): void => {
  console.log(`\n${title}\n\n| workload | path | ${head} | lru-cache 11 | ratio |\n|---|---|---|---|---|`);
  for (const r of body) console.log(`| ${r.join(' | ')} |`);
};
table('InMemoryCache (defaults: exact system clock, statistics, memory accounting) vs lru-cache 11', 'InMemoryCache', rows);
table('Same, with an injected coarse clock (Date.now() at most once per ms, as lru-cache ttlResolution)', 'InMemoryCache + coarse clock', coarseRows);
console.log(`\nnode ${process.version}, ${ROUNDS} rounds x ${TIME_MS} ms per contender, batches of ${BATCH} ops, CPU time; ratio = median of per-round ratios vs lru-cache`);
console.log(short > 0 ? `${short} workload/path pair(s) below the 0.8x target with the default (exact) clock` : 'every workload/path at or above 0.8x');
