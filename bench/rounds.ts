// Shared by redis.bench.ts and redis-ai.bench.ts: contenders measured in alternating rounds, medians
// reported, and the result table printed.
import { Bench } from 'tinybench';

/** Milliseconds each contender runs per round (env `BENCH_TIME_MS`, default 1000). */
export const TIME_MS = Number(process.env['BENCH_TIME_MS'] ?? 1000);
/** Rounds per comparison (env `BENCH_ROUNDS`, default 3). */
export const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);

/** The median of `xs` (NaN when empty). */
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** `n` with thousands separators and `digits` decimals. */
export const fmt = (n: number, digits = 1): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Median p50 and mean latency (µs) and throughput (iterations/s) of one task. */
export interface RoundsResult {
  p50Us: number;
  meanUs: number;
  opsPerSec: number;
}

/**
 * Runs every task for {@link TIME_MS} in each of {@link ROUNDS} rounds, the order reversed every
 * other round so no contender always runs first; medians over the rounds.
 */
export async function measureRounds(tasks: Record<string, () => unknown>): Promise<Record<string, RoundsResult>> {
  const samples: Record<string, { p50: number[]; mean: number[] }> = {};
  for (let round = 0; round < ROUNDS; round++) {
    const names = Object.keys(tasks);
    if (round % 2 === 1) names.reverse();
    for (const name of names) {
      const bench = new Bench({ time: TIME_MS, warmupTime: 200 });
      bench.add(name, tasks[name]!);
      await bench.run();
      const result = bench.tasks[0]?.result;
      if (!result || !('latency' in result)) throw new Error(`task ${name} did not complete`);
      (samples[name] ??= { p50: [], mean: [] }).p50.push(result.latency.p50);
      samples[name]!.mean.push(result.latency.mean);
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, s]) => [name, { p50Us: median(s.p50) * 1000, meanUs: median(s.mean) * 1000, opsPerSec: 1000 / median(s.mean) }]),
  );
}

/** Prints `title` and the rows `[name, value, ratio]` as aligned columns. */
export function printTable(title: string, rows: ReadonlyArray<readonly [string, string, string]>, valueWidth = 34): void {
  console.log(`\n${title}`);
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [name, value, ratio] of rows) console.log(`${name.padEnd(width)}  ${value.padEnd(valueWidth)}  ${ratio}`);
}

/** One round of one contender in {@link measureSequential}: wall p50 and CPU per operation. */
export interface SequentialRound {
  p50Us: number;
  cpuUs: number;
}

/** Per contender, every round in order (round `i` of two contenders ran back to back). */
export type SequentialRounds = Record<string, SequentialRound[]>;

/**
 * Awaits each task one at a time (one operation in flight) for {@link TIME_MS} per round, after a
 * short warm-up, in {@link ROUNDS} rounds whose order alternates (A B, B A, …), so contenders of
 * one round share the machine's load. Per round: the p50 of the wall latencies and the process CPU
 * time (user + system, all threads) per operation, which waiting on the server does not inflate.
 */
export async function measureSequential(tasks: Record<string, () => Promise<unknown>>): Promise<SequentialRounds> {
  const rounds: SequentialRounds = {};
  const latencies = new Float64Array(1 << 20);
  for (let round = 0; round < ROUNDS; round++) {
    const names = Object.keys(tasks);
    if (round % 2 === 1) names.reverse();
    for (const name of names) {
      const task = tasks[name]!;
      for (let i = 0; i < 200; i++) await task();
      let n = 0;
      const cpu = process.cpuUsage();
      const end = performance.now() + TIME_MS;
      let t = performance.now();
      while (t < end && n < latencies.length) {
        await task();
        const now = performance.now();
        latencies[n++] = now - t;
        t = now;
      }
      const used = process.cpuUsage(cpu);
      const sorted = latencies.subarray(0, n).sort();
      (rounds[name] ??= []).push({ p50Us: (sorted[n >> 1] ?? NaN) * 1000, cpuUs: (used.user + used.system) / n });
    }
  }
  return rounds;
}

/** Median over rounds of `pick(round of a) / pick(round of b)`: each ratio pairs two contenders of the same round. */
export const pairedRatio = (rounds: SequentialRounds, a: string, b: string, pick: (r: SequentialRound) => number): number =>
  median(rounds[a]!.map((r, i) => pick(r) / pick(rounds[b]![i]!)));

/**
 * CPU µs per call of synchronous tasks, `batch` calls per sample, in {@link ROUNDS} rounds whose
 * order alternates; per task the median and the best round.
 */
export function measureCpu(tasks: Record<string, () => unknown>, batch: number): Record<string, { medianUs: number; bestUs: number; rounds: number[] }> {
  const samples: Record<string, number[]> = {};
  for (const task of Object.values(tasks)) for (let i = 0; i < Math.min(batch, 500); i++) task();
  for (let round = 0; round < ROUNDS; round++) {
    const names = Object.keys(tasks);
    if (round % 2 === 1) names.reverse();
    for (const name of names) {
      const task = tasks[name]!;
      const cpu = process.cpuUsage();
      for (let i = 0; i < batch; i++) task();
      const used = process.cpuUsage(cpu);
      (samples[name] ??= []).push((used.user + used.system) / batch);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, xs]) => [name, { medianUs: median(xs), bestUs: Math.min(...xs), rounds: xs }]));
}
