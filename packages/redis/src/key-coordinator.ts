/** Marks an in-flight read whose promotion must be skipped once a newer write touched its key. */
export interface ReadToken {
  stale: boolean;
}

/**
 * Per-key bookkeeping for the write paths: (1) issue order — `set`/`delete` of one key reach
 * Redis in call order even when encoding is asynchronous; (2) write generations — a
 * `get` promotes into L1 only if no set/delete/invalidation of its key started meanwhile.
 * Both maps only hold keys with work in flight.
 */
export class KeyCoordinator {
  readonly #tails = new Map<string, Promise<void>>();
  readonly #readers = new Map<string, Set<ReadToken>>();

  /** Registers a read of `key`; end it with {@link endRead}. */
  beginRead(key: string): ReadToken {
    const token: ReadToken = { stale: false };
    const set = this.#readers.get(key);
    if (set) set.add(token);
    else this.#readers.set(key, new Set([token]));
    return token;
  }

  /** Forgets a read. */
  endRead(key: string, token: ReadToken): void {
    const set = this.#readers.get(key);
    if (!set) return;
    set.delete(token);
    if (set.size === 0) this.#readers.delete(key);
  }

  /** A write of `key` started: reads in flight must not promote. */
  markWritten(key: string): void {
    const set = this.#readers.get(key);
    if (set) for (const token of set) token.stale = true;
  }

  /** An invalidation started: no read in flight may promote. */
  markAllWritten(): void {
    for (const set of this.#readers.values()) for (const token of set) token.stale = true;
  }

  /** The issue of the previous write of `key`, if it has not happened yet. */
  pendingIssue(key: string): Promise<void> | undefined {
    return this.#tails.get(key);
  }

  /** Reserves the next issue slot of `key`; call the returned function once the command was sent. */
  reserveIssue(key: string): () => void {
    let release!: () => void;
    const tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#tails.set(key, tail);
    return () => {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    };
  }
}
