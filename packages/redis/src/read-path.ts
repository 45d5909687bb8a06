import { escapeGlob, keyFingerprint } from '@cache/core';
import type { InMemoryCache } from '@cache/memory';
import { assertPattern, assertRedisKey, l1Readable, writeL1, type CacheParts } from './cache-parts.js';
import { classifyRedisError, problemToError } from './redis-errors.js';
import { scanMatching } from './scan-unlink.js';
import { decodeEnvelope } from './wire-format.js';

const MIN_PROMOTION_MS = 1000;
const READ_NOTE = 'Answered as a miss.';

/**
 * `get`, `exists`, `getTtl` and `scanKeys`. L1 answers first (it reflects this instance's last
 * write). Redis is asked only when ready, and its copy of a key with a pending invalidation (one
 * this instance issued that Redis has not applied yet) is never served, counted or promoted —
 * checked again after the reply, so an invalidation recorded meanwhile also wins. A value past the
 * hard expiry bound into its envelope is a miss. One command budget per call.
 */
export class ReadPath {
  readonly #p: CacheParts;
  readonly #shouldPromote: (key: string, remainingMs: number) => boolean;

  constructor(parts: CacheParts, shouldPromote: (key: string, remainingMs: number) => boolean) {
    this.#p = parts;
    this.#shouldPromote = shouldPromote;
  }

  async get<T>(key: string): Promise<T | null> {
    const p = this.#p;
    assertRedisKey(key);
    const started = performance.now();
    const l1 = p.l1;
    if (l1 && l1Readable(p)) {
      const value = l1.getSync<T>(key);
      if (value !== null) {
        p.report.hit(key, value, 'l1', started);
        return value;
      }
    }
    const gate = p.startupGate();
    if (gate) await gate;
    const client = p.conn.readyClient;
    if (!client) return p.report.miss(key, 'redis_unavailable', started);
    if (p.ledger.isFenced(key)) return p.report.miss(key, 'invalidation_pending', started);
    const physicalKey = p.keyPrefix + key;
    const token = l1 ? p.keys.beginRead(key) : null;
    try {
      let bytes: Buffer | null;
      let pttl = -1;
      try {
        if (l1) [bytes, pttl] = await Promise.all([client.getBuffer(physicalKey), client.pttl(physicalKey)]);
        else bytes = await client.getBuffer(physicalKey);
      } catch (error) {
        p.problems.redis('get', classifyRedisError(error, 'GET', p.conn.commandTimeoutMs), READ_NOTE);
        return p.report.miss(key, 'redis_error', started);
      }
      if (p.ledger.isFenced(key)) return p.report.miss(key, 'invalidation_pending', started);
      if (bytes === null) return p.report.miss(key, 'not_found', started);
      const now = Date.now();
      let decoded = decodeEnvelope(p.wire, physicalKey, bytes, now);
      if (decoded instanceof Promise) decoded = await decoded;
      if (!decoded.ok) {
        p.stats.counters.decodeErrors++;
        p.problems.warn(`decode:${decoded.reason}`, 'A cache value in Redis could not be used and was treated as a miss', {
          keyFingerprint: keyFingerprint(key),
          reason: decoded.reason,
        });
        p.events.emit('decode_error', key, { reason: decoded.reason });
        return p.report.miss(key, 'decode_error', started);
      }
      if (l1 && token && !token.stale && !p.ledger.isFenced(key)) this.#promote(l1, key, decoded.value, pttl, decoded.expiresAt - now);
      p.report.hit(key, decoded.value, 'redis', started);
      return decoded.value as T;
    } finally {
      if (token) p.keys.endRead(key, token);
    }
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
    let result = false;
    if (client && !p.ledger.isFenced(key)) {
      try {
        result = (await client.exists(p.keyPrefix + key)) > 0 && !p.ledger.isFenced(key);
      } catch (error) {
        p.problems.redis('exists', classifyRedisError(error, 'EXISTS', p.conn.commandTimeoutMs), READ_NOTE);
      }
    }
    p.report.exists(result, client ? 'redis' : 'none', started);
    return result;
  }

  async getTtl(key: string): Promise<number | null> {
    const p = this.#p;
    assertRedisKey(key);
    const gate = p.startupGate();
    if (gate) await gate;
    const client = p.conn.readyClient;
    if (client && !p.ledger.isFenced(key)) {
      try {
        const ttl = await client.ttl(p.keyPrefix + key);
        if (!p.ledger.isFenced(key)) return ttl < 0 ? null : ttl;
      } catch (error) {
        p.problems.redis('getTtl', classifyRedisError(error, 'TTL', p.conn.commandTimeoutMs), "Answered from L1.");
      }
    }
    return p.l1 ? p.l1.getTtl(key) : null;
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
    const scan = scanMatching(client, escapeGlob(p.keyPrefix) + (pattern || '*'), p.o.scanCount);
    for (;;) {
      let next: IteratorResult<string>;
      try {
        next = await scan.next();
      } catch (error) {
        const problem = classifyRedisError(error, 'SCAN', p.conn.commandTimeoutMs);
        p.problems.redis('scanKeys', problem, 'The listing was aborted.');
        throw problemToError(problem, `scanKeys(${JSON.stringify(pattern)})`);
      }
      if (next.done) return;
      const key = next.value.slice(p.keyPrefix.length);
      if (seen.has(key) || p.ledger.isFenced(key)) continue;
      seen.add(key);
      yield key;
    }
  }

  /** Copies a Redis hit into L1 for no longer than Redis (PTTL) and the envelope's hard expiry still allow. */
  #promote(l1: InMemoryCache, key: string, value: unknown, pttl: number, untilExpiryMs: number): void {
    const p = this.#p;
    if (pttl === -2 || !(p.coherence?.trusted ?? true)) return;
    const remainingMs = Math.min(pttl === -1 ? p.o.defaultTtl * 1000 : pttl, untilExpiryMs);
    if (remainingMs < MIN_PROMOTION_MS || !this.#shouldPromote(key, remainingMs)) return;
    writeL1(p, l1, key, value, Math.floor(Math.min(remainingMs / 1000, p.o.l1MaxTtl)));
  }
}
