import type { Cluster, Redis, RedisKey } from 'ioredis';

/** A standalone client or a cluster client. */
export type RedisClient = Redis | Cluster;

const UNLINK_BATCH = 500;

/** True for a cluster client. */
export function isCluster(client: RedisClient): client is Cluster {
  return (client as { isCluster?: unknown }).isCluster === true;
}

/** Every master to scan: the client itself, or each cluster master. */
export function masterNodes(client: RedisClient): Redis[] {
  return isCluster(client) ? client.nodes('master') : [client];
}

// ioredis types a SCAN pattern as a string; a Buffer (a generation's bytes) is sent as it is.
const isRedirect = (error: Error): boolean => /^(MOVED|ASK) /.test(error.message);

/** What {@link scanAndUnlink} reports and asks per key. */
export interface UnlinkHooks {
  /** Decides, right before the UNLINK is sent, whether a scanned key is removed (default: all are). */
  keep?: (physicalKey: Buffer) => boolean;
  /** Called for each physical key actually unlinked. */
  removed: (physicalKey: Buffer) => void;
}

async function unlinkBatch(client: RedisClient, node: Redis, scanned: Buffer[], hooks: UnlinkHooks): Promise<void> {
  const keys = hooks.keep ? scanned.filter(hooks.keep) : scanned;
  if (keys.length === 0) return;
  // Built and sent in the tick the keys were chosen, so no write issued later can be ordered before its UNLINK.
  const pipeline = node.pipeline();
  for (const key of keys) pipeline.unlink(key);
  const results = (await pipeline.exec()) ?? [];
  // Collect redirects first, so a hard error throws before any retry is in flight.
  const redirected: Buffer[] = [];
  results.forEach(([error, count], i) => {
    const key = keys[i];
    if (key === undefined) return;
    if (error) {
      if (!isRedirect(error)) throw error;
      redirected.push(key);
    } else if (typeof count === 'number' && count > 0) {
      hooks.removed(key);
    }
  });
  await Promise.all(
    redirected.map(async (key) => {
      if ((await client.unlink(key)) > 0) hooks.removed(key);
    }),
  );
}

async function scanNode(client: RedisClient, node: Redis, match: RedisKey, count: number, hooks: UnlinkHooks): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await node.scanBuffer(cursor, 'MATCH', match as string, 'COUNT', count);
    cursor = next.toString();
    for (let i = 0; i < keys.length; i += UNLINK_BATCH) {
      await unlinkBatch(client, node, keys.slice(i, i + UNLINK_BATCH), hooks);
    }
  } while (cursor !== '0');
}

/**
 * `SCAN MATCH` + `UNLINK` on every master: batches of at most 500 keys pipelined on the node
 * that returned them, one key per command (no CROSSSLOT), MOVED/ASK retried once through the
 * cluster client. Never `KEYS`. The first failing command rejects (with the client's error).
 */
export async function scanAndUnlink(client: RedisClient, match: RedisKey, count: number, hooks: UnlinkHooks): Promise<void> {
  await Promise.all(masterNodes(client).map((node) => scanNode(client, node, match, count, hooks)));
}

/**
 * Yields every physical key (bytes) matching `match` on every master (SCAN, no deletion), for listings.
 */
export async function* scanMatching(client: RedisClient, match: RedisKey, count: number): AsyncGenerator<Buffer> {
  for (const node of masterNodes(client)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scanBuffer(cursor, 'MATCH', match as string, 'COUNT', count);
      cursor = next.toString();
      yield* keys;
    } while (cursor !== '0');
  }
}
