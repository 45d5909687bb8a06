/**
 * A length of time: a number in the unit documented where it is used (seconds for `ttl`, `grace`
 * and `defaultTtl`; milliseconds for timeouts), or a string of whole-number parts with units
 * `ms`, `s`, `m`, `h`, `d`, `w` such as `'250ms'`, `'90s'`, `'10m'`, `'1h30m'`, `'2d'`, `'1w'`
 * (a string of bare digits is a number in the documented unit).
 */
export type Duration = number | string;

/** The unit a bare number stands for, and the unit {@link parseDuration} answers in. */
export type DurationUnit = 's' | 'ms';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const WHOLE = /^\s*(?:\d+\s*(?:ms|s|m|h|d|w)\s*)+$/;
const PART = /(\d+)\s*(ms|s|m|h|d|w)/g;
const DIGITS = /^\s*\d+\s*$/;

/**
 * The one duration parser of every `@cache/*` package: `value` expressed in `unit` (default
 * seconds). Numbers pass through unchanged (range checks belong to the caller); strings are bare
 * digits (taken in `unit`) or `<int><unit>` parts, optionally separated by spaces, which add up
 * (`'1h 30m'`). Anything else (`'1.5h'`, `'1H'`, `'-5'`, `''`, non-strings) → `undefined`.
 * `parseDuration('500ms')` is `0.5` (seconds); `parseDuration('2s', 'ms')` is `2000`.
 */
export function parseDuration(value: unknown, unit: DurationUnit = 's'): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  if (DIGITS.test(value)) return Number(value.trim());
  if (!WHOLE.test(value)) return undefined;
  let ms = 0;
  for (const m of value.matchAll(PART)) ms += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  return unit === 'ms' ? ms : ms / 1000;
}
