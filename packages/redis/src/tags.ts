import { ConfigurationError, InfrastructureError, assertValidTags } from '@cache/core';
import type { CacheParts } from './cache-parts.js';
import { classifyRedisError, problemToError } from './redis-errors.js';
import type { RedisClient } from './scan-unlink.js';

const SSCAN_COUNT = 500;

/**
 * Where the keys carrying `tag` are listed: a Redis set next to (not inside) the logical key space,
 * `app#tag:<tag>` for the prefix `app:`, so that no logical key can collide with it and neither
 * `clear()` nor a pattern invalidation of the prefix touches it.
 */
export function tagSetKey(keyPrefix: string, tag: string): string {
  return `${keyPrefix.slice(0, -1)}#tag:${tag}`;
}

/** Tags need their own namespace next to the prefix: a cache without `keyPrefix` refuses them. */
export function assertTagsAllowed(keyPrefix: string, what: string): void {
  if (keyPrefix !== '') return;
  throw new ConfigurationError(`${what} requires a non-empty keyPrefix: tag sets are stored next to the prefix (app#tag:<tag> for app:)`, {
    code: 'KEY_PREFIX_REQUIRED',
    context: { option: 'keyPrefix' },
  });
}

/**
 * Lists `key` in the set of each tag before its value is written (so an `invalidateTags` that
 * starts after the `set` resolved always finds it); each set lives as long as its longest-lived
 * member. Rejects with the client's error.
 */
export async function indexTags(client: RedisClient, keyPrefix: string, key: string, tags: readonly string[], ttlSeconds: number): Promise<void> {
  await Promise.all(
    tags.map(async (tag) => {
      const setKey = tagSetKey(keyPrefix, tag);
      await client.sadd(setKey, key);
      // NX sets the first expiry of a new set; GT only ever extends it.
      await Promise.all([client.expire(setKey, ttlSeconds, 'NX'), client.expire(setKey, ttlSeconds, 'GT')]);
    }),
  );
}

/**
 * `invalidateTags`: removes from L1 the entries this instance wrote with one of the tags, then, for
 * each tag, walks its set in Redis (SSCAN), UNLINKs the listed keys and removes exactly the members
 * it read (a key listed meanwhile stays listed). Every other instance drops those keys from its L1
 * through L1 coherence. A key re-written without the tag may still be removed by it (the set is not
 * told): more misses, never a stale value. Redis unavailable or failing: L1 is done and the call
 * rejects with a typed error, so that the caller can retry.
 */
export async function invalidateTags(p: CacheParts, tags: readonly string[]): Promise<number> {
  const valid = assertValidTags(tags);
  assertTagsAllowed(p.keyPrefix, 'invalidateTags()');
  const gate = p.startupGate();
  if (gate) await gate;
  p.keys.markAllWritten();
  const removed = new Set<string>();
  if (p.l1) {
    const before = p.l1.getKeys();
    p.l1.invalidateTagsSync(valid);
    const after = new Set(p.l1.getKeys());
    for (const key of before) if (!after.has(key)) removed.add(key);
  }
  if (valid.length === 0) return removed.size;
  const client = p.conn.readyClient;
  if (!client) {
    throw new InfrastructureError('invalidateTags: Redis is not available; only this instance\'s L1 was invalidated. Retry once connected.', {
      code: 'REDIS_UNAVAILABLE',
      context: { tags: valid.length },
    });
  }
  try {
    for (const tag of valid) await invalidateTag(p, client, tag, removed);
  } catch (error) {
    const problem = classifyRedisError(error, 'SSCAN', p.conn.commandTimeoutMs);
    p.problems.redis('invalidateTags', problem, 'L1 was invalidated; retry the call.');
    throw problemToError(problem, 'invalidateTags()');
  }
  p.coherence?.publish(client, null);
  p.stats.counters.invalidations++;
  return removed.size;
}

async function invalidateTag(p: CacheParts, client: RedisClient, tag: string, removed: Set<string>): Promise<void> {
  const setKey = tagSetKey(p.keyPrefix, tag);
  let cursor = '0';
  do {
    const [next, members] = await client.sscan(setKey, cursor, 'COUNT', SSCAN_COUNT);
    cursor = next;
    if (members.length === 0) continue;
    const counts = await Promise.all(members.map((key) => client.unlink(p.keyPrefix + key)));
    members.forEach((key, i) => {
      p.l1?.deleteSync(key);
      if ((counts[i] ?? 0) > 0) removed.add(key);
    });
    await client.srem(setKey, ...members);
  } while (cursor !== '0');
}
