import { assertStorableValue, keyFingerprint, resolveTags, resolveTtlSeconds, type Duration, type SetOptions } from '@cache/core';
import { assertRedisKey, writeL1, type CacheParts } from './cache-parts.js';
import type { RedisKey } from 'ioredis';
import { isCluster, type RedisClient } from './scan-unlink.js';
import type { InvalidationEngine } from './invalidation-engine.js';
import type { WriteOutcome } from './operation-report.js';
import { classifyRedisError } from './redis-errors.js';
import { assertTagsAllowed, indexTags } from './tags.js';
import { assertValueSize } from './value-size.js';
import { encodeCodecBytes, entryTimes, type EncodedValue } from './wire-format.js';

/** A write that replaces the plain SET (the read-through lease's fenced store): resolves `false` when it refused to write. */
export type WriteFence = (client: RedisClient, physicalKey: RedisKey, bytes: Buffer, seconds: number) => Promise<unknown>;

/**
 * Sentinel target: `WAIT` for `replicasToAcknowledge` replicas right behind a write, so that a
 * write is reported stored only once a failover cannot lose it. Null when there is nothing to wait for.
 */
function replication(p: CacheParts, client: RedisClient): Promise<void> | null {
  const target = p.o.target;
  if (target.kind !== 'sentinel' || target.replicasToAcknowledge === 0 || isCluster(client)) return null;
  const wanted = target.replicasToAcknowledge;
  const waiting = client.wait(wanted, Math.max(1, Math.floor(p.conn.commandTimeoutMs / 2))).then((acked) => {
    if (acked < wanted) throw new Error(`NOREPLICAS ${acked} of ${wanted} replicas acknowledged the write in time`);
  });
  waiting.catch(() => undefined);
  return waiting;
}

/** Null when the namespace generation is known, else its read: false when Redis did not answer (the command is then degraded). */
function readNamespace(p: CacheParts): Promise<boolean> | null {
  const client = p.conn.readyClient;
  return client === null ? null : p.namespace.current(client);
}

const SET_NOTE = "The value stays in this instance's L1 only; Redis' older copy is not served here and is invalidated as soon as Redis allows.";
const DELETE_NOTE = "The key was removed from L1; Redis' copy is not served by this instance and is removed as soon as Redis allows.";

/**
 * `set` and `delete`. Per key, commands reach Redis in call order (async compression cannot
 * reorder them) and L1 always reflects the last call. Each call costs at most one Redis command
 * and so one command budget: a write Redis does not take is recorded as a pending invalidation
 * that the engine applies later, never awaited here.
 */
export class WritePath {
  readonly #p: CacheParts;
  readonly #engine: InvalidationEngine;

  constructor(parts: CacheParts, engine: InvalidationEngine) {
    this.#p = parts;
    this.#engine = engine;
  }

  /** Validates and encodes synchronously, then {@link write}s; every failure rejects (no promise of its own on top of the write's). */
  set(key: string, value: unknown, ttl?: Duration | SetOptions | null): Promise<WriteOutcome> {
    const p = this.#p;
    let ttlSeconds: number;
    let tags: readonly string[];
    let codecBytes: Uint8Array;
    try {
      assertRedisKey(key);
      assertStorableValue(value);
      ttlSeconds = resolveTtlSeconds(ttl, p.o.defaultTtl);
      tags = resolveTags(ttl);
      if (tags.length > 0) assertTagsAllowed(p.keyPrefix, 'set() with tags');
      codecBytes = p.o.codec.encode(value);
      assertValueSize(codecBytes, p.o.maxValueBytes);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return this.write(key, value, codecBytes, ttlSeconds, 0, undefined, tags);
  }

  /**
   * `set` of an already validated and encoded value (the read-through store): fresh for
   * `ttlSeconds`, kept `graceSeconds` longer in Redis for the stale path (L1 holds it only while
   * fresh). With `fence`, the Redis write is the fence's command instead of a plain SET (a
   * getOrSet leader's lease check); a refused fenced write changes nothing in Redis and is not a failure.
   * With `tags`, the key is listed under each tag before the value is written (or not written at all).
   */
  async write(key: string, value: unknown, codecBytes: Uint8Array, ttlSeconds: number, graceSeconds: number, fence: WriteFence | undefined, tags: readonly string[]): Promise<WriteOutcome> {
    const p = this.#p;
    const started = performance.now();
    const gate = p.startupGate();
    if (gate) await gate;
    const reading = readNamespace(p);
    const namespaceKnown = reading === null || (await reading);
    p.keys.markWritten(key);
    const l1 = p.l1;
    if (l1) writeL1(p, l1, key, value, Math.min(ttlSeconds, p.o.l1MaxTtl), codecBytes, tags);
    const physicalKey = p.namespace.key(key);
    const previous = p.keys.pendingIssue(key);
    let encoded: EncodedValue | Promise<EncodedValue>;
    let release: (() => void) | null = null;
    try {
      encoded = encodeCodecBytes(p.wire, physicalKey, codecBytes, entryTimes(p.o.clock.now(), ttlSeconds, graceSeconds));
      if (previous || encoded instanceof Promise || tags.length > 0) {
        release = p.keys.reserveIssue(key);
        encoded = await encoded;
        if (previous) await previous;
      }
    } catch (error) {
      release?.();
      this.#engine.writeFailed(key);
      p.problems.warn('encode_failed', 'Encoding a cache value for Redis failed; the write stays local', {
        keyFingerprint: keyFingerprint(key),
        error: error instanceof Error ? error.message : String(error),
      });
      return p.report.degradedSet(key, value, ttlSeconds, 0, 'redis_error', 'encoding failed', started);
    }
    const client = namespaceKnown ? p.conn.readyClient : null;
    if (!client) {
      release?.();
      this.#engine.writeFailed(key);
      return p.report.degradedSet(key, value, ttlSeconds, encoded.bytes.byteLength, 'redis_unavailable', undefined, started);
    }
    if (tags.length > 0) {
      // Listed under its tags before the value is written, or not written at all.
      try {
        await indexTags(client, p.namespace, key, tags, ttlSeconds + graceSeconds);
      } catch (error) {
        release?.();
        this.#engine.writeFailed(key);
        const problem = classifyRedisError(error, 'SADD', p.conn.commandTimeoutMs);
        p.problems.redis('set', problem, SET_NOTE);
        return p.report.degradedSet(key, value, ttlSeconds, encoded.bytes.byteLength, 'redis_error', problem.message, started);
      }
    }
    const seq = p.ledger.writeIssued(key);
    if (p.coherence?.mode === 'tracking') p.coherence.expectOwn(key);
    const reply = fence ? fence(client, physicalKey, encoded.bytes, ttlSeconds + graceSeconds) : client.set(physicalKey, encoded.bytes, 'EX', ttlSeconds + graceSeconds);
    const replicated = replication(p, client);
    release?.();
    if (encoded.compressed) p.metrics.compression(encoded.rawBytes, encoded.bodyBytes, encoded.compressionMs);
    let answer: unknown;
    try {
      answer = await reply;
      if (replicated) await replicated;
    } catch (error) {
      // Synchronously after the reply, so a read answered after this one already sees the fence.
      this.#engine.writeFailed(key);
      p.coherence?.ownFailed(key);
      const problem = classifyRedisError(error, 'SET', p.conn.commandTimeoutMs);
      p.problems.redis('set', problem, SET_NOTE);
      return p.report.degradedSet(key, value, ttlSeconds, encoded.bytes.byteLength, 'redis_error', problem.message, started);
    }
    p.ledger.writeConfirmed(key, seq);
    // A fence that refused (a newer lease holds the key): Redis keeps the newer value, so L1 must not serve this one.
    if (fence && answer === false) p.l1?.deleteSync(key);
    p.coherence?.publish(client, key);
    return p.report.stored(key, value, ttlSeconds, encoded.bytes.byteLength, started);
  }

  async delete(key: string): Promise<boolean> {
    const p = this.#p;
    assertRedisKey(key);
    const started = performance.now();
    const gate = p.startupGate();
    if (gate) await gate;
    const reading = readNamespace(p);
    const namespaceKnown = reading === null || (await reading);
    p.keys.markWritten(key);
    const inL1 = p.l1 ? p.l1.deleteSync(key) : false;
    const physicalKey = p.namespace.key(key);
    const previous = p.keys.pendingIssue(key);
    let release: (() => void) | null = null;
    if (previous) {
      release = p.keys.reserveIssue(key);
      await previous;
    }
    // Recorded before the UNLINK is sent: a read answered meanwhile must not serve the old value.
    const entry = this.#engine.record({ kind: 'key', key });
    const client = namespaceKnown ? p.conn.readyClient : null;
    let existed = inL1;
    let degraded = client === null;
    if (client) {
      const reply = client.unlink(physicalKey);
      const replicated = replication(p, client);
      release?.();
      try {
        existed = (await reply) > 0 || inL1;
        if (replicated) await replicated;
        if (entry) p.ledger.settle(entry);
        p.coherence?.publish(client, key);
      } catch (error) {
        degraded = true;
        this.#engine.failed(entry, error, 'delete', 'UNLINK', DELETE_NOTE);
      }
    } else {
      release?.();
    }
    p.report.deleted(key, existed, degraded, started);
    return existed;
  }
}
