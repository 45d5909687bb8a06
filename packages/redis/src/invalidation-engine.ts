import { compileGlob, escapeGlob } from '@cache/core';
import { assertPattern, type CacheParts } from './cache-parts.js';
import type { InvalidationType } from './events.js';
import { PendingInvalidation, type InvalidationScope } from './pending-invalidations.js';
import { classifyRedisError, problemToError, type RedisProblem } from './redis-errors.js';
import { scanAndUnlink, type RedisClient } from './scan-unlink.js';

/** Options of the protected invalidation engine entry point (`invalidateMatching`). */
export interface InvalidateMatchingOptions {
  type: InvalidationType;
  context: string;
  /** Merged into the recorder's `extra`. */
  extra?: Readonly<Record<string, unknown>>;
}

/** Failed attempts (timeouts, server errors; not lost connections) before an entry is quarantined. */
const MAX_ATTEMPTS = 5;
const QUARANTINE_RETRY_MS = 60_000;
const KEY_BATCH = 500;

const PENDING_NOTE = "Redis' copy is not served by this instance until the invalidation is applied (retried in the background).";

/**
 * Applies invalidations to Redis — at once when connected, else from the pending ledger — and
 * keeps retrying what Redis did not take: in the background on a live connection (no waiting for
 * a reconnect), and once before every `ready`. Retries are bounded: an entry refused permanently
 * (no permission, read-only replica, disabled command) or failing `MAX_ATTEMPTS` times is
 * quarantined — counted, warned once, still fencing reads, retried on reconnect and once a
 * minute — so the cache always becomes ready. An entry never removes a key written after it was issued.
 */
export class InvalidationEngine {
  readonly #p: CacheParts;
  #timer: NodeJS.Timeout | null = null;
  #timerDue = 0;
  #draining = false;

  constructor(parts: CacheParts) {
    this.#p = parts;
  }

  /** Queues an invalidation (its keys are fenced at once); `null` when a pending entry already covers it. */
  record(scope: InvalidationScope, seq?: number): PendingInvalidation | null {
    const p = this.#p;
    const { entry, folded } = p.ledger.add(scope, seq);
    if (folded > 0) {
      p.stats.counters.pendingInvalidationsWidened++;
      p.problems.warn(
        'backlog_widened',
        `More than pendingInvalidationLimit (${p.o.pendingInvalidationLimit}) invalidations are waiting for Redis: ${folded} were folded into coarser ones (per first key segment, or the whole prefix). Nothing is forgotten; more keys are misses until Redis applies them.`,
        { pendingInvalidationLimit: p.o.pendingInvalidationLimit, folded },
      );
    }
    return entry;
  }

  /** A write of `key` did not reach Redis: Redis' older copy is invalidated, at once in the background on a live connection. */
  writeFailed(key: string): void {
    // Not connected: the pass before the next `ready` applies it.
    if (this.record({ kind: 'key', key }) && this.#p.conn.readyClient) this.#schedule(0);
  }

  /**
   * Reports a failed command of `operation` (classified, counted, rate-limited log and event) and,
   * for a pending `entry`, counts the attempt, quarantines it when retrying cannot help, and
   * schedules the next try. Returns the classified problem.
   */
  failed(entry: PendingInvalidation | null, error: unknown, operation: string, command: string, consequence: string): RedisProblem {
    const p = this.#p;
    const problem = classifyRedisError(error, command, p.conn.commandTimeoutMs);
    p.problems.redis(operation, problem, consequence);
    if (entry) {
      if (problem.kind !== 'connection') entry.attempts++;
      if (!entry.quarantined && (problem.permanent || entry.attempts >= MAX_ATTEMPTS)) this.#quarantine(entry, problem.message, problem.hint);
      const delay = entry.quarantined ? QUARANTINE_RETRY_MS : this.#retryDelay(entry.attempts);
      entry.notBefore = performance.now() + delay;
      this.#schedule(delay);
    }
    return problem;
  }

  /**
   * Removes every logical key matching `pattern` (`''` = the whole prefix) from L1 and from every
   * Redis master. Resolves the distinct count removed. Redis unavailable or failing transiently:
   * L1 only, status `partial`, the invalidation stays pending (applied later, its keys fenced
   * meanwhile). Refused permanently (ACL, read-only replica): rejects with a `ConfigurationError`
   * saying how to fix it, after the same L1 work and events.
   */
  async invalidateMatching(pattern: string, o: InvalidateMatchingOptions): Promise<number> {
    const p = this.#p;
    assertPattern(pattern);
    const gate = p.startupGate();
    if (gate) await gate;
    const started = performance.now();
    p.keys.markAllWritten();
    const scope: InvalidationScope = pattern === '' ? { kind: 'all' } : { kind: 'pattern', pattern };
    const entry = this.record(scope);
    const removed = new Set<string>();
    let l1Count = 0;
    const l1 = p.l1;
    if (l1) {
      const regex = pattern === '' ? null : compileGlob(pattern);
      for (const key of l1.getKeys()) {
        if ((regex === null || regex.test(key)) && l1.deleteSync(key)) {
          l1Count++;
          removed.add(key);
        }
      }
    }
    let redisCount = 0;
    let reason: string | undefined;
    let problem: RedisProblem | undefined;
    const client = p.conn.readyClient;
    if (client) {
      // Covered by an older pending entry: still try now, without a second ledger entry.
      const live = entry ?? new PendingInvalidation(scope, p.ledger.next(), false);
      try {
        redisCount = await this.#applyWide(client, live, (key) => removed.add(key));
      } catch (error) {
        problem = this.failed(entry, error, 'invalidate', 'UNLINK', `L1 was invalidated; ${PENDING_NOTE}`);
        reason = 'redis_error';
      }
    } else {
      reason = 'redis_unavailable';
    }
    const status = reason === undefined ? 'success' : 'partial';
    const c = p.stats.counters;
    c.invalidations++;
    if (reason !== undefined) c.invalidationsDegraded++;
    const total = removed.size;
    p.metrics.invalidation(pattern, total, performance.now() - started, o.type, o.context, {
      ...o.extra,
      status,
      l1Invalidated: l1Count,
      redisInvalidated: redisCount,
      ...(reason === undefined ? {} : { reason }),
    });
    p.events.emit('invalidation', { pattern, type: o.type, context: o.context, l1: l1Count, redis: redisCount, total, status });
    if (problem?.permanent) throw problemToError(problem, o.type === 'clear' ? 'clear()' : `invalidatePattern(${JSON.stringify(pattern)})`);
    return total;
  }

  /**
   * Runs once when the socket is usable again, before the state becomes `ready`: one attempt at
   * every pending entry, quarantined ones included. Failures never block `ready`; what is left
   * stays pending (and fenced) and is retried in the background.
   */
  readonly beforeReady = async (client: RedisClient, stillCurrent: () => boolean): Promise<void> => {
    if (this.#p.ledger.size === 0) return;
    await this.#pass(client, stillCurrent, true);
    this.#reschedule();
  };

  /** Stops background retries (on `disconnect()`); pending entries stay and are replayed on the next connect. */
  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #retryDelay(attempts: number): number {
    const o = this.#p.o;
    return Math.min(o.reconnectMaxDelayMs, o.reconnectBaseDelayMs * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
  }

  #quarantine(entry: PendingInvalidation, why: string, hint: string | undefined): void {
    const p = this.#p;
    entry.quarantined = true;
    p.stats.counters.invalidationsQuarantined++;
    p.problems.warn(
      'invalidation_quarantined',
      `An invalidation Redis keeps refusing was set aside (${why}). The keys it covers stay misses on this instance until it is applied; it is retried on every reconnect and every ${QUARANTINE_RETRY_MS / 1000} s.${hint ? ` Fix: ${hint}.` : ''}`,
      { scope: entry.scope.kind, attempts: entry.attempts },
    );
  }

  /** One attempt at each due entry (all of them before `ready`). Never throws. */
  async #pass(client: RedisClient, stillCurrent: () => boolean, everything: boolean): Promise<void> {
    const now = performance.now();
    const due = this.#p.ledger.entries().filter((entry) => everything || entry.notBefore <= now);
    const keyed = due.filter((entry) => entry.scope.kind === 'key');
    for (let i = 0; i < keyed.length && stillCurrent(); i += KEY_BATCH) {
      await Promise.all(keyed.slice(i, i + KEY_BATCH).map((entry) => this.#applyKey(client, entry)));
    }
    for (const entry of due) {
      if (entry.scope.kind === 'key') continue;
      if (!stillCurrent()) return;
      if (entry.widened && entry.scope.kind === 'all' && this.#p.keyPrefix === '') {
        this.#refuseUnprefixedWidening(entry);
        continue;
      }
      try {
        await this.#applyWide(client, entry);
      } catch (error) {
        this.failed(entry, error, 'replay', 'UNLINK', 'The invalidation stays pending.');
      }
    }
  }

  /** UNLINK of one pending key, unless the key was written after the entry was issued. */
  #applyKey(client: RedisClient, entry: PendingInvalidation): Promise<void> {
    const p = this.#p;
    const key = (entry.scope as { key: string }).key;
    const since = p.ledger.writtenSince(key, entry.seq);
    if (since === 'confirmed') {
      p.ledger.settle(entry);
      return Promise.resolve();
    }
    if (since === 'issued') {
      // A newer write is in flight: its outcome decides (stored supersedes this entry; a failure queues a newer one).
      entry.notBefore = performance.now() + this.#retryDelay(1);
      return Promise.resolve();
    }
    return client.unlink(p.keyPrefix + key).then(
      () => {
        p.ledger.settle(entry);
        p.coherence?.publish(client, key);
      },
      (error: unknown) => void this.failed(entry, error, 'replay', 'UNLINK', 'The invalidation stays pending.'),
    );
  }

  /**
   * SCAN + UNLINK of a pattern/clear entry on every master, skipping keys written after it was
   * issued (a key whose newer write is still unconfirmed gets its own entry of the same age).
   * Settles the entry; rejects with the client's error.
   */
  async #applyWide(client: RedisClient, entry: PendingInvalidation, onRemoved?: (key: string) => void): Promise<number> {
    const p = this.#p;
    const prefix = p.keyPrefix;
    const scope = entry.scope;
    const match = escapeGlob(prefix) + (scope.kind === 'pattern' ? scope.pattern : '*');
    let count = 0;
    await scanAndUnlink(client, match, p.o.scanCount, {
      keep: (physicalKey) => {
        const key = physicalKey.slice(prefix.length);
        const since = p.ledger.writtenSince(key, entry.seq);
        if (since === 'issued') this.record({ kind: 'key', key }, entry.seq);
        return since === 'no';
      },
      removed: (physicalKey) => {
        count++;
        onRemoved?.(physicalKey.slice(prefix.length));
      },
    });
    p.ledger.settle(entry);
    p.coherence?.publish(client, null);
    return count;
  }

  #refuseUnprefixedWidening(entry: PendingInvalidation): void {
    if (entry.quarantined) return;
    entry.quarantined = true;
    entry.notBefore = Number.POSITIVE_INFINITY;
    this.#p.stats.counters.invalidationsQuarantined++;
    this.#p.problems.warn(
      'unprefixed_widening',
      'The pending-invalidation backlog had to be widened to the whole namespace, but this cache has no keyPrefix: applying it would delete every key of the database, so it is kept as a fence only. This instance serves nothing from Redis until it restarts. Fix: configure a keyPrefix.',
    );
  }

  #schedule(delayMs: number): void {
    const due = performance.now() + delayMs;
    if (this.#timer && this.#timerDue <= due) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerDue = due;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#background();
    }, delayMs);
    this.#timer.unref();
  }

  #reschedule(): void {
    let next = Number.POSITIVE_INFINITY;
    for (const entry of this.#p.ledger.entries()) next = Math.min(next, entry.notBefore);
    if (next !== Number.POSITIVE_INFINITY) this.#schedule(Math.max(0, next - performance.now()));
  }

  async #background(): Promise<void> {
    const client = this.#p.conn.readyClient;
    // Not ready: the pass before the next `ready` covers everything.
    if (!client || this.#draining) return;
    this.#draining = true;
    try {
      await this.#pass(client, () => this.#p.conn.readyClient === client, false);
    } finally {
      this.#draining = false;
    }
    this.#reschedule();
  }
}
