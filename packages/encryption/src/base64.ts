/**
 * Strict, padded base64 as Fernet requires (RFC 4648 §4/§5). Node's `'base64url'` encoder drops
 * the `=` padding (Python then rejects the token) and its decoder silently skips characters it does
 * not know, so both directions are wrapped here. The native coder does the work (a JS loop was 2×
 * slower); the checks around it are O(1) or SIMD-backed scans.
 */
import { isAscii } from 'node:buffer';

const PADDING = ['', '==', '='] as const;

/** Padded URL-safe base64 of `bytes` (`-`/`_` alphabet, `=` padding kept). */
export function encodePaddedBase64Url(bytes: Buffer): string {
  return bytes.toString('base64url') + PADDING[bytes.length % 3];
}

/**
 * Characters of base64 text handled per native call: a multiple of 4 (each piece decodes on its
 * own) whose strings stay below V8's large-object size. One string of a 100 KB token costs about
 * a millisecond of allocation and collection; pieces of it cost microseconds.
 */
const PIECE_CHARS = 64 * 1024;
const PIECE_BYTES = (PIECE_CHARS / 4) * 3;

/** The same text as ASCII bytes (the token form), written straight into one buffer. */
export function encodePaddedBase64UrlBytes(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(Math.ceil(bytes.length / 3) * 4);
  let written = 0;
  for (let at = 0; at < bytes.length; at += PIECE_BYTES) {
    written += out.write(bytes.toString('base64url', at, Math.min(at + PIECE_BYTES, bytes.length)), written, 'latin1');
  }
  out.fill(61, written); // '=' padding
  return out;
}

function sextet(code: number): number {
  if (code >= 65 && code <= 90) return code - 65; // A-Z
  if (code >= 97 && code <= 122) return code - 71; // a-z
  if (code >= 48 && code <= 57) return code + 4; // 0-9
  return code === 43 || code === 45 ? 62 : 63; // + or -, else / or _ (anything else fails the length check)
}

const DASH = 45;
const UNDERSCORE = 95;
const PLUS = 43;
const SLASH = 47;
const EQUALS = 61;

function code(text: Buffer | string, at: number): number {
  return typeof text === 'string' ? text.charCodeAt(at) : (text[at] as number);
}

function has(text: Buffer | string, char: number): boolean {
  return typeof text === 'string' ? text.includes(String.fromCharCode(char)) : text.includes(char);
}

/** A fresh buffer of `capacity` bytes (Node's pool for small ones): the default target of a decode. */
const freshBuffer = (capacity: number): Buffer => Buffer.allocUnsafe(capacity);

/**
 * Decodes padded base64 in either alphabet (string or ASCII bytes), or returns `null` unless the
 * text is canonical: ASCII only, length a multiple of 4, only alphabet characters before 0–2 `=`,
 * one alphabet throughout, and zero bits after the last byte. So two different texts never decode
 * to the same bytes, and any changed character is detected. The bytes are written at the start of
 * `target(capacity)` (default: a fresh buffer), and the returned view is of that buffer.
 */
export function decodeStrictBase64(input: string | Uint8Array, target: (capacity: number) => Buffer = freshBuffer): Buffer | null {
  let text: Buffer | string;
  if (typeof input === 'string') {
    // Non-ASCII must be refused up front: the native decoder reads UTF-16 units as bytes.
    if (Buffer.byteLength(input, 'utf8') !== input.length) return null;
    text = input;
  } else {
    if (!isAscii(input)) return null;
    text = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  }
  const length = text.length;
  if (length === 0 || length % 4 !== 0) return null;
  const urlSafe = has(text, DASH) || has(text, UNDERSCORE);
  if (urlSafe && (has(text, PLUS) || has(text, SLASH))) return null;
  const pad = code(text, length - 1) !== EQUALS ? 0 : code(text, length - 2) !== EQUALS ? 1 : 2;
  if (pad === 2 && code(text, length - 3) === EQUALS) return null;
  if (pad > 0 && (sextet(code(text, length - pad - 1)) & (pad === 1 ? 0x03 : 0x0f)) !== 0) return null;
  // Node's decoder skips unknown characters and stops at an inner '=', so any of those yields
  // fewer bytes than the length promises. Its 'base64' fast path knows only `+/`: URL-safe text
  // (every Fernet token) decodes about 3× faster as 'base64url', which accepts the padding too.
  const encoding = urlSafe ? 'base64url' : 'base64';
  const expected = (length / 4) * 3 - pad;
  // Three spare bytes: a decoder that produced more than `expected` is caught by the length check.
  const out = target(expected + 3);
  let written = 0;
  for (let at = 0; at < length; at += PIECE_CHARS) {
    const end = Math.min(at + PIECE_CHARS, length);
    const piece = typeof text === 'string' ? text.slice(at, end) : text.toString('latin1', at, end);
    written += out.write(piece, written, encoding);
  }
  return written === expected ? out.subarray(0, expected) : null;
}
