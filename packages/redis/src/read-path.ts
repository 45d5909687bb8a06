import { keyFingerprint, type ReadThroughHit } from '@cache/core';
import type { InMemoryCache } from '@cache/memory';
import type { RedisKey } from 'ioredis';
import { assertPattern, assertRedisKey, l1Readable, writeL1, type CacheParts } from './cache-parts.js';
import { cloneJson } from './l1-values.js';
import { classifyRedisError, problemToError } from './redis-errors.js';
import type { ReadToken } from './key-coordinator.js';
import { isLeaseKey } from './lease.js';
import { mgetGroups } from './mget.js';
import type { OperationReport } from './operation-report.js';
import { scanMatching, type RedisClient } from './scan-unlink.js';
import { decodeEnvelope, type DecodeResult } from './wire-format.js';

/** The accounting of an uncounted read (`peek`): nothing is reported. */
const SILENT: ReadReport = { hit: () => undefined, l1Hit: () => undefined, miss: () => null };

type ReadMode = 'get' | 'lookup' | 'peek' | 'exists';
type ReadReport = Pick<OperationReport, 'hit' | 'l1Hit' | 'miss'>;
/** What `get` and `peek` resolve with: the value, or null. */
const valueOf = (found: ReadThroughHit | null): unknown => found?.value ?? null;
/** What `lookup` and `exists` resolve with: the hit itself. */
const asHit = (found: ReadThroughHit | null): ReadThroughHit | null => found;

const MIN_PROMOTION_MS = 1000;
const READ_NOTE = 'Answered as a miss.';

/**
 * `get`, `exists`, `getTtl`, `scanKeys` and the read-through's lookups. L1 answers first (it
 * reflects this instance's last write). Redis is asked only when ready, and its copy of a key with
 * a pending invalidation (one this instance issued that Redis has not applied yet) is never served,
 * counted or promoted — checked again after the reply, so an invalidation recorded meanwhile also
 * wins. A value past the hard expiry bound into its envelope is a miss; so is, except for the
 * read-through's stale path, a value past its fresh time (kept only for a `getOrSet` grace period).
 * One command budget per call.
 */
export class ReadPath {
  readonly #p: CacheParts;
  readonly #shouldPromote: (key: string, remainingMs: number) => boolean;

  constructor(parts: CacheParts, shouldPromote: (key: string, remainingMs: number) => boolean) {
    this.#p = parts;
    this.#shouldPromote = shouldPromote;
  }

  /**
   * Without a promise of its own on the Redis path: the reply's `then` settles the call (an async
   * `get` awaiting an async read cost two more promises and microtask turns per get). Every failure,
   * an invalid key included, rejects; nothing throws synchronously.
   */
  get<T>(key: string): Promise<T | null> {
    let hit: unknown;
    try {
      hit = this.#l1Hit(key);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    if (hit !== null) return Promise.resolve(hit as T);
    return this.#read(key, 'get', this.#p.l1 !== null, valueOf) as Promise<T | null>;
  }

  /**
   * The read-through engine's lookup: `get`, counted like it, except that a value past its fresh
   * time but within its grace period comes back as `stale` (counted as a miss, never promoted).
   */
  lookup(key: string): ReadThroughHit | Promise<ReadThroughHit | null> {
    // An L1 hit answers synchronously (no promise on the hot path).
    const value = this.#l1Hit(key);
    return value === null ? this.#read(key, 'lookup', this.#p.l1 !== null, asHit) : { value, stale: false };
  }

  /** Validates `key`; its L1 value (counted as a hit) or null (no L1, or an L1 miss, not counted yet). */
  #l1Hit(key: string): unknown {
    assertRedisKey(key);
    const l1 = this.#p.l1;
    if (l1 === null || !l1Readable(this.#p)) return null;
    let value = l1.getSync(key);
    if (value !== null) {
      if (this.#p.l1Mode === 'clone') value = cloneJson(value);
      this.#p.report.l1Hit(key, value);
    }
    return value;
  }

  /** A fresh value of `key` (promoted into L1 like a `get` hit) or null, without counting a lookup. */
  async peek(key: string): Promise<unknown> {
    assertRedisKey(key);
    return this.#read(key, 'peek', false, valueOf);
  }

  /**
   * `get` and `lookup` are counted; `peek` and `exists` are not, and `exists` never promotes into
   * L1. `key` is already validated. `l1Checked`: the caller already missed in L1 (its duration is
   * then Redis' only). `answer` turns the outcome into what the caller resolves with. Never throws:
   * a failure rejects.
   */
  #read<R>(key: string, mode: ReadMode, l1Checked: boolean, answer: (found: ReadThroughHit | null) => R): Promise<R> {
    try {
      const p = this.#p;
      const report = mode === 'get' || mode === 'lookup' ? p.report : SILENT;
      const l1 = p.l1;
      if (l1 && !l1Checked && l1Readable(p)) {
        let value = l1.getSync(key);
        if (value !== null) {
          if (p.l1Mode === 'clone') value = cloneJson(value);
          report.l1Hit(key, value);
          return Promise.resolve(answer({ value, stale: false }));
        }
      }
      const started = performance.now();
      const gate = p.startupGate();
      if (gate) return gate.then(() => this.#readReady(key, mode, report, started, answer));
      return this.#readReady(key, mode, report, started, answer);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** {@link #read} once the startup gate is open: asks Redis unless unavailable, fenced, or the namespace is unknown. */
  #readReady<R>(key: string, mode: ReadMode, report: ReadReport, started: number, answer: (found: ReadThroughHit | null) => R): Promise<R> {
    const p = this.#p;
    const client = p.conn.readyClient;
    if (!client) return Promise.resolve(answer(report.miss(key, 'redis_unavailable', started)));
    if (p.ledger.isFenced(key)) return Promise.resolve(answer(report.miss(key, 'invalidation_pending', started)));
    const generation = p.namespace.current(client);
    if (generation) {
      return generation.then((known) => (known ? this.#ask(client, key, mode, report, started, answer) : answer(report.miss(key, 'redis_error', started))));
    }
    return this.#ask(client, key, mode, report, started, answer);
  }

  /** The `GET` of `key` and what its reply means; the read is registered (for promotion) until it is settled. */
  #ask<R>(client: RedisClient, key: string, mode: ReadMode, report: ReadReport, started: number, answer: (found: ReadThroughHit | null) => R): Promise<R> {
    const p = this.#p;
    const physicalKey = p.namespace.key(key);
    const token = p.l1 ? p.keys.beginRead(key) : null;
    return client.getBuffer(physicalKey).then(
      (bytes) => {
        let found: ReadThroughHit | null | Promise<ReadThroughHit | null> | undefined;
        try {
          found = this.#settle(key, physicalKey, mode, bytes, token, report, started);
        } finally {
          if (token && !(found instanceof Promise)) p.keys.endRead(key, token);
        }
        if (!(found instanceof Promise)) return answer(found);
        return (token ? found.finally(() => p.keys.endRead(key, token)) : found).then(answer);
      },
      (error: unknown) => {
        if (token) p.keys.endRead(key, token);
        p.problems.redis(mode === 'peek' ? 'getOrSet' : mode, classifyRedisError(error, 'GET', p.conn.commandTimeoutMs), READ_NOTE);
        return answer(report.miss(key, 'redis_error', started));
      },
    );
  }

  /**
   * `getMany`: every key exactly as `get` (L1 first, fencing, decoding, grace, promotion,
   * counters), with the Redis lookups of all L1 misses in one `MGET` — one per hash slot on a
   * cluster, each failing (as counted misses) on its own.
   */
  async getMany<T>(keys: readonly string[]): Promise<Array<T | null>> {
    const p = this.#p;
    const out = new Array<T | null>(keys.length).fill(null);
    const misses: number[] = [];
    keys.forEach((key, i) => {
      const hit = this.#l1Hit(key);
      if (hit === null) misses.push(i);
      else out[i] = hit as T;
    });
    if (misses.length === 0) return out;
    const started = performance.now();
    const gate = p.startupGate();
    if (gate) await gate;
    const client = p.conn.readyClient;
    const asked = misses.filter((i) => {
      const key = keys[i] as string;
      if (client && !p.ledger.isFenced(key)) return true;
      p.report.miss(key, client ? 'invalidation_pending' : 'redis_unavailable', started);
      return false;
    });
    if (!client || asked.length === 0) return out;
    const generation = p.namespace.current(client);
    if (generation && !(await generation)) {
      for (const i of asked) p.report.miss(keys[i] as string, 'redis_error', started);
      return out;
    }
    const physicalKeys = asked.map((i) => p.namespace.key(keys[i] as string));
    const tokens = asked.map((i) => (p.l1 ? p.keys.beginRead(keys[i] as string) : null));
    try {
      const groups = mgetGroups(client, physicalKeys);
      await Promise.all(
        groups.map(async ({ positions, reply }) => {
          let replies: Array<Buffer | null>;
          try {
            replies = await reply;
          } catch (error) {
            p.problems.redis('getMany', classifyRedisError(error, 'MGET', p.conn.commandTimeoutMs), READ_NOTE);
            for (const j of positions) p.report.miss(keys[asked[j] as number] as string, 'redis_error', started);
            return;
          }
          // Settled synchronously while envelopes decode synchronously: no promise per key.
          const decoding: Array<Promise<void>> = [];
          positions.forEach((j, n) => {
            const i = asked[j] as number;
            const found = this.#settle(keys[i] as string, physicalKeys[j] as RedisKey, 'get', replies[n] ?? null, tokens[j] ?? null, p.report, started);
            if (!(found instanceof Promise)) {
              if (found !== null) out[i] = found.value as T;
              return;
            }
            decoding.push(
              found.then((hit) => {
                if (hit !== null) out[i] = hit.value as T;
              }),
            );
          });
          if (decoding.length > 0) await Promise.all(decoding);
        }),
      );
      return out;
    } finally {
      asked.forEach((i, j) => {
        const token = tokens[j];
        if (token) p.keys.endRead(keys[i] as string, token);
      });
    }
  }

  /**
   * What Redis' reply for `key` means: fencing checked again, decoding, grace, promotion and
   * accounting. A promise only while the envelope decodes asynchronously.
   */
  #settle(
    key: string,
    physicalKey: RedisKey,
    mode: ReadMode,
    bytes: Buffer | null,
    token: ReadToken | null,
    report: Pick<OperationReport, 'hit' | 'miss'>,
    started: number,
  ): ReadThroughHit | null | Promise<ReadThroughHit | null> {
    const p = this.#p;
    if (p.ledger.isFenced(key)) return report.miss(key, 'invalidation_pending', started);
    if (bytes === null) return report.miss(key, 'not_found', started);
    const now = p.o.clock.now();
    const decoded = decodeEnvelope(p.wire, physicalKey, bytes, now);
    if (decoded instanceof Promise) return decoded.then((result) => this.#settleDecoded(key, mode, result, token, report, started, now));
    return this.#settleDecoded(key, mode, decoded, token, report, started, now);
  }

  #settleDecoded(
    key: string,
    mode: ReadMode,
    decoded: DecodeResult,
    token: ReadToken | null,
    report: Pick<OperationReport, 'hit' | 'miss'>,
    started: number,
    now: number,
  ): ReadThroughHit | null {
    const p = this.#p;
    if (!decoded.ok) {
      p.stats.counters.decodeErrors++;
      p.problems.warn(`decode:${decoded.reason}`, 'A cache value in Redis could not be used and was treated as a miss', {
        keyFingerprint: keyFingerprint(key),
        reason: decoded.reason,
      });
      p.events.emit('decode_error', key, { reason: decoded.reason });
      return report.miss(key, 'decode_error', started);
    }
    if (now >= decoded.freshUntil) {
      // Within its grace period: only the read-through's stale path may serve it.
      report.miss(key, 'stale', started);
      return mode === 'lookup' ? { value: decoded.value, stale: true } : null;
    }
    const l1 = p.l1;
    if (l1 && token && mode !== 'exists' && !token.stale && !p.ledger.isFenced(key)) this.#promote(l1, key, decoded.value, decoded.freshUntil - now);
    report.hit(key, decoded.value, started);
    return { value: decoded.value, stale: false };
  }

  async exists(key: string): Promise<boolean> {
    const p = this.#p;
    assertRedisKey(key);
    const started = performance.now();
    if (p.l1 && l1Readable(p) && p.l1.hasSync(key)) {
      p.report.exists(true, 'l1', started);
      return true;
    }
    const gate = p.startupGate();
    if (gate) await gate;
    const client = p.conn.readyClient;
    // A usable value, not just a Redis key: one past its fresh time (a getOrSet grace period) or undecodable does not exist.
    const result = client !== null && (await this.#read(key, 'exists', false, asHit)) !== null;
    p.report.exists(result, client ? 'redis' : 'none', started);
    return result;
  }

  async getTtl(key: string): Promise<number | null> {
    const p = this.#p;
    assertRedisKey(key);
    const gate = p.startupGate();
    if (gate) await gate;
    const client = p.conn.readyClient;
    const generation = client ? p.namespace.current(client) : null;
    if (client && !p.ledger.isFenced(key) && (generation === null || (await generation))) {
      try {
        const physicalKey = p.namespace.key(key);
        const [ttl, bytes] = await Promise.all([client.ttl(physicalKey), client.getBuffer(physicalKey)]);
        if (!p.ledger.isFenced(key)) return ttl < 0 || bytes === null ? null : await this.#freshSeconds(physicalKey, bytes, ttl);
      } catch (error) {
        p.problems.redis('getTtl', classifyRedisError(error, 'TTL', p.conn.commandTimeoutMs), "Answered from L1.");
      }
    }
    return p.l1 ? p.l1.getTtl(key) : null;
  }

  /**
   * Whole seconds a stored value stays fresh — at most Redis' `ttl`, and not the time it is kept
   * for a `getOrSet` grace period — or null when it is no longer fresh or cannot be decoded.
   */
  async #freshSeconds(physicalKey: RedisKey, bytes: Buffer, ttl: number): Promise<number | null> {
    const now = this.#p.o.clock.now();
    const decoded = await decodeEnvelope(this.#p.wire, physicalKey, bytes, now);
    if (!decoded.ok || now >= decoded.freshUntil) return null;
    return Math.min(ttl, Math.floor((decoded.freshUntil - now) / 1000));
  }

  /**
   * Logical keys in Redis matching `pattern` on every master, without keys whose invalidation is
   * pending here; nothing when not ready. A failing command rejects with a typed `CacheError`.
   */
  async *scanKeys(pattern: string): AsyncGenerator<string> {
    const p = this.#p;
    assertPattern(pattern);
    const gate = p.startupGate();
    if (gate) await gate;
    const client = p.conn.readyClient;
    if (!client) return;
    const seen = new Set<string>();
    const namespace = p.namespace;
    let scan: AsyncGenerator<Buffer> | null = null;
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        if (scan === null) {
          await namespace.known(client);
          scan = scanMatching(client, namespace.match(pattern), p.o.scanCount);
        }
        next = await scan.next();
      } catch (error) {
        const problem = classifyRedisError(error, 'SCAN', p.conn.commandTimeoutMs);
        p.problems.redis('scanKeys', problem, 'The listing was aborted.');
        throw problemToError(problem, `scanKeys(${JSON.stringify(pattern)})`);
      }
      if (next.done) return;
      const key = namespace.logical(next.value);
      if (key === null || seen.has(key) || p.ledger.isFenced(key) || isLeaseKey(key)) continue;
      seen.add(key);
      yield key;
    }
  }

  /**
   * Copies a Redis hit into L1 for no longer than the envelope's fresh time allows (the `EX` of
   * the write that stored it ends at the same time, so no PTTL round trip is needed), and only
   * while L1 coherence trusts L1.
   */
  #promote(l1: InMemoryCache, key: string, value: unknown, remainingMs: number): void {
    const p = this.#p;
    if (!(p.coherence?.trusted ?? true)) return;
    if (remainingMs < MIN_PROMOTION_MS || !this.#shouldPromote(key, remainingMs)) return;
    writeL1(p, l1, key, value, Math.floor(Math.min(remainingMs / 1000, p.o.l1MaxTtl)));
  }
}
