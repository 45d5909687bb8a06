import { createHash } from 'node:crypto';
import { sanitizeError, type Logger } from '@cache/core';
import type { InMemoryCache } from '@cache/memory';
import type { Redis } from 'ioredis';
import { budgetOptions } from './command-budget.js';
import type { KeyCoordinator } from './key-coordinator.js';
import { splitPhysical } from './namespace.js';
import { isCluster, masterNodes, type RedisClient } from './scan-unlink.js';

/**
 * How this instance learns that another one (or any Redis client) changed a key it holds in L1:
 * - `tracking`: Redis' server-assisted client-side caching in broadcast mode (`CLIENT TRACKING on
 *   REDIRECT <own id> BCAST PREFIX <keyPrefix>` on a dedicated connection per master, subscribed to
 *   `__redis__:invalidate`): every change to a key of the prefix, by anyone, is reported;
 * - `pubsub`: the fallback where `CLIENT` is not permitted (ACL): instances publish digests of the
 *   keys they change (never values) on one channel; changes made outside this library are not seen;
 * - `off`: no coherence (explicit opt-out, or no L1).
 */
export type L1CoherenceMode = 'tracking' | 'pubsub' | 'off';

/** What the `l1Coherence` option accepts: `'tracking'` (default; falls back to `'pubsub'` when refused), `'pubsub'`, `'off'`. */
export type L1CoherenceOption = L1CoherenceMode;

/** The coherence section of the statistics. */
export interface L1CoherenceStatus {
  /** Active mode. */
  mode: L1CoherenceMode;
  /** True while every master's invalidation channel is confirmed: only then does L1 answer while Redis is reachable. */
  trusted: boolean;
  /** Invalidation connections (one per master) and how many of them are confirmed. */
  connections: number;
  confirmed: number;
  /** Keys dropped from L1 on a notification, and whole-L1 flushes (loss of the channel, FLUSHALL, clear). */
  keysInvalidated: number;
  flushes: number;
}

/** Redis' invalidation channel (RESP2 redirect target). */
const TRACKING_CHANNEL = '__redis__:invalidate';
/** A pubsub-mode message that empties L1 (pattern invalidation, clear). */
const FLUSH_MESSAGE = '*';
const DIGEST_BYTES = 16;
const HEARTBEAT_MS = 1000;
/** Delay before retrying a failed invalidation-channel setup: doubles per failure, capped. */
const RETRY_BASE_MS = 250;
const RETRY_MAX_MS = 30_000;

/** The pubsub-mode digest of a physical key: SHA-256, 16 bytes, base64url (never the key, never a value). */
export function keyDigest(physicalKey: string): string {
  return createHash('sha256').update(physicalKey).digest().subarray(0, DIGEST_BYTES).toString('base64url');
}

/** Everything coherence needs from the cache. */
export interface L1CoherenceSettings {
  mode: L1CoherenceMode;
  l1: InMemoryCache;
  keyPrefix: string;
  keys: KeyCoordinator;
  logger: Logger;
  /** Called when the channel is lost or confirmed (state changes only). */
  onChange?: (status: L1CoherenceStatus) => void;
  /**
   * Called on every whole-L1 flush (channel lost or regained, FLUSHALL, a pubsub flush message, a
   * change of the namespace generation counter): what was known of Redis' key space may be stale.
   */
  onFlush?: () => void;
}

const isNoPermission = (error: unknown): boolean => error instanceof Error && /\bNOPERM\b|unknown command|disabled/i.test(error.message);

/** One invalidation connection to one master. */
class Tracker {
  readonly client: Redis;
  confirmed = false;
  #closed = false;
  #pinging = false;
  /** Consecutive failed setups: the next attempt waits longer (bounded), so a refusal never spins. */
  #failures = 0;
  #retry: NodeJS.Timeout | null = null;

  constructor(
    readonly nodeKey: string,
    source: Redis,
    readonly owner: L1Coherence,
  ) {
    this.client = source.duplicate({
      ...budgetOptions(source),
      protocol: 2,
      lazyConnect: true,
      autoResubscribe: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectionName: 'cache-l1-invalidation',
    });
    this.client.on('error', () => undefined);
    this.client.on('ready', () => void this.#setup());
    this.client.on('close', () => this.#lost());
    this.client.on('messageBuffer', (channel: Buffer, message: unknown) => owner.message(channel.toString(), message));
    this.client.connect().catch(() => undefined);
  }

  async #setup(): Promise<void> {
    const client = this.client;
    try {
      if (this.owner.mode === 'tracking') {
        const id = await client.client('ID');
        const prefix = this.owner.physicalPrefix;
        await client.call('CLIENT', 'TRACKING', 'on', 'REDIRECT', String(id), 'BCAST', ...(prefix === '' ? [] : ['PREFIX', prefix]));
      }
      await client.subscribe(this.owner.channel);
      if (this.#closed || client.status !== 'ready') return;
      this.#failures = 0;
      this.confirmed = true;
      this.owner.confirmed();
    } catch (error) {
      if (this.#closed) return;
      if (this.owner.mode === 'tracking' && isNoPermission(error)) {
        this.owner.fallBack(sanitizeError(error).message);
        return;
      }
      this.owner.setupFailed(sanitizeError(error).message);
      // Retried with a growing delay (an ACL refusal would otherwise reconnect in a tight loop).
      this.#failures++;
      client.disconnect(false);
      this.#retry = setTimeout(() => {
        this.#retry = null;
        if (!this.#closed) this.client.connect().catch(() => undefined);
      }, Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(this.#failures - 1, 10)));
      this.#retry.unref();
    }
  }

  /** Re-runs the setup (after a mode change) on a fresh connection. */
  restart(): void {
    this.#lost();
    this.client.disconnect(true);
  }

  /** PING through the subscription: a silent or half-open connection is dropped (and re-established). */
  heartbeat(): void {
    if (!this.confirmed || this.#pinging) return;
    this.#pinging = true;
    this.client
      .ping()
      .catch(() => {
        if (!this.#closed) this.client.disconnect(true);
      })
      .finally(() => {
        this.#pinging = false;
      });
  }

  #lost(): void {
    if (!this.confirmed) return;
    this.confirmed = false;
    this.owner.lost();
  }

  close(): void {
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.#lost();
    this.client.disconnect();
  }
}

/**
 * Keeps L1 coherent with Redis across instances. L1 is trusted only while every master's
 * invalidation connection is confirmed: on loss L1 is emptied and Redis answers (L1 still holds this
 * instance's own writes for when Redis itself is unreachable); on confirmation L1 is emptied once
 * more (changes made meanwhile were not reported) and trusted again. A notification drops the key
 * from L1 and keeps any read in flight from promoting it.
 */
export class L1Coherence {
  #mode: L1CoherenceMode;
  readonly #s: L1CoherenceSettings;
  readonly #trackers = new Map<string, Tracker>();
  readonly #digests = new Map<string, string>();
  /** Own writes sent whose notification has not arrived yet, per key (see {@link expectOwn}). */
  readonly #own = new Map<string, number>();
  #waiters: Array<() => void> = [];
  #client: RedisClient | null = null;
  #detach: (() => void) | null = null;
  #heartbeat: NodeJS.Timeout | null = null;
  #trusted = false;
  #setupFailing = false;
  #keysInvalidated = 0;
  #flushes = 0;
  /** Physical prefix the tracking covers (an ioredis `keyPrefix` of a caller-owned client included). */
  physicalPrefix: string;

  constructor(settings: L1CoherenceSettings) {
    this.#s = settings;
    this.#mode = settings.mode;
    this.physicalPrefix = settings.keyPrefix;
  }

  get mode(): L1CoherenceMode {
    return this.#mode;
  }

  get logger(): Logger {
    return this.#s.logger;
  }

  /** The channel subscribed to: Redis' invalidation channel, or the pubsub-mode channel of this prefix. */
  get channel(): string {
    return this.#mode === 'tracking' ? TRACKING_CHANNEL : `__cache:l1:${this.physicalPrefix}`;
  }

  /** True when L1 may answer: coherence is off, or every invalidation connection is confirmed. */
  get trusted(): boolean {
    return this.#mode === 'off' || this.#trusted;
  }

  status(): L1CoherenceStatus {
    let confirmed = 0;
    for (const tracker of this.#trackers.values()) if (tracker.confirmed) confirmed++;
    return {
      mode: this.#mode,
      trusted: this.trusted,
      connections: this.#trackers.size,
      confirmed,
      keysInvalidated: this.#keysInvalidated,
      flushes: this.#flushes,
    };
  }

  /** The data connection is ready: make sure one invalidation connection per master exists (idempotent). */
  attach(client: RedisClient): void {
    if (this.#mode === 'off') return;
    if (client !== this.#client) {
      this.#detach?.();
      this.#client = client;
      this.physicalPrefix = ((client.options as { keyPrefix?: string }).keyPrefix ?? '') + this.#s.keyPrefix;
      if (isCluster(client)) {
        const sync = () => this.#sync();
        client.on('refresh', sync);
        client.on('+node', sync);
        client.on('-node', sync);
        this.#detach = () => {
          client.off('refresh', sync);
          client.off('+node', sync);
          client.off('-node', sync);
        };
      } else {
        this.#detach = null;
      }
    }
    this.#sync();
    if (!this.#heartbeat) {
      this.#heartbeat = setInterval(() => {
        for (const tracker of this.#trackers.values()) tracker.heartbeat();
      }, HEARTBEAT_MS);
      this.#heartbeat.unref();
    }
  }

  #sync(): void {
    const client = this.#client;
    if (!client) return;
    const nodes = new Map<string, Redis>();
    for (const node of masterNodes(client)) nodes.set(`${node.options.host ?? ''}:${node.options.port ?? ''}:${node.options.path ?? ''}`, node);
    let changed = false;
    for (const [key, tracker] of this.#trackers) {
      if (nodes.has(key)) continue;
      this.#trackers.delete(key);
      tracker.close();
      changed = true;
    }
    for (const [key, node] of nodes) {
      if (this.#trackers.has(key)) continue;
      this.#trackers.set(key, new Tracker(key, node, this));
      changed = true;
    }
    // A new master is not confirmed yet: L1 is untrusted until it is.
    if (changed) this.confirmed();
  }

  /** Stops every invalidation connection; L1 is flushed (nothing said afterwards could be trusted). */
  stop(): void {
    this.#detach?.();
    this.#detach = null;
    this.#client = null;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
    for (const tracker of this.#trackers.values()) tracker.close();
    this.#trackers.clear();
    this.lost();
  }

  /** A tracker was confirmed (or the set changed): trust starts once all are, after one more flush. */
  confirmed(): void {
    const all = this.#trackers.size > 0 && [...this.#trackers.values()].every((t) => t.confirmed);
    if (all) this.#setupFailing = false;
    if (all && !this.#trusted) {
      this.#flush();
      this.#trusted = true;
      this.#s.onChange?.(this.status());
      for (const done of [...this.#waiters]) done();
    } else if (!all) {
      this.lost();
    }
  }

  /** A tracker was lost: L1 is untrusted and flushed. */
  lost(): void {
    if (!this.#trusted) return;
    this.#trusted = false;
    this.#flush();
    this.#s.onChange?.(this.status());
  }

  /**
   * A tracker's setup failed (e.g. the ACL refuses the channel): L1 stays bypassed, nobody waits
   * for a confirmation that is not coming, and the warning is logged once per failure streak.
   */
  setupFailed(reason: string): void {
    for (const done of [...this.#waiters]) done();
    if (this.#setupFailing) return;
    this.#setupFailing = true;
    this.#s.logger.warn('L1 invalidation channel setup failed; L1 is bypassed until it succeeds (retried with backoff)', { error: reason });
  }

  /** Tracking was refused (ACL): switch every connection to the pubsub fallback. */
  fallBack(reason: string): void {
    if (this.#mode !== 'tracking') return;
    this.#mode = 'pubsub';
    this.#s.logger.warn(
      'Redis refused CLIENT TRACKING (ACL); L1 coherence falls back to a pub/sub channel of key digests, which does not see changes made outside this library. Grant +client|tracking +client|id for full coherence.',
      { reason },
    );
    for (const tracker of this.#trackers.values()) tracker.restart();
  }

  /** An invalidation message: a list of physical keys (tracking), one digest (pubsub), or null / `*` (everything). */
  message(channel: string, message: unknown): void {
    if (channel !== this.channel) return;
    if (message === null || message === undefined) return this.#flush();
    if (Array.isArray(message)) {
      for (const item of message) this.#dropPhysical(Buffer.isBuffer(item) ? item : Buffer.from(String(item), 'utf8'));
      return;
    }
    const text = String(message);
    if (this.#mode === 'pubsub') {
      if (text === FLUSH_MESSAGE) return this.#flush();
      const key = this.#digests.get(text);
      if (key !== undefined) this.#drop(key);
      return;
    }
    this.#dropPhysical(Buffer.isBuffer(message) ? message : Buffer.from(text, 'utf8'));
  }

  /** L1 was written (pubsub mode remembers the key's digest so a message can find it). */
  noteL1Write(key: string): void {
    if (this.#mode !== 'pubsub') return;
    if (this.#digests.size >= 2 * Math.max(this.#s.l1.size(), 64)) {
      this.#digests.clear();
      for (const held of this.#s.l1.getKeys()) this.#digests.set(keyDigest(this.physicalPrefix + held), held);
    }
    this.#digests.set(keyDigest(this.physicalPrefix + key), key);
  }

  /**
   * Pubsub mode: tells the other instances that `key` changed (`null`: everything of the prefix).
   * Best effort on the data connection; a no-op in the other modes (Redis itself reports changes).
   */
  publish(client: RedisClient, key: string | null): void {
    if (this.#mode !== 'pubsub') return;
    if (key !== null) this.expectOwn(key);
    client.publish(this.channel, key === null ? FLUSH_MESSAGE : keyDigest(this.physicalPrefix + key)).catch(() => {
      if (key !== null) this.ownFailed(key);
    });
  }

  /** A reported physical key: its logical key leaves L1 (whatever its generation); the generation counter flushes L1. */
  #dropPhysical(physicalKey: Buffer): void {
    const prefix = Buffer.from(this.physicalPrefix, 'utf8');
    if (!physicalKey.subarray(0, prefix.length).equals(prefix)) return;
    const parts = splitPhysical(physicalKey.subarray(prefix.length));
    if (parts.kind === 'generation') this.#flush();
    else this.#drop(parts.key);
  }

  /**
   * This instance is about to send a write of `key` that Redis will report back: that report must
   * not drop the value L1 just took. Notifications arrive in Redis' execution order, so counting is
   * exact while the writes succeed; a failed write calls {@link ownFailed}, which forgets the count
   * (a late report then drops L1 — never the other way round).
   */
  expectOwn(key: string): void {
    if (this.#mode === 'off' || !this.#trusted) return;
    this.#own.set(key, (this.#own.get(key) ?? 0) + 1);
  }

  /** A write announced with {@link expectOwn} failed (it may or may not have been applied). */
  ownFailed(key: string): void {
    this.#own.delete(key);
  }

  /** Resolves when L1 is trusted, or after `timeoutMs` (whichever first). */
  whenTrusted(timeoutMs: number): Promise<void> {
    if (this.trusted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      const waiters = this.#waiters;
      function done(): void {
        clearTimeout(timer);
        const at = waiters.indexOf(done);
        if (at !== -1) waiters.splice(at, 1);
        resolve();
      }
      waiters.push(done);
    });
  }

  #drop(key: string): void {
    const own = this.#own.get(key);
    if (own !== undefined) {
      if (own <= 1) this.#own.delete(key);
      else this.#own.set(key, own - 1);
      return;
    }
    this.#s.keys.markWritten(key);
    if (this.#s.l1.deleteSync(key)) this.#keysInvalidated++;
  }

  #flush(): void {
    this.#s.keys.markAllWritten();
    if (this.#s.l1.size() > 0) this.#s.l1.clear();
    this.#digests.clear();
    this.#own.clear();
    this.#flushes++;
    this.#s.onFlush?.();
  }
}
