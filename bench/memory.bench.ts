// @cache/memory InMemoryCache vs lru-cache 11, side by side in one run.
// Run: cd bench && node run.mjs memory   (build first: pnpm --filter @cache/memory build)
// Each task runs BATCH operations per iteration; ops/s = BATCH / mean iteration time.
// Sync path: getSync/setSync vs lru.get/lru.set. Async path: cache.get/set vs lru-cache behind
// a one-line async wrapper. InMemoryCache runs with its defaults: statistics, memory accounting,
// TTL (default 3600 s) and the default logger, all on.
import { InMemoryCache } from '@cache/memory';
import { LRUCache } from 'lru-cache';
import { Bench } from 'tinybench';

const BATCH = 10_000;
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
interface Workload {
  name: string;
  ours: Side;
  lru: Side;
}

function getHits(): Workload {
  const n = 100_000;
  const keys = makeKeys(n);
  const ours = new InMemoryCache({ maxSize: n });
  const lru = new LRUCache<string, Value>({ max: n });
  const lruA = asyncLru(lru);
  keys.forEach((k, i) => {
    ours.setSync(k, VALUE_POOL[i & 1023]);
    lru.set(k, VALUE_POOL[i & 1023] as Value);
  });
  let a = 0, b = 0, c = 0, d = 0;
  return {
    name: 'get hits, 100k keys (maxSize 100k)',
    ours: {
      sync: () => { for (let i = 0; i < BATCH; i++) { ours.getSync(keys[a] as string); a = a + 1 === n ? 0 : a + 1; } },
      async: async () => { for (let i = 0; i < BATCH; i++) { await ours.get(keys[b] as string); b = b + 1 === n ? 0 : b + 1; } },
    },
    lru: {
      sync: () => { for (let i = 0; i < BATCH; i++) { lru.get(keys[c] as string); c = c + 1 === n ? 0 : c + 1; } },
      async: async () => { for (let i = 0; i < BATCH; i++) { await lruA.get(keys[d] as string); d = d + 1 === n ? 0 : d + 1; } },
    },
  };
}

function setOverwrite(): Workload {
  const n = 100_000;
  const keys = makeKeys(n);
  const ours = new InMemoryCache({ maxSize: n });
  const lru = new LRUCache<string, Value>({ max: n });
  const lruA = asyncLru(lru);
  keys.forEach((k, i) => {
    ours.setSync(k, VALUE_POOL[i & 1023]);
    lru.set(k, VALUE_POOL[i & 1023] as Value);
  });
  let a = 0, b = 0, c = 0, d = 0;
  return {
    name: 'set overwrite, 100k keys',
    ours: {
      sync: () => { for (let i = 0; i < BATCH; i++) { ours.setSync(keys[a] as string, VALUE_POOL[(a + 7) & 1023]); a = a + 1 === n ? 0 : a + 1; } },
      async: async () => { for (let i = 0; i < BATCH; i++) { await ours.set(keys[b] as string, VALUE_POOL[(b + 7) & 1023]); b = b + 1 === n ? 0 : b + 1; } },
    },
    lru: {
      sync: () => { for (let i = 0; i < BATCH; i++) { lru.set(keys[c] as string, VALUE_POOL[(c + 7) & 1023] as Value); c = c + 1 === n ? 0 : c + 1; } },
      async: async () => { for (let i = 0; i < BATCH; i++) { await lruA.set(keys[d] as string, VALUE_POOL[(d + 7) & 1023] as Value); d = d + 1 === n ? 0 : d + 1; } },
    },
  };
}

function setEvicting(): Workload {
  const max = 10_000;
  const n = 100_000;
  const keys = makeKeys(n);
  const ours = new InMemoryCache({ maxSize: max });
  const lru = new LRUCache<string, Value>({ max });
  const lruA = asyncLru(lru);
  for (let i = 0; i < max; i++) {
    ours.setSync(keys[i] as string, VALUE_POOL[i & 1023]);
    lru.set(keys[i] as string, VALUE_POOL[i & 1023] as Value);
  }
  // Cursors start past the prefilled keys and cycle through 10x maxSize keys: every set is a new key.
  let a = max, b = max, c = max, d = max;
  return {
    name: 'set into full cache, maxSize 10k (every set evicts)',
    ours: {
      sync: () => { for (let i = 0; i < BATCH; i++) { ours.setSync(keys[a] as string, VALUE_POOL[a & 1023]); a = a + 1 === n ? 0 : a + 1; } },
      async: async () => { for (let i = 0; i < BATCH; i++) { await ours.set(keys[b] as string, VALUE_POOL[b & 1023]); b = b + 1 === n ? 0 : b + 1; } },
    },
    lru: {
      sync: () => { for (let i = 0; i < BATCH; i++) { lru.set(keys[c] as string, VALUE_POOL[c & 1023] as Value); c = c + 1 === n ? 0 : c + 1; } },
      async: async () => { for (let i = 0; i < BATCH; i++) { await lruA.set(keys[d] as string, VALUE_POOL[d & 1023] as Value); d = d + 1 === n ? 0 : d + 1; } },
    },
  };
}

function mixedWithTtl(): Workload {
  const n = 1_000_000;
  const keys = makeKeys(n);
  const TTLS = [30, 60, 300, 3600];
  const ours = new InMemoryCache({ maxSize: n });
  const lru = new LRUCache<string, Value>({ max: n, ttl: 3_600_000 });
  const lruA = asyncLru(lru);
  keys.forEach((k, i) => {
    const ttl = TTLS[i & 3] as number;
    ours.setSync(k, VALUE_POOL[i & 1023], ttl);
    lru.set(k, VALUE_POOL[i & 1023] as Value, { ttl: ttl * 1000 });
  });
  // A fixed pseudo-random key sequence (LCG), the same for both caches.
  const seq = new Uint32Array(1 << 20);
  let x = 12345;
  for (let i = 0; i < seq.length; i++) {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    seq[i] = x % n;
  }
  const mask = seq.length - 1;
  let a = 0, b = 0, c = 0, d = 0;
  return {
    name: 'mixed 90% get / 10% set with TTLs, 1M keys',
    ours: {
      sync: () => {
        for (let i = 0; i < BATCH; i++, a = (a + 1) & mask) {
          const j = seq[a] as number;
          if (a % 10 === 0) ours.setSync(keys[j] as string, VALUE_POOL[j & 1023], TTLS[a & 3]);
          else ours.getSync(keys[j] as string);
        }
      },
      async: async () => {
        for (let i = 0; i < BATCH; i++, b = (b + 1) & mask) {
          const j = seq[b] as number;
          if (b % 10 === 0) await ours.set(keys[j] as string, VALUE_POOL[j & 1023], TTLS[b & 3]);
          else await ours.get(keys[j] as string);
        }
      },
    },
    lru: {
      sync: () => {
        for (let i = 0; i < BATCH; i++, c = (c + 1) & mask) {
          const j = seq[c] as number;
          if (c % 10 === 0) lru.set(keys[j] as string, VALUE_POOL[j & 1023] as Value, { ttl: (TTLS[c & 3] as number) * 1000 });
          else lru.get(keys[j] as string);
        }
      },
      async: async () => {
        for (let i = 0; i < BATCH; i++, d = (d + 1) & mask) {
          const j = seq[d] as number;
          if (d % 10 === 0) await lruA.set(keys[j] as string, VALUE_POOL[j & 1023] as Value, TTLS[d & 3]);
          else await lruA.get(keys[j] as string);
        }
      },
    },
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

const rows: string[][] = [];
let short = 0;
for (const make of [getHits, setOverwrite, setEvicting, mixedWithTtl]) {
  const w = make();
  for (const path of ['sync', 'async'] as const) {
    const oursOps: number[] = [];
    const lruOps: number[] = [];
    const ratios: number[] = [];
    // Alternate the two sides over several rounds and report medians, to damp machine noise.
    for (let round = 0; round < ROUNDS; round++) {
      const bench = new Bench({ time: TIME_MS, warmupTime: 300, iterations: 8 });
      bench.add('ours', w.ours[path]).add('lru', w.lru[path]);
      await bench.run();
      const o = opsPerSecond(bench, 'ours');
      const l = opsPerSecond(bench, 'lru');
      oursOps.push(o);
      lruOps.push(l);
      ratios.push(o / l);
    }
    const ratio = median(ratios);
    if (ratio < 0.8) short++;
    rows.push([w.name, path, fmt(median(oursOps)), fmt(median(lruOps)), `${ratio.toFixed(2)}x`, ratio >= 0.8 ? 'ok' : 'BELOW 0.8']);
    console.log(`${w.name} [${path}]: InMemoryCache ${fmt(median(oursOps))}, lru-cache ${fmt(median(lruOps))}, ratio ${ratio.toFixed(2)}`);
  }
  (globalThis as { gc?: () => void }).gc?.();
}

console.log('\n| workload | path | InMemoryCache | lru-cache 11 | ratio | target 0.8 |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log(`\nnode ${process.version}, ${ROUNDS} rounds x ${TIME_MS} ms per side, batches of ${BATCH} ops; ratio = median of per-round ratios`);
if (short > 0) console.log(`${short} workload/path pair(s) below 0.8x`);
