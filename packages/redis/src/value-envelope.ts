import { ConfigurationError, type Codec } from '@cache/core';
import type { EncryptedCacheLayer } from '@cache/encryption';
import { assertValueSize } from './value-size.js';
import { decodeEnvelope, encodeCodecBytes, type DecodeFailure, type WireFormatConfig } from './wire-format.js';

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
  /** Also accept Python-era `rawj:` Fernet values on decode (R29); default false. */
  readLegacyPythonFormat?: boolean;
}

function assertIntegerOption(name: string, value: unknown, min: number, max: number): void {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return;
  throw new ConfigurationError(`${name} must be an integer between ${min} and ${max} (got ${String(value)})`, {
    code: 'INVALID_CONFIGURATION',
    context: { option: name, value: typeof value === 'number' ? value : typeof value },
  });
}

/**
 * The versioned Redis wire format (spec §3.7): magic `CA CE`, version 1, codec id, flags, then the
 * body (zlib-compressed when that helps) — inside a Fernet token bound to the physical key when
 * encryption is on. `decode` never throws and never mis-decodes: every failure is a reason.
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
   * Encodes `value` for `physicalKey`. Rejects with the codec's `ValidationError` for values it
   * cannot round-trip, or `VALUE_TOO_LARGE` above `maxValueBytes`.
   */
  async encode(physicalKey: string, value: unknown): Promise<{ bytes: Buffer; compressed: boolean; rawBytes: number }> {
    const codecBytes = this.#config.codec.encode(value);
    assertValueSize(codecBytes, this.#config.maxValueBytes);
    const { bytes, compressed, rawBytes } = await encodeCodecBytes(this.#config, physicalKey, codecBytes);
    return { bytes, compressed, rawBytes };
  }

  /** Decodes bytes read from `physicalKey`: the value, or the first failing check (R27). Never rejects. */
  async decode(physicalKey: string, bytes: Buffer): Promise<{ ok: true; value: unknown } | { ok: false; reason: DecodeFailure }> {
    return decodeEnvelope(this.#config, physicalKey, bytes);
  }
}
