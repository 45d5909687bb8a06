import { isFiniteNumber } from './monitor-options.js';

// Argument checks shared by the monitor's recording hooks: a call that fails one is dropped, never thrown.

/** A duration, size or cost: finite and not negative. */
export function isMeasure(value: unknown): value is number {
  return isFiniteNumber(value) && value >= 0;
}

/** A token or key count: a non-negative safe integer. */
export function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** A non-empty name (cache, model, operation). */
export function isName(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** `undefined` or a measure. */
export function isOptionalMeasure(value: unknown): value is number | undefined {
  return value === undefined || isMeasure(value);
}

/** `undefined` or a string. */
export function isOptionalString(value: unknown): value is string | undefined {
  return value === undefined || typeof value === 'string';
}

/** The error's class name (or its type), the only part of a failure the monitor logs. */
export function errorType(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
