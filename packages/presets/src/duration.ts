/** A duration at the input edge: whole seconds, or a human string such as `'90s'`, `'10m'`, `'1h30m'`, `'2d'`, `'1w'`. */
export type DurationInput = number | string;

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const WHOLE = /^\s*(?:\d+\s*[smhdw]\s*)+$/;
const PART = /(\d+)\s*([smhdw])/g;
const DIGITS = /^\s*\d+\s*$/;

/**
 * Normalises a duration to seconds. Numbers pass through unchanged (range checks belong to the
 * validator); strings are either plain digits (seconds) or `<int><unit>` parts with units
 * s, m, h, d, w. Anything else (`'1.5h'`, `'500ms'`, `''`, non-string non-number) → `undefined`.
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  if (DIGITS.test(value)) return Number(value.trim());
  if (!WHOLE.test(value)) return undefined;
  let total = 0;
  for (const m of value.matchAll(PART)) total += Number(m[1]) * (UNIT_SECONDS[m[2] as string] as number);
  return total;
}
