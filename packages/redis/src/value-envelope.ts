import { ConfigurationError, resolveTtlSeconds, type Codec } from '@cache/core';
import type { EncryptedCacheLayer } from '@cache/encryption';
import { assertValueSize } from './value-size.js';
import { decodeEnvelope, encodeCodecBytes, entryTimes, type DecodeFailure, type WireFormatConfig } from './wire-format.js';

/** Options of {@link ValueEnvelope}. */
export interface ValueEnvelopeOptions {
  codec: Codec;
  /** Values are encrypted when this layer is present and enabled. */
  encryption?: EncryptedCacheLayer;
  /** Bytes of codec output above which compression is tried. */
  compressionThreshold: number;
  /** zlib level 1..9. */
  compressionLevel: number;
  /** Largest codec output (and inflated size) accepted, bytes. */
  maxValueBytes: number;
  /** Also accept Python-era `rawj:` Fernet values on decode; default false. */
  readLegacyPythonFormat?: boolean;
}

function assertIntegerOption(name: string, value: unknown, min: number, max: number): void {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return;
  throw new ConfigurationError(`${name} must be an integer between ${min} and ${max} (got ${String(value)})`, {
    code: 'INVALID_CONFIGURATION',
    context: { option: name, value: typeof value === 'number' ? value : typeof value },
  });
}

/** What {@link ValueEnvelope.encode} binds into the value besides the key. */
export interface EnvelopeEncodeOptions {
  /** Seconds the value lives, integer 1..31 536 000; default 3600. */
  ttl?: number;
  /** Write time, epoch ms; default `Date.now()`. */
  now?: number;
}

/** A decoded value with its absolute hard expiry and end of freshness (epoch ms). */
export interface DecodedEnvelope {
  ok: true;
  value: unknown;
  expiresAt: number;
  freshUntil: number;
}

/**
 * The versioned Redis wire format: magic `CA CE`, version, codec id, flags, then the body
 * (zlib-compressed when that helps) — inside a Fernet token that also binds the header, the
 * physical key and the value's hard expiry, when encryption is on. `encode` writes encrypted values
 * as version 3 (the token's raw bytes) and unencrypted ones as version 2 (same layout in both);
 * `decode` also reads version-2 encrypted values (the token as base64 text, previous releases).
 * `decode` never throws and never mis-decodes: every failure is a reason, including `expired` for a
 * value past its hard expiry and `unsupported_version` for a version-1 (or unknown) value.
 */
export class ValueEnvelope {
  readonly #config: WireFormatConfig;

  constructor(options: ValueEnvelopeOptions) {
    assertIntegerOption('compressionThreshold', options.compressionThreshold, 0, 1_048_576);
    assertIntegerOption('compressionLevel', options.compressionLevel, 1, 9);
    assertIntegerOption('maxValueBytes', options.maxValueBytes, 1, Number.MAX_SAFE_INTEGER);
    this.#config = {
      codec: options.codec,
      encryption: options.encryption?.isEnabled === true ? options.encryption : undefined,
      compressionThreshold: options.compressionThreshold,
      compressionLevel: options.compressionLevel,
      maxValueBytes: options.maxValueBytes,
      readLegacyPythonFormat: options.readLegacyPythonFormat === true,
    };
  }

  /**
   * Encodes `value` for `physicalKey`, expiring `ttl` seconds after `now`. Rejects with the
   * codec's `ValidationError` for values it cannot round-trip, `INVALID_TTL`, or `VALUE_TOO_LARGE`
   * above `maxValueBytes`.
   */
  async encode(
    physicalKey: string,
    value: unknown,
    options: EnvelopeEncodeOptions = {},
  ): Promise<{ bytes: Buffer; compressed: boolean; rawBytes: number }> {
    const ttl = resolveTtlSeconds(options.ttl, 3600);
    const codecBytes = this.#config.codec.encode(value);
    assertValueSize(codecBytes, this.#config.maxValueBytes);
    const times = entryTimes(options.now ?? Date.now(), ttl);
    const { bytes, compressed, rawBytes } = await encodeCodecBytes(this.#config, physicalKey, codecBytes, times);
    return { bytes, compressed, rawBytes };
  }

  /**
   * Decodes bytes read from `physicalKey` at `now` (epoch ms, default `Date.now()`): the value and
   * its times, or the first failing check. Never rejects.
   */
  async decode(physicalKey: string, bytes: Buffer, now: number = Date.now()): Promise<DecodedEnvelope | { ok: false; reason: DecodeFailure }> {
    return decodeEnvelope(this.#config, physicalKey, bytes, now);
  }
}
