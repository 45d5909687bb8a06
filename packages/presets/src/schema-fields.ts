import { z } from 'zod';
import { parseDuration, redactUrl } from '@cache/core';
import { describeValue, jsonTypeOf } from './describe-value.js';

// Field schemas whose messages are predicates ("must be …, got …"); the validator prefixes the field path.

type IssueLike = { readonly input?: unknown };

/** An integer in `min..max`; message "must be an integer between min and max, got <value>". */
export function intBetween(min: number, max: number) {
  const error = (iss: IssueLike): string => `must be an integer between ${min} and ${max}, got ${describeValue(iss.input)}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/** An integer ≥ 1; message "must be a positive integer, got <value>". */
export function positiveInt() {
  const error = (iss: IssueLike): string => `must be a positive integer, got ${describeValue(iss.input)}`;
  return z.number({ error }).int({ error }).min(1, { error });
}

/** Seconds in `min..max`, given as a number or a duration string (`'10m'`), normalised to seconds. */
export function durationBetween(min: number, max: number) {
  const message = (input: unknown): string =>
    `must be an integer between ${min} and ${max} (seconds, or a duration such as '10m'), got ${describeValue(input)}`;
  const error = (iss: IssueLike): string => message(iss.input);
  return z
    .union([z.number(), z.string()], { error })
    .transform((value, ctx) => {
      const seconds = parseDuration(value);
      if (seconds === undefined) {
        ctx.issues.push({ code: 'custom', message: message(value), input: value });
        return z.NEVER;
      }
      return seconds;
    })
    .pipe(z.number({ error }).int({ error }).min(min, { error }).max(max, { error }));
}

/** One of `values`; message "must be one of a, b, got <value>" (or "is required (one of a, b)" when absent). */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (iss: IssueLike) =>
      iss.input === undefined
        ? `is required (one of ${values.join(', ')})`
        : `must be one of ${values.join(', ')}, got ${describeValue(iss.input)}`,
  });
}

/** A boolean; message "must be a boolean, got <value>". */
export function bool() {
  return z.boolean({ error: (iss: IssueLike) => `must be a boolean, got ${describeValue(iss.input)}` });
}

/** A string (type only; the value is not echoed, it may be a secret or a path). */
export function str() {
  return z.string({ error: (iss: IssueLike) => `must be a string, got ${jsonTypeOf(iss.input)}` });
}

/** `null`, `''`, or a URL starting with `redis://` / `rediss://` (credentials masked in the message). */
export function redisUrl() {
  return str()
    .nullable()
    .refine((url) => url === null || url === '' || /^rediss?:\/\//.test(url), {
      error: (iss: IssueLike) =>
        `has an Invalid Redis URL format: must start with redis:// or rediss://, got ${
          typeof iss.input === 'string' ? JSON.stringify(redactUrl(iss.input)) : describeValue(iss.input)
        }`,
    });
}

// --- type-only schemas for overrides and files: "expects <type>, got <type>" ---

const expects =
  (kind: string) =>
  (iss: IssueLike): string =>
    `expects ${kind}, got ${jsonTypeOf(iss.input)}`;

/** Type check: an integer (`true`, `1.5`, `'3'` are refused). */
export function anInteger() {
  const error = expects('integer');
  return z.number({ error }).int({ error });
}

/** Type check: a finite number (integer-ness and ranges checked by the caller's rules). */
export function aNumber() {
  return z.number({ error: expects('number') });
}

/** Type check: whole seconds or a duration string, normalised to seconds (range left to the validator). */
export function aDuration() {
  const kind = "integer (seconds) or a duration string such as '10m'";
  const error = expects(kind);
  return z
    .union([z.number(), z.string()], { error })
    .transform((value, ctx) => {
      const seconds = parseDuration(value);
      if (seconds === undefined) {
        ctx.issues.push({ code: 'custom', message: `expects ${kind}, got invalid duration ${describeValue(value)}`, input: value });
        return z.NEVER;
      }
      return seconds;
    })
    .pipe(z.number().int({ error }));
}

/** Type check: a boolean (`1`, `'yes'` are refused). */
export function aBoolean() {
  return z.boolean({ error: expects('boolean') });
}

/** Type check: a string. */
export function aString() {
  return z.string({ error: expects('string') });
}

/** Type check: an object whose values match `value`. */
export function aMapOf<T extends z.ZodType<number, unknown>>(value: T) {
  return z.record(z.string(), value, { error: expects('object') });
}
