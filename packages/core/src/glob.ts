import { Buffer } from 'node:buffer';

/** A compiled glob: `test(key)` tells whether `key` matches. */
export interface GlobMatcher {
  test(key: string): boolean;
}

const STAR = 0x2a;
const QUESTION = 0x3f;
const BACKSLASH = 0x5c;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const CARET = 0x5e;
const DASH = 0x2d;
const ANY_BYTE = '[\\x00-\\xff]';
const ASCII_ONLY = /^[\x00-\x7f]*$/;
const PLAIN = /[0-9A-Za-z_:]/;

/**
 * Compiles a Redis `MATCH` glob with Redis's own semantics, so every tier (memory, L1, Redis)
 * selects the same keys. Matching is over the **UTF-8 bytes** of the key, as Redis does: `*` any
 * run of bytes, `?` exactly one byte (a non-ASCII character is several), `[abc]`, `[a-z]`,
 * `[^abc]` classes of bytes (range ends compared as signed bytes, as Redis compiles them), `\`
 * escapes the next byte; an unterminated class runs to the end of the pattern; everything else is
 * literal and case-sensitive. ASCII keys are tested directly, others through their UTF-8 bytes.
 */
export function compileGlob(pattern: string): GlobMatcher {
  const regex = new RegExp(byteRegexSource(new Uint8Array(Buffer.from(pattern, 'utf8'))));
  return Object.freeze({
    test(key: string): boolean {
      return regex.test(ASCII_ONLY.test(key) ? key : Buffer.from(key, 'utf8').toString('latin1'));
    },
  });
}

/** An anchored RegExp source over a "binary" string (one char per byte, 0..255). */
function byteRegexSource(p: Uint8Array): string {
  let out = '^';
  let i = 0;
  while (i < p.length) {
    const b = p[i] as number;
    if (b === STAR) {
      while (p[i] === STAR) i++;
      out += `${ANY_BYTE}*`;
      continue;
    }
    if (b === QUESTION) {
      out += ANY_BYTE;
    } else if (b === OPEN) {
      const [source, next] = byteClass(p, i + 1);
      out += source;
      i = next;
      continue;
    } else if (b === BACKSLASH && i + 1 < p.length) {
      out += literal(p[++i] as number);
    } else {
      out += literal(b);
    }
    i++;
  }
  return `${out}$`;
}

/** The class starting after `[` at `start`, parsed as Redis's `stringmatchlen` does; returns its source and the index after it. */
function byteClass(p: Uint8Array, start: number): [string, number] {
  const members = new Uint8Array(256);
  let i = start;
  const negate = p[i] === CARET;
  if (negate) i++;
  for (;;) {
    if (p[i] === BACKSLASH && p.length - i >= 2) {
      members[p[++i] as number] = 1;
    } else if (p[i] === CLOSE) {
      i++;
      break;
    } else if (i >= p.length) {
      break;
    } else if (p.length - i >= 3 && p[i + 1] === DASH) {
      // Redis reads pattern bytes as C `char`, signed on the platforms it ships for.
      let lo = signed(p[i] as number);
      let hi = signed(p[i + 2] as number);
      if (lo > hi) [lo, hi] = [hi, lo];
      for (let byte = 0; byte < 256; byte++) if (signed(byte) >= lo && signed(byte) <= hi) members[byte] = 1;
      i += 2;
    } else {
      members[p[i] as number] = 1;
    }
    i++;
  }
  let source = '';
  for (let byte = 0; byte < 256; byte++) {
    if ((members[byte] === 1) === negate) continue;
    let end = byte;
    while (end + 1 < 256 && (members[end + 1] === 1) !== negate) end++;
    source += end === byte ? hex(byte) : `${hex(byte)}-${hex(end)}`;
    byte = end;
  }
  // An empty class matches nothing, as in Redis.
  return [source === '' ? '(?!)' : `[${source}]`, i];
}

function signed(byte: number): number {
  return byte > 127 ? byte - 256 : byte;
}

function literal(byte: number): string {
  return PLAIN.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : hex(byte);
}

function hex(byte: number): string {
  return `\\x${byte.toString(16).padStart(2, '0')}`;
}

/** Escapes `* ? [ ] \` so that `compileGlob(escapeGlob(s))` matches exactly `s`. */
export function escapeGlob(literal: string): string {
  return literal.replace(/[*?[\]\\]/g, '\\$&');
}
