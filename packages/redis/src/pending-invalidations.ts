import { compileGlob, escapeGlob, type GlobMatcher } from '@cache/core';

/** What an invalidation removes: one logical key, the logical keys matching a Redis glob, or every key of the prefix. */
export type InvalidationScope = { kind: 'key'; key: string } | { kind: 'pattern'; pattern: string } | { kind: 'all' };

/** One invalidation Redis has not applied yet. */
export class PendingInvalidation {
  /** Failed attempts so far. */
  attempts = 0;
  /** Set after a permanent refusal or too many failures: still fences reads, retried only on reconnect and rarely. */
  quarantined = false;
  /** Earliest next background attempt (`performance.now()` ms). */
  notBefore = 0;
  readonly #regex: GlobMatcher | null;

  constructor(
    readonly scope: InvalidationScope,
    /** Issue order: a write issued later than this is never removed by it. */
    readonly seq: number,
    /** Made by folding a backlog that outgrew the limit, not asked for by a caller. */
    readonly widened: boolean,
  ) {
    this.#regex = scope.kind === 'pattern' ? compileGlob(scope.pattern) : null;
  }

  /** True when this invalidation covers the logical `key`. */
  matches(key: string): boolean {
    const scope = this.scope;
    if (scope.kind === 'key') return scope.key === key;
    return this.#regex === null || this.#regex.test(key);
  }
}

/** Whether `key` was written after an invalidation was issued: not at all, sent but unconfirmed, or confirmed stored. */
export type WrittenSince = 'no' | 'issued' | 'confirmed';

interface WriteMarks {
  issued: number;
  confirmed: number;
}

/**
 * The invalidations Redis has not applied yet, and the order facts that make them safe:
 * - **fences**: a key covered by an entry is a miss on every Redis read until the entry is
 *   applied, or until a write of that key issued after it was confirmed stored;
 * - **order**: one sequence numbers writes and invalidations, so applying an entry skips every
 *   key written after it was issued (a late invalidation never removes newer data);
 * - **coverage**: a clear or pattern absorbs the older per-key entries it covers, and a per-key
 *   entry a pending clear/pattern already covers is not queued;
 * - **bounded, never forgetful**: past `limit` entries the backlog is folded into coarser
 *   invalidations — one pattern per first key segment (`user:*`), else the whole prefix.
 * Write marks are only kept while entries exist (bounded by `limit`; a write not marked is
 * treated as older, which can only remove or fence more, never serve stale data).
 */
export class InvalidationLedger {
  readonly #limit: number;
  readonly #keys = new Map<string, PendingInvalidation>();
  #wide: PendingInvalidation[] = [];
  readonly #writes = new Map<string, WriteMarks>();
  #seq = 0;
  #lastWrite = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Entries not applied yet (quarantined ones included). */
  get size(): number {
    return this.#keys.size + this.#wide.length;
  }

  /** Entries currently quarantined. */
  get quarantined(): number {
    let n = 0;
    for (const entry of this.entries()) if (entry.quarantined) n++;
    return n;
  }

  /** The next issue number. */
  next(): number {
    return ++this.#seq;
  }

  /** Every entry, per-key ones first. */
  entries(): PendingInvalidation[] {
    return [...this.#keys.values(), ...this.#wide];
  }

  /**
   * Queues an invalidation issued at `seq` (default: now). Resolves the entry, or `null` when a
   * pending entry already covers it; `folded` counts entries merged by widening (0 normally).
   */
  add(scope: InvalidationScope, seq = this.next()): { entry: PendingInvalidation | null; folded: number } {
    const entry = new PendingInvalidation(scope, seq, false);
    if (scope.kind === 'key') {
      const existing = this.#keys.get(scope.key);
      if ((existing && existing.seq >= seq) || this.#coveredByWide(scope.key)) return { entry: null, folded: 0 };
      this.#keys.set(scope.key, entry);
    } else {
      if (this.#wide.some((e) => e.scope.kind === 'all' && this.#lastWrite <= e.seq)) return { entry: null, folded: 0 };
      this.#absorb(entry);
    }
    const folded = this.size > this.#limit ? this.#widen() : 0;
    return { entry: folded > 0 ? null : entry, folded };
  }

  /** Forgets an applied entry (no-op when a newer entry replaced it meanwhile). */
  settle(entry: PendingInvalidation): void {
    const scope = entry.scope;
    if (scope.kind === 'key') {
      if (this.#keys.get(scope.key) === entry) this.#keys.delete(scope.key);
    } else {
      const index = this.#wide.indexOf(entry);
      if (index !== -1) this.#wide.splice(index, 1);
    }
    if (this.size === 0) this.#writes.clear();
  }

  /** A write of `key` is being sent now; returns its issue number. */
  writeIssued(key: string): number {
    const seq = this.next();
    this.#lastWrite = seq;
    const marks = this.#marks(key);
    if (marks) marks.issued = seq;
    return seq;
  }

  /** The write issued as `seq` was stored: older per-key entries of `key` are moot and its fences lift. */
  writeConfirmed(key: string, seq: number): void {
    if (this.size === 0) return;
    const marks = this.#marks(key);
    if (marks) marks.confirmed = Math.max(marks.confirmed, seq);
    const own = this.#keys.get(key);
    if (own && own.seq < seq) this.settle(own);
  }

  /** Whether `key` was written after `seq`. */
  writtenSince(key: string, seq: number): WrittenSince {
    const marks = this.#writes.get(key);
    if (!marks || marks.issued <= seq) return 'no';
    return marks.confirmed > seq ? 'confirmed' : 'issued';
  }

  /** True when Redis' copy of `key` must not be served: a pending entry covers it and no newer write was confirmed. */
  isFenced(key: string): boolean {
    if (this.size === 0) return false;
    const confirmed = this.#writes.get(key)?.confirmed ?? 0;
    const own = this.#keys.get(key);
    if (own && own.seq > confirmed) return true;
    for (const entry of this.#wide) if (entry.seq > confirmed && entry.matches(key)) return true;
    return false;
  }

  #marks(key: string): WriteMarks | undefined {
    if (this.size === 0) return undefined;
    let marks = this.#writes.get(key);
    if (!marks && this.#writes.size < this.#limit) {
      marks = { issued: 0, confirmed: 0 };
      this.#writes.set(key, marks);
    }
    return marks;
  }

  /** A pattern/clear entry will remove `key` (not written since it was issued). */
  #coveredByWide(key: string): boolean {
    const issued = this.#writes.get(key)?.issued ?? 0;
    return this.#wide.some((e) => issued <= e.seq && e.matches(key));
  }

  /** Adds a pattern/clear entry, dropping the older entries it makes redundant. */
  #absorb(entry: PendingInvalidation): void {
    for (const [key, own] of this.#keys) if (own.seq <= entry.seq && entry.matches(key)) this.#keys.delete(key);
    const scope = entry.scope;
    this.#wide = this.#wide.filter(
      (e) => e.seq > entry.seq || !(scope.kind === 'all' || (e.scope.kind === 'pattern' && scope.kind === 'pattern' && e.scope.pattern === scope.pattern)),
    );
    const at = this.#wide.findIndex((e) => e.seq > entry.seq);
    if (at === -1) this.#wide.push(entry);
    else this.#wide.splice(at, 0, entry);
  }

  /** Folds the backlog into coarser entries; returns how many entries were merged away. */
  #widen(): number {
    const before = this.size;
    let newest = 0;
    for (const entry of this.entries()) newest = Math.max(newest, entry.seq);
    const groups = new Map<string, number>();
    let groupable = true;
    for (const [key, entry] of this.#keys) {
      const colon = key.indexOf(':');
      if (colon === -1) {
        groupable = false;
        break;
      }
      const group = key.slice(0, colon + 1);
      groups.set(group, Math.max(groups.get(group) ?? 0, entry.seq));
    }
    this.#keys.clear();
    if (groupable && groups.size + this.#wide.length <= this.#limit / 2) {
      for (const [group, seq] of groups) this.#absorb(new PendingInvalidation({ kind: 'pattern', pattern: `${escapeGlob(group)}*` }, seq, true));
    } else {
      this.#wide = [new PendingInvalidation({ kind: 'all' }, newest, true)];
    }
    return before - this.size;
  }
}
