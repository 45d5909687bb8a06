/** A pending invalidation: one physical key, or a physical SCAN MATCH pattern. */
export type PendingInvalidation = { kind: 'key'; physicalKey: string } | { kind: 'pattern'; match: string };

/** A queued entry as handed out by {@link ReplayQueue.snapshot}; settle it after applying. */
export interface QueuedInvalidation {
  readonly id: string;
  readonly entry: PendingInvalidation;
  readonly requestSeq: number;
}

const idOf = (entry: PendingInvalidation): string => (entry.kind === 'key' ? `k:${entry.physicalKey}` : `p:${entry.match}`);

/**
 * Bounded FIFO of invalidations Redis has not seen yet (R32). Invalidations commute, so a
 * duplicate keeps its original place but is remembered: an entry requested again while it was
 * being applied stays queued. Overflow drops the oldest entry and reports it.
 */
export class ReplayQueue {
  readonly #entries = new Map<string, QueuedInvalidation>();
  readonly #limit: number;
  #seq = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Entries waiting. */
  get size(): number {
    return this.#entries.size;
  }

  /** Appends `entry`; returns how many older entries were dropped to make room. */
  push(entry: PendingInvalidation): number {
    const id = idOf(entry);
    const requestSeq = ++this.#seq;
    const existing = this.#entries.get(id);
    if (existing) {
      this.#entries.set(id, { id, entry: existing.entry, requestSeq });
      return 0;
    }
    let dropped = 0;
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size < this.#limit) break;
      this.#entries.delete(oldest);
      dropped++;
    }
    this.#entries.set(id, { id, entry, requestSeq });
    return dropped;
  }

  /** The queued item for `entry`, if any (settle it once applied). */
  find(entry: PendingInvalidation): QueuedInvalidation | undefined {
    return this.#entries.get(idOf(entry));
  }

  /** The queued entries, oldest first (the queue is unchanged). */
  snapshot(): QueuedInvalidation[] {
    return [...this.#entries.values()];
  }

  /** Removes an applied entry unless it was requested again after the snapshot. */
  settle(item: QueuedInvalidation): void {
    if (this.#entries.get(item.id)?.requestSeq === item.requestSeq) this.#entries.delete(item.id);
  }
}
