// @cache/monitoring: recording cost and bounded memory, side by side in one run.
// Run: cd bench && node run.mjs monitoring   (build first: pnpm --filter @cache/monitoring build)
// Each task runs BATCH recordings per iteration; calls/s = BATCH / mean iteration time. Compared against:
//   - a trivial baseline (counter + write into a preallocated Float64Array ring: the floor of any recorder),
//   - the original's list design (append an object, then filter by retention and slice to the newest N),
//   - prom-client 15 Histogram.observe with two labels (the peer most services already run).
// Then: heap after 1 M and 10 M records with --expose-gc (run.mjs passes it), and estimateSize on 1000 entries.
import { CachePerformanceMonitor, estimateSize } from '@cache/monitoring';
import { Histogram, Registry } from 'prom-client';
import { Bench } from 'tinybench';

const BATCH = 10_000;
const TIME_MS = Number(process.env['BENCH_TIME_MS'] ?? 1500);
const OPS = ['get', 'get', 'get', 'set', 'delete', 'exists', 'get', 'set'] as const;
const EXTRAS = [Object.freeze({ tier: 'l1', reason: 'hit' }), Object.freeze({ tier: 'redis', reason: 'hit' }), undefined];
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const gc = (globalThis as { gc?: () => void }).gc;

function promHistogram(): Histogram<'operation' | 'tier'> {
  return new Histogram({ name: 'bench_op_seconds', help: 'bench', labelNames: ['operation', 'tier'], registers: [new Registry()] });
}

function trivialBaseline() {
  const durations = new Float64Array(1000);
  let head = 0;
  let hits = 0;
  return (op: string, ms: number, hit: boolean) => {
    if (op === 'get' && hit) hits++;
    durations[head] = ms;
    head = head + 1 === 1000 ? 0 : head + 1;
    return hits;
  };
}

function originalListDesign() {
  let items: Array<{ durationMs: number; timestamp: number; operationType: string; cacheHit: boolean }> = [];
  const retentionMs = 3_600_000;
  return (op: string, ms: number, hit: boolean) => {
    const now = Date.now();
    items.push({ durationMs: ms, timestamp: now, operationType: op, cacheHit: hit });
    items = items.filter((m) => m.timestamp > now - retentionMs).slice(-1000);
  };
}

async function throughput(): Promise<number> {
  const monitor = new CachePerformanceMonitor({ logger: silent });
  const base = trivialBaseline();
  const list = originalListDesign();
  const hist = promHistogram();
  let a = 0, b = 0, c = 0, d = 0;
  const bench = new Bench({ time: TIME_MS, warmupTime: 300 });
  bench.add('trivial baseline (counter + typed-array ring)', () => {
    for (let i = 0; i < BATCH; i++, a++) base(OPS[a & 7] as string, (a & 15) * 0.1, (a & 1) === 0);
  });
  bench.add('CachePerformanceMonitor.recordCacheOperationTime', () => {
    for (let i = 0; i < BATCH; i++, b++) {
      monitor.recordCacheOperationTime(OPS[b & 7] as string, (b & 15) * 0.1, (b & 1) === 0, undefined, EXTRAS[b % 3]);
    }
  });
  bench.add('original list design (push + filter + slice)', () => {
    for (let i = 0; i < BATCH / 100; i++, c++) list(OPS[c & 7] as string, (c & 15) * 0.1, (c & 1) === 0);
  });
  bench.add('prom-client Histogram.observe (2 labels)', () => {
    for (let i = 0; i < BATCH; i++, d++) hist.observe({ operation: OPS[d & 7] as string, tier: d % 3 === 0 ? 'l1' : 'redis' }, (d & 15) * 0.0001);
  });
  await bench.run();
  const perSecond = new Map<string, number>();
  for (const task of bench.tasks) {
    const r = task.result;
    if (r.state !== 'completed') throw new Error(`${task.name}: ${r.state}`);
    const calls = task.name.startsWith('original') ? BATCH / 100 : BATCH;
    perSecond.set(task.name, (calls / r.latency.mean) * 1000);
  }
  const ours = perSecond.get('CachePerformanceMonitor.recordCacheOperationTime') ?? 0;
  console.log('\nrecording throughput (calls/s, higher is better; ratio = ours / other)');
  for (const [name, rate] of perSecond) {
    console.log(`  ${name.padEnd(52)} ${Math.round(rate).toLocaleString('en-US').padStart(14)}   ratio ${(ours / rate).toFixed(2)}x`);
  }
  console.log(`  target >= 1,000,000 calls/s: ${ours >= 1_000_000 ? 'PASS' : 'FAIL'}`);
  return ours;
}

function heapMb(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 1048576;
}

function boundedMemory(): boolean {
  if (gc === undefined) {
    console.log('\nheap check skipped: run with --expose-gc (bench/run.mjs does)');
    return true;
  }
  const monitor = new CachePerformanceMonitor({ logger: silent });
  let n = 0;
  const record = (count: number) => {
    for (let i = 0; i < count; i++, n++) {
      monitor.recordCacheOperationTime(OPS[n & 7] as string, (n & 15) * 0.1, (n & 1) === 0, n & 255, EXTRAS[n % 3]);
      if ((n & 1023) === 0) {
        monitor.recordKeyGenerationTime(0.05, 100, 'chat');
        monitor.recordCompressionRatio(4000, 1000, 0.3, 'zlib');
      }
    }
  };
  const before = heapMb();
  record(1_000_000);
  const at1M = heapMb();
  const started = performance.now();
  record(9_000_000);
  const seconds = (performance.now() - started) / 1000;
  const at10M = heapMb();
  const growth = at10M - at1M;
  console.log('\nheap after records (MB, after gc)');
  console.log(`  before: ${before.toFixed(2)}   after 1M: ${at1M.toFixed(2)}   after 10M: ${at10M.toFixed(2)}   growth 1M→10M: ${growth.toFixed(2)} MB`);
  console.log(`  (9M records in ${seconds.toFixed(2)} s = ${Math.round(9_000_000 / seconds).toLocaleString('en-US')} calls/s; retained ${monitor.cacheOperationTimes.length}; totalOperations ${monitor.totalOperations.toLocaleString('en-US')})`);
  const flat = Math.abs(growth) < 1;
  console.log(`  memory flat after 10M records (|growth| < 1 MB): ${flat ? 'PASS' : 'FAIL'}`);
  return flat;
}

function estimator(): boolean {
  const entries = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`user:${i}`, { id: i, name: `n${i}`, tags: ['a', 'b'] }]));
  estimateSize(entries);
  const rounds = 20;
  const started = performance.now();
  let size = 0;
  for (let i = 0; i < rounds; i++) size = estimateSize(entries);
  const ms = (performance.now() - started) / rounds;
  console.log(`\nestimateSize of 1000 small entries: ${ms.toFixed(3)} ms (${size} bytes); target < 100 ms: ${ms < 100 ? 'PASS' : 'FAIL'}`);
  return ms < 100;
}

const ours = await throughput();
const flat = boundedMemory();
const fast = estimator();
if (ours < 1_000_000 || !flat || !fast) process.exitCode = 1;
