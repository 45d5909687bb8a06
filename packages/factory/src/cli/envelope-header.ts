/** What the first bytes of a stored string say about its format (see `@cache/redis`'s wire format). */
export interface EnvelopeHeader {
  /** `cache` for an @cache envelope (magic `CA CE`), `fernet` for a bare Fernet token (Python-era values), else `other`. */
  kind: 'cache' | 'fernet' | 'other';
  /** Envelope format version (cache only). */
  version?: number;
  /** Codec id, e.g. 1 = JSON (cache only). */
  codec?: number;
  encrypted?: boolean;
  compressed?: boolean;
}

/** How many leading bytes {@link readEnvelopeHeader} needs. */
export const HEADER_BYTES = 5;

const FLAG_COMPRESSED = 0x01;
const FLAG_ENCRYPTED = 0x02;

/**
 * Reads the public header of a stored value: magic `CA CE`, version, codec id, flags (bit 0
 * compressed, bit 1 encrypted). The header is authenticated inside the Fernet token when the value
 * is encrypted, so what it says is what the writer meant; reading it needs no key.
 */
export function readEnvelopeHeader(bytes: Uint8Array): EnvelopeHeader {
  if (bytes.byteLength >= HEADER_BYTES && bytes[0] === 0xca && bytes[1] === 0xce) {
    const flags = bytes[4] ?? 0;
    return { kind: 'cache', version: bytes[2] ?? 0, codec: bytes[3] ?? 0, encrypted: (flags & FLAG_ENCRYPTED) !== 0, compressed: (flags & FLAG_COMPRESSED) !== 0 };
  }
  if (Buffer.from(bytes.subarray(0, 5)).toString('latin1') === 'gAAAA') return { kind: 'fernet' };
  return { kind: 'other' };
}

/** A short label for counting values by format, e.g. `@cache v3 codec 1 encrypted+compressed`. */
export function headerLabel(h: EnvelopeHeader): string {
  if (h.kind === 'fernet') return 'Fernet token without envelope (Python-era value)';
  if (h.kind === 'other') return 'not an @cache value';
  const flags = [h.encrypted ? 'encrypted' : 'PLAINTEXT', ...(h.compressed ? ['compressed'] : [])].join('+');
  return `@cache v${h.version} codec ${h.codec} ${flags}`;
}
