import { createHash, randomBytes } from 'node:crypto';
import type { LeaseGrant, LeaseOutcome, LeaseRequest, ReadThroughLease } from '@cache/core';
import type { RedisKey } from 'ioredis';
import type { CacheParts } from './cache-parts.js';
import { LeaseNotifier } from './lease-notify.js';
import { classifyRedisError } from './redis-errors.js';
import type { RedisClient } from './scan-unlink.js';
import type { WriteFence } from './write-path.js';

/** Default lease time to live (ms); renewed every third of it while the factory runs. */
export const DEFAULT_LEASE_TTL_MS = 5000;
/** Shortest lease (ms): a smaller `lock.ttl` is raised to it, so renewals (every third) stay sparse. */
export const MIN_LEASE_TTL_MS = 100;
/** Default time a follower waits for another process's value (ms) before computing itself. */
export const DEFAULT_LEASE_WAIT_MS = 10_000;
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 250;
/**
 * Ends every lease key. 0xFF never occurs in the UTF-8 of a well-formed key, so no cache key (of
 * any `keyPrefix`) can be a lease key.
 */
const LEASE_SUFFIX = Buffer.from([0xff, 0x6c, 0x65, 0x61, 0x73, 0x65]); // "\xFFlease"

/** Takes the lease unless another holder has it; returns the holder's token (the caller's own when taken). */
const ACQUIRE = `local h = redis.call('GET', KEYS[1])
if h then return h end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]`;
/** Extends the lease while its holder is `ARGV[1]`. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
/** Compare-and-delete, then wakes the followers of every process (the message is the key's digest). */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1`;
/** The fenced store: writes the value only while no other holder has the lease (a stale leader cannot overwrite a newer value). */
const STORE = `local h = redis.call('GET', KEYS[2])
if h and h ~= ARGV[3] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1`;

/** Redis Cluster's hash tag of `key` (the part inside the first `{…}`, when non-empty), else null. */
function hashTag(key: Buffer): Buffer | null {
  const open = key.indexOf(0x7b);
  if (open < 0) return null;
  const close = key.indexOf(0x7d, open + 1);
  return close > open + 1 ? key.subarray(open + 1, close) : null;
}

/**
 * The lease key of `physicalKey`: it starts with `keyPrefix` (so ACL key patterns that allow the
 * cache's keys allow it) and lies in the same Cluster slot as the value key (so the fenced store
 * is one atomic script): `<value key>\xFFlease` when the key has a hash tag, else
 * `<prefix>{<value key>}\xFFlease`. Null for the rare key whose slot cannot be matched that way
 * (no hash tag, but a `}` or a tag-breaking `{` in it): such keys coalesce in-process only.
 */
export function leaseKeyFor(keyPrefix: string, physicalKey: RedisKey): Buffer | null {
  const value = typeof physicalKey === 'string' ? Buffer.from(physicalKey, 'utf8') : physicalKey;
  if (hashTag(value) !== null) return Buffer.concat([value, LEASE_SUFFIX]);
  const candidate = Buffer.concat([Buffer.from(`${keyPrefix}{`, 'utf8'), value, Buffer.from('}', 'utf8'), LEASE_SUFFIX]);
  const tag = hashTag(candidate);
  return tag !== null && tag.equals(value) ? candidate : null;
}

/** True for a logical key (as SCAN returns it, UTF-8 decoded) that is one of this cache's lease keys. */
export function isLeaseKey(logicalKey: string): boolean {
  return logicalKey.endsWith('\uFFFDlease');
}

/** What the lease needs from its cache. */
export interface LeaseHost<P> {
  readonly parts: CacheParts;
  /** A fresh value of `key` now in Redis, in prepared form, or null. */
  fresh(key: string): Promise<P | null>;
}

/**
 * The cross-process half of `getOrSet` (core's `ReadThroughLease`): `SET NX PX`-style acquisition
 * with a random fencing token, renewed every third of its TTL while the factory runs, released by
 * compare-and-delete; followers wait for the value — woken through {@link LeaseNotifier}, polling
 * as a fallback — up to `lock.wait`, then compute themselves. Without a ready connection, or when
 * Redis refuses the scripts, it answers `unavailable` at once (in-process coalescing only).
 */
export class RedisLease<P> implements ReadThroughLease<P> {
  readonly #host: LeaseHost<P>;
  readonly #notifier: LeaseNotifier;
  readonly #channel: string;

  constructor(host: LeaseHost<P>) {
    this.#host = host;
    this.#channel = `${host.parts.keyPrefix}__cache:getorset:released`;
    this.#notifier = new LeaseNotifier(this.#channel, host.parts.o.logger);
  }

  /** Closes the notification connection. */
  close(): void {
    this.#notifier.close();
  }

  async acquire(key: string, request: LeaseRequest): Promise<LeaseOutcome<P>> {
    const p = this.#host.parts;
    const client = p.conn.readyClient;
    if (client === null) return UNAVAILABLE;
    const generation = p.namespace.current(client);
    if (generation && !(await generation)) return UNAVAILABLE;
    const physicalKey = p.namespace.key(key);
    const leaseKey = leaseKeyFor(p.keyPrefix, physicalKey);
    if (leaseKey === null) return UNAVAILABLE;
    const ttlMs = Math.max(MIN_LEASE_TTL_MS, request.lock.ttlMs ?? DEFAULT_LEASE_TTL_MS);
    const token = randomBytes(16).toString('base64url');
    const digest = createHash('sha256').update(typeof physicalKey === 'string' ? Buffer.from(physicalKey, 'utf8') : physicalKey).digest('base64url').slice(0, 22);
    const take = async (c: RedisClient): Promise<string | null> => {
      try {
        return String(await c.eval(ACQUIRE, 1, leaseKey, token, ttlMs));
      } catch (error) {
        p.problems.redis('getOrSet', classifyRedisError(error, 'EVAL', p.conn.commandTimeoutMs), 'The factory runs without a cross-process lease.');
        return null;
      }
    };
    let holder = await take(client);
    if (holder === null) return UNAVAILABLE;
    if (holder === token) {
      const grant = this.#grant(client, leaseKey, token, ttlMs, digest, request.signal);
      // Another process may have stored the value between this flight's lookup and the lease.
      const value = request.forceRefresh ? null : await this.#host.fresh(key);
      if (value === null) return { kind: 'leader', grant, waited: false };
      await Promise.resolve(grant.release()).catch(() => undefined);
      return { kind: 'follower', prepared: value };
    }
    const deadline = performance.now() + (request.lock.waitMs ?? DEFAULT_LEASE_WAIT_MS);
    let pollMs = FIRST_POLL_MS;
    for (;;) {
      const left = deadline - performance.now();
      if (left <= 0) return TIMED_OUT;
      const now = p.conn.readyClient;
      if (now === null) return UNAVAILABLE;
      await this.#notifier.wait(now, digest, Math.min(pollMs, left), request.signal);
      if (request.signal.aborted) return TIMED_OUT;
      pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
      const c = p.conn.readyClient;
      if (c === null) return UNAVAILABLE;
      let current: string | null;
      try {
        current = await c.get(leaseKey);
      } catch {
        continue;
      }
      if (current === holder) continue;
      // The holder gave the lease back or lost it: take its value, else the lease.
      const value = await this.#host.fresh(key);
      if (value !== null) return { kind: 'follower', prepared: value };
      const next = await take(c);
      if (next === null) return UNAVAILABLE;
      if (next === token) return { kind: 'leader', grant: this.#grant(c, leaseKey, token, ttlMs, digest, request.signal), waited: true };
      holder = next;
    }
  }

  /** The fenced store of the flight holding `grant`: its write happens only while no other holder has the lease. */
  fence(key: string, grant: LeaseGrant): WriteFence | undefined {
    const p = this.#host.parts;
    if (leaseKeyFor(p.keyPrefix, p.namespace.key(key)) === null) return undefined;
    // The lease key of the physical key actually written (the generation may have moved on since the lease was taken).
    return async (client, physicalKey, bytes, seconds) => {
      const leaseKey = leaseKeyFor(p.keyPrefix, physicalKey);
      return leaseKey !== null && (await client.eval(STORE, 2, physicalKey, leaseKey, bytes, seconds, grant.token)) === 1;
    };
  }

  /**
   * A held lease: renewed every third of its TTL until released — which happens once the value is
   * stored or the factory failed, or as soon as no caller waits any more (`signal` aborts), so an
   * abandoned or hung factory never keeps other processes waiting.
   */
  #grant(client: RedisClient, leaseKey: Buffer, token: string, ttlMs: number, digest: string, signal: AbortSignal): LeaseGrant {
    const renew = setInterval(() => {
      client.eval(RENEW, 1, leaseKey, token, ttlMs).catch(() => undefined);
    }, Math.floor(ttlMs / 3));
    renew.unref();
    let released: Promise<unknown> | null = null;
    const release = (): Promise<unknown> => {
      if (released === null) {
        clearInterval(renew);
        signal.removeEventListener('abort', onAbort);
        released = client.eval(RELEASE, 1, leaseKey, token, this.#channel, digest);
      }
      return released;
    };
    const onAbort = (): void => {
      release().catch(() => undefined);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    return { token, release: async () => void (await release()) };
  }
}

const UNAVAILABLE: LeaseOutcome<never> = Object.freeze({ kind: 'unavailable' });
const TIMED_OUT: LeaseOutcome<never> = Object.freeze({ kind: 'timed_out' });
