import type { Cluster, Redis } from 'ioredis';

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

const isRedirect = (error: Error): boolean => /^(MOVED|ASK) /.test(error.message);

async function unlinkBatch(client: RedisClient, node: Redis, keys: string[], removed: (physicalKey: string) => void): Promise<void> {
  const pipeline = node.pipeline();
  for (const key of keys) pipeline.unlink(key);
  const results = (await pipeline.exec()) ?? [];
  // Collect redirects first, so a hard error throws before any retry is in flight.
  const redirected: string[] = [];
  results.forEach(([error, count], i) => {
    const key = keys[i];
    if (key === undefined) return;
    if (error) {
      if (!isRedirect(error)) throw error;
      redirected.push(key);
    } else if (typeof count === 'number' && count > 0) {
      removed(key);
    }
  });
  await Promise.all(
    redirected.map(async (key) => {
      if ((await client.unlink(key)) > 0) removed(key);
    }),
  );
}

async function scanNode(client: RedisClient, node: Redis, match: string, count: number, removed: (physicalKey: string) => void): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', count);
    cursor = next;
    for (let i = 0; i < keys.length; i += UNLINK_BATCH) {
      await unlinkBatch(client, node, keys.slice(i, i + UNLINK_BATCH), removed);
    }
  } while (cursor !== '0');
}

/**
 * `SCAN MATCH` + `UNLINK` on every master (R30): batches of at most 500 keys pipelined on the node
 * that returned them, one key per command (no CROSSSLOT), MOVED/ASK retried once through the
 * cluster client. Never `KEYS`. Calls `removed` for each physical key actually unlinked.
 */
export async function scanAndUnlink(client: RedisClient, match: string, count: number, removed: (physicalKey: string) => void): Promise<void> {
  await Promise.all(masterNodes(client).map((node) => scanNode(client, node, match, count, removed)));
}

/**
 * Yields every physical key matching `match` on every master (SCAN, no deletion), for listings.
 */
export async function* scanMatching(client: RedisClient, match: string, count: number): AsyncGenerator<string> {
  for (const node of masterNodes(client)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', count);
      cursor = next;
      yield* keys;
    } while (cursor !== '0');
  }
}
