/**
 * HMAC-SHA256 (RFC 2104) computed as two one-shot `crypto.hash` calls over precomputed keyed pads:
 * HMAC(K, m) = H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)). A `createHmac` per token costs a fixed setup
 * (digest lookup, key import, three native calls) that is most of a 1 KB MAC; the two hashes skip it
 * (bench/encryption.bench.ts). The message is written by the caller straight after the inner pad in
 * one reused buffer, so nothing is copied to hash it.
 */
import { hash } from 'node:crypto';

const BLOCK = 64;
const DIGEST = 32;
const IPAD = 0x36;
const OPAD = 0x5c;
/** Messages up to this size reuse one buffer; larger ones get a buffer of their own, zeroed after use. */
const KEPT_MESSAGE_BYTES = 64 * 1024;

/** The keyed inner pad followed by room for `capacity` message bytes (never from Node's shared pool). */
function padded(innerPad: Buffer, capacity: number): Buffer {
  const buffer = Buffer.allocUnsafeSlow(BLOCK + capacity);
  innerPad.copy(buffer, 0, 0, BLOCK);
  return buffer;
}

/**
 * One signing key's HMAC-SHA256 with a reusable message area. Use: `area(n)` → write the message
 * into it → `mac(length)`. The area and the returned MAC are overwritten by the next call; callers
 * finish with both synchronously. The pads (key-derived) live in private buffers that are never
 * exposed, logged or pooled.
 */
export class HmacSha256 {
  #inner: Buffer;
  /** `#inner` after the pad: the message area handed out while the buffer is kept. */
  #area: Buffer;
  /** The current area's buffer when it was too large to keep; its pad is zeroed when done with. */
  #oversized: Buffer | null = null;
  readonly #outer = Buffer.allocUnsafeSlow(BLOCK + DIGEST);
  readonly #mac = Buffer.allocUnsafeSlow(DIGEST);

  /** @param key at most 64 bytes (Fernet's is 16); longer keys would need hashing first. */
  constructor(key: Uint8Array) {
    if (key.byteLength > BLOCK) throw new RangeError('HMAC-SHA256 keys longer than 64 bytes are not supported here');
    const innerPad = Buffer.alloc(BLOCK, IPAD);
    for (let i = 0; i < key.byteLength; i++) {
      innerPad[i] = (key[i] as number) ^ IPAD;
      this.#outer[i] = (key[i] as number) ^ OPAD;
    }
    this.#outer.fill(OPAD, key.byteLength, BLOCK);
    this.#inner = padded(innerPad, 2048);
    this.#area = this.#inner.subarray(BLOCK);
    innerPad.fill(0);
  }

  /** A buffer of at least `capacity` bytes to write the message into (valid until the next `area`). */
  area(capacity: number): Buffer {
    this.#dropOversized();
    if (capacity > this.#inner.length - BLOCK) {
      const grown = padded(this.#inner, capacity);
      if (capacity <= KEPT_MESSAGE_BYTES) {
        this.#inner.fill(0, 0, BLOCK);
        this.#inner = grown;
        this.#area = grown.subarray(BLOCK);
      } else {
        this.#oversized = grown;
        return grown.subarray(BLOCK);
      }
    }
    return this.#area;
  }

  /** The MAC of the first `length` bytes of the current area (32 bytes, valid until the next call). */
  mac(length: number): Buffer {
    const inner = this.#oversized ?? this.#inner;
    // 'binary' (latin1) maps each digest byte to one character and back, without allocating a Buffer.
    this.#outer.write(hash('sha256', inner.subarray(0, BLOCK + length), 'binary'), BLOCK, 'binary');
    this.#mac.write(hash('sha256', this.#outer, 'binary'), 0, 'binary');
    this.#dropOversized();
    return this.#mac;
  }

  #dropOversized(): void {
    this.#oversized?.fill(0, 0, BLOCK);
    this.#oversized = null;
  }
}
