import type { RedisKey } from 'ioredis';
import { escapeGlob } from '@cache/core';
import type { RedisClient } from './scan-unlink.js';

/**
 * How `clear()` empties the namespace: `'scan'` (default) SCANs every master and UNLINKs each key
 * of the prefix; `'generation'` increments a generation counter stored under the prefix, so that
 * every instance moves to fresh physical keys at once (O(1)); the old generation's keys are left to
 * expire by their TTL.
 */
export type ClearMode = 'scan' | 'generation';

/**
 * Marks an internal segment. 0xFF never occurs in the UTF-8 of a well-formed key, so no logical
 * key of generation 0 (`<prefix><key>`) can look like a generation segment or the counter.
 */
const MARK = 0xff;
const GENERATION_KEY_SUFFIX = Buffer.concat([Buffer.from([MARK]), Buffer.from('generation')]);

/** A physical key after the prefix, decoded: the logical key and its generation, or the generation counter itself. */
export type PhysicalKeyParts = { kind: 'key'; key: string; generation: number } | { kind: 'generation' };

/** Splits the bytes that follow the key prefix of a physical key (see {@link Namespace}). */
export function splitPhysical(rest: Buffer): PhysicalKeyParts {
  if (rest[0] !== MARK) return { kind: 'key', key: rest.toString('utf8'), generation: 0 };
  const end = rest.indexOf(MARK, 1);
  if (end === -1) return { kind: 'generation' };
  return { kind: 'key', key: rest.subarray(end + 1).toString('utf8'), generation: Number(rest.subarray(1, end).toString('latin1')) };
}

/** What the namespace needs to know whether its cached generation can be trusted. */
export interface NamespaceSettings {
  keyPrefix: string;
  mode: ClearMode;
  /**
   * True while a confirmed notification channel reports a change of the generation counter (L1
   * coherence trusted): only then is the generation read once and kept; otherwise it is read again
   * before every command.
   */
  watched: () => boolean;
}

/**
 * The physical key layout of one cache. Generation 0 is the plain layout `<keyPrefix><key>`
 * (nothing changes until the first generation clear); generation n ≥ 1 is
 * `<keyPrefix>\xFF<n>\xFF<key>` (bytes: a Cluster hash tag `{…}` in the key still selects the slot;
 * the segment has no braces). The counter is `<keyPrefix>\xFFgeneration`, a key the tracking
 * prefix covers, so every instance hears of a new generation through the invalidation channel.
 * In `'scan'` mode the generation is always 0 and nothing is read.
 */
export class Namespace {
  readonly mode: ClearMode;
  readonly keyPrefix: string;
  /** The counter key. */
  readonly generationKey: Buffer;
  readonly #prefixBytes: Buffer;
  readonly #watched: () => boolean;
  #generation = 0;
  #known = false;
  #epoch = 0;
  #refresh: Promise<void> | null = null;

  constructor(settings: NamespaceSettings) {
    this.mode = settings.mode;
    this.keyPrefix = settings.keyPrefix;
    this.#watched = settings.watched;
    this.#prefixBytes = Buffer.from(settings.keyPrefix, 'utf8');
    this.generationKey = Buffer.concat([this.#prefixBytes, GENERATION_KEY_SUFFIX]);
  }

  /** The generation the physical keys are computed for. */
  get generation(): number {
    return this.#generation;
  }

  /**
   * Null when the current generation is known (always in `'scan'` mode); else a promise that reads
   * it (joining a read in flight) and resolves true, or false when Redis did not answer (the
   * caller then treats its command as failed). Compute physical keys with {@link key} after it.
   */
  current(client: RedisClient): Promise<boolean> | null {
    if (this.mode === 'scan' || (this.#known && this.#watched())) return null;
    return this.#reading(client).then(
      () => true,
      () => false,
    );
  }

  /** Makes the current generation known; rejects with the client's error. */
  async known(client: RedisClient): Promise<void> {
    if (this.mode === 'scan' || (this.#known && this.#watched())) return;
    await this.#reading(client);
  }

  #reading(client: RedisClient): Promise<void> {
    if (this.#refresh === null) {
      const refresh = this.#read(client).finally(() => {
        if (this.#refresh === refresh) this.#refresh = null;
      });
      this.#refresh = refresh;
    }
    return this.#refresh;
  }

  /** Reads the counter until no change was signalled while the read was in flight. */
  async #read(client: RedisClient): Promise<void> {
    for (;;) {
      const epoch = this.#epoch;
      const value = await client.get(this.generationKey);
      if (this.#epoch !== epoch) continue;
      const generation = value === null ? 0 : Number(value);
      // Written by something else than INCR: every command fails (degraded) rather than use a wrong namespace.
      if (!Number.isSafeInteger(generation) || generation < 0) throw new Error('the namespace generation counter does not hold a non-negative integer');
      this.#generation = generation;
      this.#known = true;
      return;
    }
  }

  /** The generation may have changed (a notification, a flush, a lost or regained channel): read it again before the next command. */
  changed(): void {
    if (this.mode === 'scan') return;
    this.#known = false;
    this.#epoch++;
  }

  /** Starts a new generation (`INCR` of the counter): the O(1) clear. Resolves the new generation. */
  async advance(client: RedisClient): Promise<number> {
    this.changed();
    const epoch = this.#epoch;
    const next = await client.incr(this.generationKey);
    if (this.#epoch === epoch && next > this.#generation) {
      this.#generation = next;
      this.#known = true;
    }
    return next;
  }

  /** The physical key of `key` in the current generation (a string in generation 0, as always). */
  key(key: string): RedisKey {
    if (this.#generation === 0) return this.keyPrefix + key;
    return Buffer.concat([this.#prefixBytes, segment(this.#generation), Buffer.from(key, 'utf8')]);
  }

  /** SCAN MATCH of the logical glob `pattern` (`''` = everything) in the current generation. */
  match(pattern: string): RedisKey {
    const glob = escapeGlob(this.keyPrefix);
    if (this.#generation === 0) return glob + (pattern || '*');
    return Buffer.concat([Buffer.from(glob, 'utf8'), segment(this.#generation), Buffer.from(pattern || '*', 'utf8')]);
  }

  /**
   * The logical key of a physical key SCAN returned, when it belongs to the current generation;
   * null for the counter and for another generation's keys (never listed, never removed by a pattern).
   */
  logical(physicalKey: Buffer): string | null {
    const parts = splitPhysical(physicalKey.subarray(this.#prefixBytes.length));
    return parts.kind === 'key' && parts.generation === this.#generation ? parts.key : null;
  }
}

/** The bytes that mark generation n ≥ 1 in a physical key: 0xFF, n in decimal, 0xFF. */
export function segment(generation: number): Buffer {
  return Buffer.concat([Buffer.from([MARK]), Buffer.from(String(generation), 'latin1'), Buffer.from([MARK])]);
}
