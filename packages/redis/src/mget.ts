import type { RedisKey } from 'ioredis';
import { isCluster, type RedisClient } from './scan-unlink.js';

/** CRC16-CCITT (XMODEM) table: Redis Cluster's key hash. */
const CRC16 = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
})();
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** The Redis Cluster hash slot (0..16383) of a physical key, hash tag `{…}` honoured, as `CLUSTER KEYSLOT` computes it. */
export function hashSlot(key: RedisKey): number {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.isBuffer(key) ? key : Buffer.from(String(key), 'utf8');
  let start = 0;
  let end = bytes.length;
  const open = bytes.indexOf(OPEN_BRACE);
  if (open !== -1) {
    const close = bytes.indexOf(CLOSE_BRACE, open + 1);
    if (close > open + 1) {
      start = open + 1;
      end = close;
    }
  }
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ (CRC16[((crc >> 8) ^ (bytes[i] as number)) & 0xff] as number);
  return crc & 0x3fff;
}

/** One MGET: the positions (in the caller's key list) it answers, and its reply. */
export interface MgetGroup {
  readonly positions: readonly number[];
  readonly reply: Promise<Array<Buffer | null>>;
}

/**
 * `MGET` of `physicalKeys` as raw bytes: one command on a single server, one per hash slot on a
 * cluster (MGET needs all its keys in one slot). Each group succeeds or fails on its own.
 */
export function mgetGroups(client: RedisClient, physicalKeys: readonly RedisKey[]): MgetGroup[] {
  if (!isCluster(client)) return [{ positions: physicalKeys.map((_, i) => i), reply: client.mgetBuffer([...physicalKeys]) }];
  const bySlot = new Map<number, number[]>();
  physicalKeys.forEach((key, i) => {
    const slot = hashSlot(key);
    const positions = bySlot.get(slot);
    if (positions) positions.push(i);
    else bySlot.set(slot, [i]);
  });
  return [...bySlot.values()].map((positions) => ({ positions, reply: client.mgetBuffer(positions.map((i) => physicalKeys[i] as RedisKey)) }));
}
