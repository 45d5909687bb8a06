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
