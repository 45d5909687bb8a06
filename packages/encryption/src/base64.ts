/**
 * Strict, padded base64 as Fernet requires (RFC 4648 §4/§5). Node's `'base64url'` encoder drops
 * the `=` padding (Python then rejects the token) and its decoders silently skip bad characters,
 * so both directions are wrapped here.
 */

const PADDING = ['', '==', '='] as const;

/** Padded URL-safe base64 of `bytes` (`-`/`_` alphabet, `=` padding kept). */
export function encodePaddedBase64Url(bytes: Buffer): string {
  return bytes.toString('base64url') + PADDING[bytes.length % 3];
}

// One alphabet per string (URL-safe or standard), then 0-2 '='. A mixed string is refused so that
// no two different texts decode to the same bytes (a changed character is always detected).
const SHAPE = /^(?:[A-Za-z0-9_-]*|[A-Za-z0-9+/]*)={0,2}$/;

function sextet(code: number): number {
  if (code >= 65 && code <= 90) return code - 65; // A-Z
  if (code >= 97 && code <= 122) return code - 71; // a-z
  if (code >= 48 && code <= 57) return code + 4; // 0-9
  return code === 43 || code === 45 ? 62 : 63; // + or -, else / or _
}

/**
 * Decodes padded base64 in either alphabet, or returns `null` when the text is not canonical:
 * length not a multiple of 4, a character outside the alphabet, misplaced or missing `=`, mixed
 * alphabets, or non-zero bits after the last byte.
 */
export function decodeStrictBase64(text: string): Buffer | null {
  const length = text.length;
  if (length === 0 || length % 4 !== 0 || !SHAPE.test(text)) return null;
  const pad = text.charCodeAt(length - 1) !== 61 ? 0 : text.charCodeAt(length - 2) !== 61 ? 1 : 2;
  if (pad > 0 && (sextet(text.charCodeAt(length - pad - 1)) & (pad === 1 ? 0x03 : 0x0f)) !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === (length / 4) * 3 - pad ? bytes : null;
}
