import { createHash } from 'node:crypto';
import { deflate, deflateSync, inflate, inflateSync, type ZlibOptions } from 'node:zlib';
import type { Codec } from '@cache/core';
import type { EncryptedCacheLayer } from '@cache/encryption';
import type { RedisKey } from 'ioredis';

/** Why a stored value could not be decoded; every failure is a counted miss. */
export type DecodeFailure =
  | 'unknown_format'
  | 'unsupported_version'
  | 'unknown_codec'
  | 'plaintext_rejected'
  | 'decrypt_failed'
  | 'key_mismatch'
  | 'header_mismatch'
  | 'corrupt'
  | 'too_large'
  | 'expired';

/**
 * When a stored value stops being usable (epoch ms, wall clock, so every process agrees):
 * `expiresAt` is its absolute hard expiry; `freshUntil` (≤ `expiresAt`) ends its fresh period — a
 * value between the two may only be served as stale (a read-through grace period).
 */
export interface EntryTimes {
  readonly expiresAt: number;
  readonly freshUntil: number;
}

/** The times of a value written at `now` for `ttlSeconds`, kept `graceSeconds` longer as stale. */
export function entryTimes(now: number, ttlSeconds: number, graceSeconds = 0): EntryTimes {
  const freshUntil = now + ttlSeconds * 1000;
  return { freshUntil, expiresAt: freshUntil + graceSeconds * 1000 };
}

/** Outcome of decoding one stored value. */
export type DecodeResult = ({ ok: true; value: unknown } & EntryTimes) | { ok: false; reason: DecodeFailure };

/** The settings the wire format needs; `encryption` is present only when it is enabled. */
export interface WireFormatConfig {
  readonly codec: Codec;
  readonly encryption: EncryptedCacheLayer | undefined;
  readonly compressionThreshold: number;
  readonly compressionLevel: number;
  readonly maxValueBytes: number;
  readonly readLegacyPythonFormat: boolean;
}

/** One encoded value plus what the caller reports about it. */
export interface EncodedValue {
  bytes: Buffer;
  compressed: boolean;
  /** Codec output size in bytes. */
  rawBytes: number;
  /** Body size after (possible) compression. */
  bodyBytes: number;
  /** Time spent compressing, ms (0 when not compressed). */
  compressionMs: number;
}

const MAGIC_0 = 0xca;
const MAGIC_1 = 0xce;
/**
 * Version 2 binds the value's times inside the token, as ASCII (base64) Fernet text; version 3 is
 * version 2 with the token stored as its raw bytes (no base64: a quarter fewer bytes, no encode or
 * decode). The unencrypted layout is the same in both, so unencrypted values keep the stamp 2 and
 * readers of the previous release still read them. Version 1 values (no times) are read as misses.
 */
const VERSION_BASE64_TOKEN = 0x02;
const VERSION_RAW_TOKEN = 0x03;
const HEADER_BYTES = 5;
const DIGEST_BYTES = 16;
const TIMES_BYTES = 16;
const TWO_32 = 0x1_0000_0000;
const FLAG_COMPRESSED = 0x01;
const FLAG_ENCRYPTED = 0x02;
const KNOWN_FLAGS = FLAG_COMPRESSED | FLAG_ENCRYPTED;
/** Above this size zlib runs on the thread pool so the event loop is not blocked. */
const ASYNC_ZLIB_BYTES = 64 * 1024;
/**
 * A compressed body is stored only when it is at most this fraction of the codec output: every
 * read of a compressed value pays inflate (about 2–4 µs per KB, bench/compression.bench.ts), which a
 * saving under a third does not buy back (base64 of binary data saves about a quarter).
 */
const MAX_STORED_RATIO = 2 / 3;
/** From this size the first {@link PROBE_BYTES} are compressed first, so incompressible values skip the full deflate. */
const PROBE_FROM_BYTES = 32 * 1024;
const PROBE_BYTES = 4096;
const LEGACY_PREFIX = 'rawj:';
const FERNET_TOKEN_START = 'gAAAA';

const deflateAsync = (data: Uint8Array, options: ZlibOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => deflate(data, options, (error, out) => (error ? reject(error) : resolve(out))));
const inflateAsync = (data: Uint8Array, options: ZlibOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => inflate(data, options, (error, out) => (error ? reject(error) : resolve(out))));

/**
 * Digests of recently used keys: a get or set of a hot key skips its SHA-256 (about 2–3 µs of a
 * 1 KB get's budget). Short string keys only (generation 0), cleared when full, so it holds at most ~1 MB.
 */
const digestMemo = new Map<string, Buffer>();
const DIGEST_MEMO_ENTRIES = 4096;
const DIGEST_MEMO_KEY_CHARS = 256;

/** The first 16 bytes of SHA-256 of the physical key (never mutated by callers: the buffer may be shared). */
function keyDigest(physicalKey: RedisKey): Buffer {
  if (typeof physicalKey !== 'string') return createHash('sha256').update(physicalKey).digest().subarray(0, DIGEST_BYTES);
  let digest = digestMemo.get(physicalKey);
  if (digest !== undefined) return digest;
  digest = createHash('sha256').update(physicalKey, 'utf8').digest().subarray(0, DIGEST_BYTES);
  if (physicalKey.length <= DIGEST_MEMO_KEY_CHARS) {
    if (digestMemo.size >= DIGEST_MEMO_ENTRIES) digestMemo.clear();
    digestMemo.set(physicalKey, digest);
  }
  return digest;
}

/** Writes the 5-byte header at the start of `out` (version from the flags); returns its length. */
function writeHeader(out: Buffer, codecId: number, flags: number): number {
  out[0] = MAGIC_0;
  out[1] = MAGIC_1;
  out[2] = (flags & FLAG_ENCRYPTED) !== 0 ? VERSION_RAW_TOKEN : VERSION_BASE64_TOKEN;
  out[3] = codecId;
  out[4] = flags;
  return HEADER_BYTES;
}

/** Writes the 16 bytes of `times` into `out` at `at`; returns the offset after them. */
function writeTimes(out: Buffer, at: number, times: EntryTimes): number {
  out.writeUInt32BE(Math.floor(times.expiresAt / TWO_32), at);
  out.writeUInt32BE(times.expiresAt % TWO_32, at + 4);
  out.writeUInt32BE(Math.floor(times.freshUntil / TWO_32), at + 8);
  out.writeUInt32BE(times.freshUntil % TWO_32, at + 12);
  return at + TIMES_BYTES;
}

function readTimes(bytes: Buffer, at: number): EntryTimes {
  return {
    expiresAt: bytes.readUInt32BE(at) * TWO_32 + bytes.readUInt32BE(at + 4),
    freshUntil: bytes.readUInt32BE(at + 8) * TWO_32 + bytes.readUInt32BE(at + 12),
  };
}

function seal(
  cfg: WireFormatConfig,
  physicalKey: RedisKey,
  times: EntryTimes,
  codecBytes: Uint8Array,
  body: Uint8Array,
  compressed: boolean,
  compressionMs: number,
): EncodedValue {
  const flags = (compressed ? FLAG_COMPRESSED : 0) | (cfg.encryption ? FLAG_ENCRYPTED : 0);
  // Each part is written in place into one buffer (no per-part buffers, no concatenation).
  let bytes: Buffer;
  if (cfg.encryption) {
    const plain = Buffer.allocUnsafe(HEADER_BYTES + DIGEST_BYTES + TIMES_BYTES + body.byteLength);
    writeHeader(plain, cfg.codec.id, flags);
    keyDigest(physicalKey).copy(plain, HEADER_BYTES);
    plain.set(body, writeTimes(plain, HEADER_BYTES + DIGEST_BYTES, times));
    const token = cfg.encryption.encryptBytesRaw(plain);
    bytes = Buffer.allocUnsafe(HEADER_BYTES + token.byteLength);
    token.copy(bytes, writeHeader(bytes, cfg.codec.id, flags));
  } else {
    bytes = Buffer.allocUnsafe(HEADER_BYTES + TIMES_BYTES + body.byteLength);
    bytes.set(body, writeTimes(bytes, writeHeader(bytes, cfg.codec.id, flags), times));
  }
  return { bytes, compressed, rawBytes: codecBytes.byteLength, bodyBytes: body.byteLength, compressionMs };
}

/**
 * Wraps codec output in the envelope: compress iff larger than the threshold and the result saves
 * at least a third (values from 32 KiB on are probed on their first 4 KiB first), then encrypt
 * (key digest and the value's times inside the token). Synchronous unless zlib must run async.
 */
export function encodeCodecBytes(
  cfg: WireFormatConfig,
  physicalKey: RedisKey,
  codecBytes: Uint8Array,
  times: EntryTimes,
): EncodedValue | Promise<EncodedValue> {
  const size = codecBytes.byteLength;
  const options: ZlibOptions = { level: cfg.compressionLevel };
  const pays = (input: number, output: number): boolean => output <= input * MAX_STORED_RATIO;
  if (
    size <= cfg.compressionThreshold ||
    (size >= PROBE_FROM_BYTES && !pays(PROBE_BYTES, deflateSync(codecBytes.subarray(0, PROBE_BYTES), options).byteLength))
  ) {
    return seal(cfg, physicalKey, times, codecBytes, codecBytes, false, 0);
  }
  const started = performance.now();
  const finish = (deflated: Buffer): EncodedValue => {
    const ms = performance.now() - started;
    return pays(size, deflated.byteLength)
      ? seal(cfg, physicalKey, times, codecBytes, deflated, true, ms)
      : seal(cfg, physicalKey, times, codecBytes, codecBytes, false, 0);
  };
  if (size > ASYNC_ZLIB_BYTES) return deflateAsync(codecBytes, options).then(finish);
  return finish(deflateSync(codecBytes, options));
}

function decodeBody(cfg: WireFormatConfig, body: Uint8Array, compressed: boolean, times: EntryTimes): DecodeResult | Promise<DecodeResult> {
  const parse = (codecBytes: Uint8Array): DecodeResult => {
    try {
      return { ok: true, value: cfg.codec.decode(codecBytes), expiresAt: times.expiresAt, freshUntil: times.freshUntil };
    } catch {
      return { ok: false, reason: 'corrupt' };
    }
  };
  if (!compressed) return parse(body);
  const options: ZlibOptions = { maxOutputLength: cfg.maxValueBytes };
  const inflateFailure = (error: unknown): DecodeResult => ({
    ok: false,
    reason: (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE' ? 'too_large' : 'corrupt',
  });
  if (body.byteLength > ASYNC_ZLIB_BYTES / 4) return inflateAsync(body, options).then(parse, inflateFailure);
  let inflated: Buffer;
  try {
    inflated = inflateSync(body, options);
  } catch (error) {
    return inflateFailure(error);
  }
  return parse(inflated);
}

function decodeLegacy(cfg: WireFormatConfig, bytes: Buffer): DecodeResult {
  const unknown: DecodeResult = { ok: false, reason: 'unknown_format' };
  if (!cfg.readLegacyPythonFormat || !cfg.encryption) return unknown;
  if (bytes.subarray(0, FERNET_TOKEN_START.length).toString('latin1') !== FERNET_TOKEN_START) return unknown;
  try {
    const wrapper = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(cfg.encryption.decryptBytes(bytes))) as unknown;
    if (typeof wrapper !== 'object' || wrapper === null || Array.isArray(wrapper)) return unknown;
    const data = (wrapper as Record<string, unknown>)._serialized_data;
    if (typeof data !== 'string' || !data.startsWith(LEGACY_PREFIX)) return unknown;
    // Python-era values carry no times: Redis' own TTL is their only expiry.
    const value = cfg.codec.decode(Buffer.from(data.slice(LEGACY_PREFIX.length), 'utf8'));
    return { ok: true, value, expiresAt: Number.MAX_SAFE_INTEGER, freshUntil: Number.MAX_SAFE_INTEGER };
  } catch {
    return unknown;
  }
}

/**
 * Decodes a stored value; the first failing check wins. A value whose hard expiry is at or
 * before `now` (epoch ms) is `expired`, so a copy restored after its lifetime is a miss. Never throws.
 */
export function decodeEnvelope(cfg: WireFormatConfig, physicalKey: RedisKey, bytes: Buffer, now: number): DecodeResult | Promise<DecodeResult> {
  if (bytes.byteLength < HEADER_BYTES || bytes[0] !== MAGIC_0 || bytes[1] !== MAGIC_1) return decodeLegacy(cfg, bytes);
  const version = bytes[2];
  if (version !== VERSION_RAW_TOKEN && version !== VERSION_BASE64_TOKEN) return { ok: false, reason: 'unsupported_version' };
  if (bytes[3] !== cfg.codec.id) return { ok: false, reason: 'unknown_codec' };
  const flags = bytes[4] ?? 0;
  if ((flags & ~KNOWN_FLAGS) !== 0) return { ok: false, reason: 'corrupt' };
  const encrypted = (flags & FLAG_ENCRYPTED) !== 0;
  const compressed = (flags & FLAG_COMPRESSED) !== 0;
  // `inner` holds the times then the body, from offset `at`.
  let inner: Buffer;
  let at: number;
  if (!encrypted) {
    if (cfg.encryption) return { ok: false, reason: 'plaintext_rejected' };
    inner = bytes;
    at = HEADER_BYTES;
  } else {
    if (!cfg.encryption) return { ok: false, reason: 'decrypt_failed' };
    const token = bytes.subarray(HEADER_BYTES);
    try {
      inner = version === VERSION_RAW_TOKEN ? cfg.encryption.decryptBytesRaw(token) : cfg.encryption.decryptBytes(token);
    } catch {
      return { ok: false, reason: 'decrypt_failed' };
    }
    if (inner.byteLength < HEADER_BYTES + DIGEST_BYTES) return { ok: false, reason: 'corrupt' };
    // The plaintext embeds the header it was written under (version included), so a changed stamp
    // or flag never decodes: it is either undecryptable or a header_mismatch.
    if (!sameBytes(inner, 0, bytes, 0, HEADER_BYTES)) return { ok: false, reason: 'header_mismatch' };
    if (!sameBytes(inner, HEADER_BYTES, keyDigest(physicalKey), 0, DIGEST_BYTES)) return { ok: false, reason: 'key_mismatch' };
    at = HEADER_BYTES + DIGEST_BYTES;
  }
  if (inner.byteLength - at < TIMES_BYTES) return { ok: false, reason: 'corrupt' };
  const times = readTimes(inner, at);
  if (times.freshUntil > times.expiresAt) return { ok: false, reason: 'corrupt' };
  if (now >= times.expiresAt) return { ok: false, reason: 'expired' };
  return decodeBody(cfg, inner.subarray(at + TIMES_BYTES), compressed, times);
}

/**
 * Whether `length` bytes of `a` from `aAt` equal those of `b` from `bAt` (both authenticated or
 * public, so no constant time needed); a loop, because views plus `equals` cost more for a few bytes.
 */
function sameBytes(a: Buffer, aAt: number, b: Buffer, bAt: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (a[aAt + i] !== b[bAt + i]) return false;
  return true;
}
