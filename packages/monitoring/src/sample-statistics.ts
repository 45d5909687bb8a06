/** Summary of a numeric sample: plain arithmetic mean (no rounding), median, min and max. */
export interface SampleSummary {
  readonly mean: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Summarises `count` values read by `valueAt` (count ≥ 1). Median is the middle value, or the mean of the two middle
 * values for an even count.
 */
export function summarize(count: number, valueAt: (index: number) => number): SampleSummary {
  const sorted = new Float64Array(count);
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const v = valueAt(i);
    sorted[i] = v;
    sum += v;
  }
  sorted.sort();
  const mid = count >>> 1;
  const median = count % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { mean: sum / count, median, min: sorted[0] as number, max: sorted[count - 1] as number };
}

/** Mean of the fastest ⌊0.8·n⌋ values (at least one); 0 for an empty sample. Baseline for slow-operation detection. */
export function fastBaseline(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const take = Math.max(1, Math.floor(0.8 * sorted.length));
  let sum = 0;
  for (let i = 0; i < take; i++) sum += sorted[i] as number;
  return sum / take;
}

/** Bytes to mebibytes. */
export function toMb(bytes: number): number {
  return bytes / 1024 / 1024;
}
