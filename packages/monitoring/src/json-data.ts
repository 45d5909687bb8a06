/** Plain JSON data as stored in a metric's `additionalData`: frozen, cycle-free, round-trips through JSON. */
export type JsonData = null | boolean | number | string | readonly JsonData[] | { readonly [key: string]: JsonData };

/** The shared empty `additionalData`. */
export const EMPTY_DATA: Readonly<Record<string, JsonData>> = Object.freeze({});

// Frozen inputs cannot change, so their snapshot is taken once; snapshots map to themselves.
const snapshots = new WeakMap<object, Readonly<Record<string, JsonData>>>();

/**
 * Snapshot of `value` as frozen JSON data, following `JSON.stringify` rules (undefined, functions and symbols are
 * dropped from objects and become `null` in arrays, non-finite numbers become `null`, dates become ISO strings) with
 * two safe departures: bigints become decimal strings and a repeated (cyclic) reference becomes `'[Circular]'`.
 * Anything that is not a non-array object yields the shared empty object. Never throws.
 */
export function toDataRecord(value: unknown): Readonly<Record<string, JsonData>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return EMPTY_DATA;
  const known = snapshots.get(value);
  if (known !== undefined) return known;
  const snapshot = convertObject(value, new Set());
  if (Object.isFrozen(value)) snapshots.set(value, snapshot);
  snapshots.set(snapshot, snapshot);
  return snapshot;
}

function convert(value: unknown, path: Set<object>): JsonData | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value.toString();
    case 'object':
      if (value === null) return null;
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
      if (path.has(value)) return '[Circular]';
      if (Array.isArray(value)) return convertArray(value, path);
      return convertObject(value, path);
    default:
      return undefined;
  }
}

function convertArray(value: readonly unknown[], path: Set<object>): readonly JsonData[] {
  path.add(value);
  const out: JsonData[] = [];
  for (let i = 0; i < value.length; i++) out.push(readSafely(() => convert(value[i], path)) ?? null);
  path.delete(value);
  return Object.freeze(out);
}

function convertObject(value: object, path: Set<object>): Readonly<Record<string, JsonData>> {
  path.add(value);
  const entries: Array<[string, JsonData]> = [];
  const keys = readSafely(() => Object.keys(value)) ?? [];
  for (const key of keys) {
    const converted = readSafely(() => convert((value as Record<string, unknown>)[key], path));
    if (converted !== undefined) entries.push([key, converted]);
  }
  path.delete(value);
  return Object.freeze(Object.fromEntries(entries));
}

// Getters and proxies may throw; such a property is treated as absent.
function readSafely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
