const INITIAL_CAPACITY = 64;

/**
 * Bounded, time-limited series storage: a ring of columns (typed arrays for numbers, plain arrays for objects) that
 * grows by doubling up to `maxItems` and then overwrites its oldest item. Appends and retention pruning are O(1)
 * amortised while timestamps arrive in order; a clock that steps backwards switches pruning to a compacting scan
 * (O(n), n ≤ maxItems) until the series is ordered again. Every item carries a lifetime sequence number that keeps
 * increasing across {@link TimedRing.clear}, so readers can resume after the last item they saw.
 */
export class TimedRing {
  /** Column of item timestamps (epoch ms), physical order. */
  timestamps: Float64Array;
  /** Numeric columns, physical order. */
  readonly numbers: Float64Array[];
  /** Object columns, physical order. */
  readonly objects: unknown[][];
  private sequences: Float64Array;
  private capacity: number;
  private head = 0;
  private count = 0;
  private nextSequence = 1;
  private ordered = true;
  private lastTimestamp = -Infinity;
  private oldestTimestampBound = Infinity;

  constructor(
    readonly maxItems: number,
    numberColumns: number,
    objectColumns: number,
  ) {
    this.capacity = Math.min(maxItems, INITIAL_CAPACITY);
    this.timestamps = new Float64Array(this.capacity);
    this.sequences = new Float64Array(this.capacity);
    this.numbers = Array.from({ length: numberColumns }, () => new Float64Array(this.capacity));
    this.objects = Array.from({ length: objectColumns }, () => new Array<unknown>(this.capacity).fill(undefined));
  }

  /** Number of retained items. */
  get length(): number {
    return this.count;
  }

  /** Sequence number the next appended item will get. */
  get upcomingSequence(): number {
    return this.nextSequence;
  }

  /** Physical slot of the `index`-th retained item (0 = oldest). */
  slot(index: number): number {
    const s = this.head + index;
    return s >= this.capacity ? s - this.capacity : s;
  }

  /** Sequence number of the `index`-th retained item. */
  sequenceAt(index: number): number {
    return this.sequences[this.slot(index)] as number;
  }

  /**
   * Reserves the slot of a new newest item stamped `timestamp` and returns it; the caller fills the columns, then
   * calls {@link prune}. When full, items at or before `cutoff` go first (matters only for an unordered series),
   * then the oldest item is overwritten.
   */
  append(timestamp: number, cutoff: number): number {
    if (this.count === this.capacity) {
      if (this.capacity < this.maxItems) this.grow();
      else if (!this.ordered) this.prune(cutoff);
    }
    let slot: number;
    if (this.count === this.capacity) {
      slot = this.head;
      this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    } else {
      slot = this.slot(this.count);
      this.count++;
    }
    if (timestamp < this.lastTimestamp) this.ordered = false;
    if (timestamp < this.oldestTimestampBound) this.oldestTimestampBound = timestamp;
    this.lastTimestamp = timestamp;
    this.timestamps[slot] = timestamp;
    this.sequences[slot] = this.nextSequence++;
    return slot;
  }

  /** Drops every item whose timestamp is `<= cutoff`, keeping insertion order. */
  prune(cutoff: number): void {
    if (this.count === 0 || this.oldestTimestampBound > cutoff) return;
    if (this.ordered) {
      while (this.count > 0 && (this.timestamps[this.head] as number) <= cutoff) {
        this.release(this.head);
        this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
        this.count--;
      }
      this.oldestTimestampBound = this.count > 0 ? (this.timestamps[this.head] as number) : Infinity;
      if (this.count === 0) this.lastTimestamp = -Infinity;
      return;
    }
    this.compact(cutoff);
  }

  /** Number of retained items with timestamp `> cutoff`. */
  countAfter(cutoff: number): number {
    if (!this.ordered) {
      let n = 0;
      for (let i = 0; i < this.count; i++) if ((this.timestamps[this.slot(i)] as number) > cutoff) n++;
      return n;
    }
    return this.count - this.firstIndexWhere((i) => (this.timestamps[this.slot(i)] as number) > cutoff);
  }

  /** Index of the first retained item whose sequence number is `> sequence` (length when none). */
  indexAfterSequence(sequence: number): number {
    return this.firstIndexWhere((i) => this.sequenceAt(i) > sequence);
  }

  /** Empties the series; sequence numbers keep increasing. */
  clear(): void {
    for (let i = 0; i < this.count; i++) this.release(this.slot(i));
    this.head = 0;
    this.count = 0;
    this.ordered = true;
    this.lastTimestamp = -Infinity;
    this.oldestTimestampBound = Infinity;
  }

  // Binary search over a predicate that is false then true along the retained items.
  private firstIndexWhere(test: (index: number) => boolean): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (test(mid)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private release(slot: number): void {
    for (const column of this.objects) column[slot] = undefined;
  }

  private grow(): void {
    const next = Math.min(this.maxItems, this.capacity * 2);
    const order = (source: Float64Array): Float64Array => {
      const target = new Float64Array(next);
      for (let i = 0; i < this.count; i++) target[i] = source[this.slot(i)] as number;
      return target;
    };
    this.timestamps = order(this.timestamps);
    this.sequences = order(this.sequences);
    for (let c = 0; c < this.numbers.length; c++) this.numbers[c] = order(this.numbers[c] as Float64Array);
    for (let c = 0; c < this.objects.length; c++) {
      const source = this.objects[c] as unknown[];
      const target = new Array<unknown>(next).fill(undefined);
      for (let i = 0; i < this.count; i++) target[i] = source[this.slot(i)];
      this.objects[c] = target;
    }
    this.head = 0;
    this.capacity = next;
  }

  private compact(cutoff: number): void {
    let kept = 0;
    let ordered = true;
    let last = -Infinity;
    let oldest = Infinity;
    for (let i = 0; i < this.count; i++) {
      const from = this.slot(i);
      const ts = this.timestamps[from] as number;
      if (ts <= cutoff) continue;
      const to = this.slot(kept++);
      if (to !== from) this.move(from, to);
      if (ts < last) ordered = false;
      if (ts < oldest) oldest = ts;
      last = ts;
    }
    for (let i = kept; i < this.count; i++) this.release(this.slot(i));
    this.count = kept;
    this.ordered = ordered;
    this.lastTimestamp = last;
    this.oldestTimestampBound = oldest;
  }

  private move(from: number, to: number): void {
    this.timestamps[to] = this.timestamps[from] as number;
    this.sequences[to] = this.sequences[from] as number;
    for (const column of this.numbers) column[to] = column[from] as number;
    for (const column of this.objects) column[to] = column[from];
  }
}
