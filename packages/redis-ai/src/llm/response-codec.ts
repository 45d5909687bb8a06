import { ValidationError } from '@cache/core';
import type { LlmResponse, LlmUsage } from './request.js';

/**
 * The explicit encoding of stored responses: plain JSON where values that JSON cannot carry are
 * single-key tag objects — `{$date: epochMs}`, `{$bytes: base64}` (any binary view comes back as a
 * `Uint8Array`), `{$url: href}`, `{$undef: 1}` (an `undefined` member or item), `{$num: '-0' |
 * 'NaN' | 'Infinity' | '-Infinity'}`, `{$bigint: digits}` — and an object that has a key starting
 * with `$` is wrapped as `{$obj: …}`, so a tag can never be forged by data. Anything else that is
 * not plain data (functions, symbols, Maps, class instances, cycles) is refused.
 */

const MAX_DEPTH = 64;

function refuse(what: string): never {
  throw new ValidationError(`Response cannot be stored: ${what}`, { code: 'UNSTORABLE_RESPONSE', context: { reason: what } });
}

function encodeNumber(n: number): unknown {
  if (Number.isFinite(n)) return Object.is(n, -0) ? { $num: '-0' } : n;
  return { $num: Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity' };
}

/** JSON-safe form of `value` (see the module doc); refused values throw `ValidationError` `UNSTORABLE_RESPONSE`. */
export function encodeValue(value: unknown, depth = 0): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return encodeNumber(value);
    case 'undefined':
      return { $undef: 1 };
    case 'bigint':
      return { $bigint: value.toString() };
    case 'object':
      break;
    default:
      return refuse(`a ${typeof value} is not data`);
  }
  if (value === null) return null;
  if (depth >= MAX_DEPTH) refuse(`nesting deeper than ${MAX_DEPTH} levels (or a cycle)`);
  if (Array.isArray(value)) return value.map((item: unknown) => encodeValue(item, depth + 1));
  if (value instanceof Date) return { $date: value.getTime() };
  if (ArrayBuffer.isView(value)) return { $bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (value instanceof URL) return { $url: value.href };
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) refuse('a class instance is not data');
  const out: Record<string, unknown> = {};
  let escaped = false;
  for (const key of Object.keys(value)) {
    if (key.charCodeAt(0) === 36) escaped = true;
    out[key] = encodeValue((value as Record<string, unknown>)[key], depth + 1);
  }
  return escaped ? { $obj: out } : out;
}

function decodeTag(tagged: Record<string, unknown>, tag: string): unknown {
  const v = tagged[tag];
  switch (tag) {
    case '$date':
      return new Date(v as number);
    case '$bytes':
      return new Uint8Array(Buffer.from(v as string, 'base64'));
    case '$url':
      return new URL(v as string);
    case '$undef':
      return undefined;
    case '$num':
      return v === '-0' ? -0 : Number(v);
    case '$bigint':
      return BigInt(v as string);
    case '$obj':
      return decodeMembers(v as Record<string, unknown>);
    default:
      throw new ValidationError('Stored response has an unknown tag', { code: 'UNREADABLE_ENTRY', context: { tag } });
  }
}

function decodeMembers(object: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(object)) object[key] = decodeValue(object[key]);
  return object;
}

/** Inverse of {@link encodeValue}; rewrites the (freshly parsed) tree in place and returns the result. */
export function decodeValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decodeValue(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (key.charCodeAt(0) === 36) return decodeTag(record, key);
    break;
  }
  return decodeMembers(record);
}

/** Token counts of one response, normalised from any {@link LlmUsage} form. */
export interface UsageFigures {
  /** All input tokens (cached ones included). */
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from the provider's prompt cache. */
  cacheReadTokens: number;
  /** Input tokens written to the provider's prompt cache. */
  cacheWriteTokens: number;
}

function count(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

/** Normalises V3/V4 nested, V2 flat and absent usage to whole, non-negative token counts. */
export function usageFigures(usage: LlmUsage | undefined): UsageFigures {
  if (usage === undefined || usage === null || typeof usage !== 'object') return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
  const input = usage.inputTokens;
  const output = usage.outputTokens;
  const nested = typeof input === 'object' && input !== null ? input : undefined;
  return {
    inputTokens: count(nested ? nested.total : input),
    outputTokens: count(typeof output === 'object' && output !== null ? output.total : output),
    cacheReadTokens: count(nested?.cacheRead ?? usage.cachedInputTokens),
    cacheWriteTokens: count(nested?.cacheWrite),
  };
}

/** Format version of stored entries; an entry of another version is a counted miss. */
export const ENTRY_FORMAT = 1;

/** What an entry holds: the encoded response plus the facts the savings ledger needs. */
export interface StoredEntry {
  format: number;
  response: unknown;
  usage: UsageFigures;
  /** Model latency when the response was computed, ms. */
  latencyMs: number;
  /** Epoch ms (wall clock). */
  storedAt: number;
}

/** A decoded entry. */
export interface CachedLlmEntry {
  response: LlmResponse;
  usage: UsageFigures;
  latencyMs: number;
  storedAt: number;
}

/** Builds the stored form; throws `ValidationError` `UNSTORABLE_RESPONSE` for non-data in the response. */
export function encodeEntry(response: LlmResponse, latencyMs: number, storedAt: number): StoredEntry {
  return { format: ENTRY_FORMAT, response: encodeValue(response), usage: usageFigures(response.usage), latencyMs, storedAt };
}

function isFigure(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0;
}

/** Reads a stored entry back, or null when it is not one of this format (foreign, older, damaged). */
export function decodeEntry(stored: unknown): CachedLlmEntry | null {
  if (typeof stored !== 'object' || stored === null) return null;
  const e = stored as Partial<StoredEntry>;
  const u = e.usage as Partial<UsageFigures> | undefined;
  if (e.format !== ENTRY_FORMAT || !isFigure(e.latencyMs) || !isFigure(e.storedAt) || typeof u !== 'object' || u === null) return null;
  if (!isFigure(u.inputTokens) || !isFigure(u.outputTokens) || !isFigure(u.cacheReadTokens) || !isFigure(u.cacheWriteTokens)) return null;
  let response: unknown;
  try {
    response = decodeValue(e.response);
  } catch {
    return null;
  }
  if (typeof response !== 'object' || response === null || !Array.isArray((response as { content?: unknown }).content)) return null;
  return { response: response as LlmResponse, usage: u as UsageFigures, latencyMs: e.latencyMs, storedAt: e.storedAt };
}
