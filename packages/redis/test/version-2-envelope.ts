import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { EncryptedCacheLayer } from '@cache/encryption';

/** What a version-2 envelope binds besides the value: its hard expiry and end of freshness (epoch ms). */
export interface Version2Times {
  expiresAt: number;
  freshUntil?: number;
}

/**
 * An encrypted JSON value as the previous release (envelope version 2) wrote it, built here from the
 * layout rather than by our encoder (which writes version 3): header `CA CE 02 01 flags` ‖ the
 * Fernet token as padded base64 text of header ‖ SHA-256(physical key)[0..16) ‖ times ‖ body
 * (zlib-deflated when `compressed`). Test and benchmark fixture only; nothing in the package writes v2.
 */
export function version2Envelope(layer: EncryptedCacheLayer, physicalKey: string, value: unknown, times: Version2Times, compressed = false): Buffer {
  const header = Buffer.from([0xca, 0xce, 0x02, 0x01, 0x02 | (compressed ? 0x01 : 0)]);
  const digest = createHash('sha256').update(physicalKey, 'utf8').digest().subarray(0, 16);
  const stamped = Buffer.alloc(16);
  const freshUntil = times.freshUntil ?? times.expiresAt;
  stamped.writeUInt32BE(Math.floor(times.expiresAt / 2 ** 32), 0);
  stamped.writeUInt32BE(times.expiresAt % 2 ** 32, 4);
  stamped.writeUInt32BE(Math.floor(freshUntil / 2 ** 32), 8);
  stamped.writeUInt32BE(freshUntil % 2 ** 32, 12);
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  const body = compressed ? deflateSync(json) : json;
  return Buffer.concat([header, layer.encryptBytes(Buffer.concat([header, digest, stamped, body]))]);
}
