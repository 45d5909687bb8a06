import { ExpiryHeap } from './expiry-heap.js';

/** "No slot" in the recency links: a small integer (a V8 Smi), so links and `head`/`tail` stay untagged ints. */
const NIL = -1;
const INITIAL_CAPACITY = 64;
/** Stale heap triples tolerated beyond the live count before the heap is rebuilt. */
const HEAP_SLACK = 1024;

/**
 * The storage engine behind `InMemoryCache`: a `Map<key, slot>` plus slot-indexed parallel arrays
 * (key, value, freshness, expiry, size, generation) and a doubly-linked recency list in typed arrays, as
 * lru-cache does, so a hit moves a key with a few integer writes and no allocation. Freed slots are
 * reused through a free stack; the typed arrays grow geometrically up to `maxSize`. An
 * {@link ExpiryHeap} indexes expiry so purging costs O(k log n) for k expired entries. An entry is
 * fresh until `freshUntil` and held until `expiresAt` (later only when it was stored with a grace
 * period, for read-through's stale path).
 *
 * A size given as `NaN` is unknown: it is estimated (by the injected `estimate`) only when
 * {@link memoryBytes} is read, once per stored value, so `set` never walks a value.
 *
 * Knows nothing about validation, statistics or logging. Internal to the package.
 */
export class EntryStore {
  /** Sum of the known sizes, bytes. */
  private knownBytes = 0;
  /** Slots whose size became unknown (`NaN`) since sizes were last settled; each slot at most once. */
  private unsized: number[] = [];
  private readonly index = new Map<string, number>();
  private keys: (string | undefined)[] = [];
  private values: unknown[] = [];
  private next: Int32Array;
  private prev: Int32Array;
  private expiresAt: Float64Array;
  private freshUntil: Float64Array;
  private sizes: Float64Array;
  private generations: Uint32Array;
  /** `expiresAt` of the slot's live heap triple; NaN when the slot has none. Always <= the slot's expiry. */
  private triggerAt: Float64Array;
  private readonly heap: ExpiryHeap;
  private freeSlots: number[] = [];
  private used = 0;
  /** Held entries whose `expiresAt` is past their `freshUntil` (stored with a grace period). */
  private graceHeld = 0;
  private head = NIL;
  private tail = NIL;

  constructor(
    private readonly maxSize: number,
    private readonly estimate: (value: unknown) => number,
  ) {
    const capacity = Math.min(maxSize, INITIAL_CAPACITY);
    this.next = new Int32Array(capacity);
    this.prev = new Int32Array(capacity);
    this.expiresAt = new Float64Array(capacity);
    this.freshUntil = new Float64Array(capacity);
    this.sizes = new Float64Array(capacity);
    this.generations = new Uint32Array(capacity);
    this.triggerAt = new Float64Array(capacity);
    this.heap = new ExpiryHeap(capacity);
  }

  /** Sum of the stored entries' sizes, bytes; estimates the values stored with an unknown size first. */
  get memoryBytes(): number {
    const unsized = this.unsized;
    if (unsized.length > 0) {
      for (const slot of unsized) {
        if (!Number.isNaN(this.sizes[slot])) continue;
        const size = this.keys[slot] === undefined ? 0 : this.estimate(this.values[slot]);
        this.sizes[slot] = size;
        this.knownBytes += size;
      }
      this.unsized = [];
    }
    return this.knownBytes;
  }

  /** Entries held, expired-but-unpurged included. */
  get size(): number {
    return this.index.size;
  }

  /** Slot of `key`, or `undefined`. */
  find(key: string): number | undefined {
    return this.index.get(key);
  }

  /** The stored value of a slot. */
  valueAt(slot: number): unknown {
    return this.values[slot];
  }

  /** When a slot stops being held (ms). */
  expiresAtOf(slot: number): number {
    return this.expiresAt[slot] as number;
  }

  /** Until when a slot is fresh (ms); equal to its expiry unless it was stored with a grace period. */
  freshUntilOf(slot: number): number {
    return this.freshUntil[slot] as number;
  }

  /** Removes every entry with `expiresAt < now`; O(1) when none is due, else O(k log n). */
  purgeExpired(now: number): void {
    if (this.heap.minExpiresAt() < now) this.purgeDue(now);
  }

  /** Makes `slot` the most recently used. */
  touch(slot: number): void {
    if (slot === this.tail) return;
    const next = this.next;
    const prev = this.prev;
    const after = next[slot] as number;
    if (slot === this.head) {
      this.head = after;
    } else {
      const before = prev[slot] as number;
      next[before] = after;
      prev[after] = before;
    }
    prev[slot] = this.tail;
    next[this.tail] = slot;
    this.tail = slot;
  }

  /** Replaces the value, freshness, expiry and size of an existing slot and makes it most recent. */
  update(slot: number, value: unknown, freshUntil: number, expiresAt: number, sizeBytes: number): void {
    this.values[slot] = value;
    this.setSize(slot, sizeBytes);
    if ((this.expiresAt[slot] as number) > (this.freshUntil[slot] as number)) this.graceHeld--;
    if (expiresAt > freshUntil) this.graceHeld++;
    this.freshUntil[slot] = freshUntil;
    this.setExpiry(slot, expiresAt);
    this.touch(slot);
  }

  /** Adds a new key as most recent. The caller has made room (`size < maxSize`). */
  insert(key: string, value: unknown, freshUntil: number, expiresAt: number, sizeBytes: number): void {
    let slot: number;
    if (this.freeSlots.length > 0) {
      slot = this.freeSlots.pop() as number;
    } else {
      slot = this.used++;
      if (slot === this.next.length) this.grow();
      this.triggerAt[slot] = Number.NaN;
    }
    this.index.set(key, slot);
    this.keys[slot] = key;
    this.values[slot] = value;
    this.setSize(slot, sizeBytes);
    if (expiresAt > freshUntil) this.graceHeld++;
    this.freshUntil[slot] = freshUntil;
    this.setExpiry(slot, expiresAt);
    if (this.tail === NIL) {
      this.head = slot;
    } else {
      this.prev[slot] = this.tail;
      this.next[this.tail] = slot;
    }
    this.tail = slot;
  }

  /** Removes the least-recently-used entry and returns its key (requires `size > 0`). */
  removeOldest(): string {
    const slot = this.head;
    const key = this.keys[slot] as string;
    this.removeSlot(slot);
    return key;
  }

  /** Removes `slot`: unlinks it, frees it, subtracts its size. Its heap triple, if any, stays with the free slot. */
  removeSlot(slot: number): void {
    const key = this.keys[slot] as string;
    this.index.delete(key);
    const size = this.sizes[slot] as number;
    // An unknown size stays unknown (and listed once) while the slot is free: settling gives it 0.
    if (!Number.isNaN(size)) {
      this.knownBytes -= size;
      this.sizes[slot] = 0;
    }
    if ((this.expiresAt[slot] as number) > (this.freshUntil[slot] as number)) this.graceHeld--;
    this.keys[slot] = undefined;
    this.values[slot] = undefined;
    if (slot === this.head) {
      this.head = this.next[slot] as number;
      if (slot === this.tail) this.tail = NIL;
    } else if (slot === this.tail) {
      this.tail = this.prev[slot] as number;
    } else {
      const before = this.prev[slot] as number;
      const after = this.next[slot] as number;
      this.next[before] = after;
      this.prev[after] = before;
    }
    this.freeSlots.push(slot);
  }

  /** Removes every held entry (expired-unpurged included) whose key passes `test`; returns how many. */
  removeWhere(test: (key: string) => boolean): number {
    let removed = 0;
    for (const [key, slot] of this.index) {
      if (test(key)) {
        this.removeSlot(slot);
        removed++;
      }
    }
    return removed;
  }

  /** Drops everything and releases the grown arrays. */
  clear(): void {
    const capacity = Math.min(this.maxSize, INITIAL_CAPACITY);
    this.index.clear();
    this.keys = [];
    this.values = [];
    this.next = new Int32Array(capacity);
    this.prev = new Int32Array(capacity);
    this.expiresAt = new Float64Array(capacity);
    this.freshUntil = new Float64Array(capacity);
    this.sizes = new Float64Array(capacity);
    this.generations = new Uint32Array(capacity);
    this.triggerAt = new Float64Array(capacity);
    this.heap.clear();
    this.freeSlots = [];
    this.used = 0;
    this.graceHeld = 0;
    this.head = NIL;
    this.tail = NIL;
    this.knownBytes = 0;
    this.unsized = [];
  }

  /** Every held key, expired-unpurged included (insertion order of the index). */
  allKeys(): string[] {
    return Array.from(this.index.keys());
  }

  /** Held keys whose entry is fresh at `now` (`now <= freshUntil`). */
  liveKeys(now: number): string[] {
    const out: string[] = [];
    for (const [key, slot] of this.index) if (now <= (this.freshUntil[slot] as number)) out.push(key);
    return out;
  }

  /**
   * Held entries no longer fresh at `now` (`freshUntil < now`), without removing them: through the
   * heap in O(k), or by a scan while entries with a grace period are held.
   */
  countExpired(now: number): number {
    let count = 0;
    if (this.graceHeld > 0) {
      for (const slot of this.index.values()) if ((this.freshUntil[slot] as number) < now) count++;
      return count;
    }
    this.heap.forEachBefore(now, (slot, generation) => {
      if (generation === this.generations[slot] && this.keys[slot] !== undefined && (this.expiresAt[slot] as number) < now) count++;
    });
    return count;
  }

  /** Records a slot's size (`NaN`: unknown, estimated when {@link memoryBytes} is read). */
  private setSize(slot: number, sizeBytes: number): void {
    const old = this.sizes[slot] as number;
    if (Number.isNaN(old)) {
      if (Number.isNaN(sizeBytes)) return;
    } else {
      this.knownBytes -= old;
      if (Number.isNaN(sizeBytes)) this.unsized.push(slot);
    }
    this.sizes[slot] = sizeBytes;
    if (!Number.isNaN(sizeBytes)) this.knownBytes += sizeBytes;
  }

  /**
   * Pops every due heap triple. A surfacing triple whose entry was extended since is pushed again
   * with the entry's current expiry instead of removing the entry.
   */
  private purgeDue(now: number): void {
    const heap = this.heap;
    while (heap.minExpiresAt() < now) {
      const slot = heap.minSlot();
      const live = heap.minGeneration() === this.generations[slot];
      heap.pop();
      if (!live) continue;
      const expiresAt = this.expiresAt[slot] as number;
      if (this.keys[slot] === undefined) {
        this.triggerAt[slot] = Number.NaN;
      } else if (expiresAt < now) {
        this.removeSlot(slot);
        this.triggerAt[slot] = Number.NaN;
      } else {
        heap.push(expiresAt, slot, this.generations[slot] as number);
        this.triggerAt[slot] = expiresAt;
      }
    }
  }

  /**
   * Records a slot's new expiry. The heap needs a triple no later than it: a live triple that
   * surfaces earlier is re-pushed at purge time, so extending an entry (the common case: same TTL,
   * later time) costs no heap operation; only an earlier expiry pushes a new triple, leaving the
   * old one stale (skipped by generation).
   */
  private setExpiry(slot: number, expiresAt: number): void {
    this.expiresAt[slot] = expiresAt;
    if (expiresAt >= (this.triggerAt[slot] as number)) return;
    if (this.heap.length >= 2 * this.used + HEAP_SLACK) {
      this.compactHeap();
      return;
    }
    const generation = ((this.generations[slot] as number) + 1) >>> 0;
    this.generations[slot] = generation;
    this.heap.push(expiresAt, slot, generation);
    this.triggerAt[slot] = expiresAt;
  }

  /** Rebuilds the heap with exactly one triple per occupied slot, at its exact expiry: O(n). */
  private compactHeap(): void {
    const occupied = this.index.size;
    this.heap.rebuild(occupied, (exp, slots, gens) => {
      let i = 0;
      for (let slot = 0; slot < this.used; slot++) {
        if (this.keys[slot] === undefined) {
          this.triggerAt[slot] = Number.NaN;
          continue;
        }
        const expiresAt = this.expiresAt[slot] as number;
        exp[i] = expiresAt;
        slots[i] = slot;
        gens[i] = this.generations[slot] as number;
        this.triggerAt[slot] = expiresAt;
        i++;
      }
    });
  }

  private grow(): void {
    const capacity = Math.min(this.maxSize, Math.max(INITIAL_CAPACITY, this.next.length * 2));
    this.next = resized(this.next, new Int32Array(capacity));
    this.prev = resized(this.prev, new Int32Array(capacity));
    this.expiresAt = resized(this.expiresAt, new Float64Array(capacity));
    this.freshUntil = resized(this.freshUntil, new Float64Array(capacity));
    this.sizes = resized(this.sizes, new Float64Array(capacity));
    this.generations = resized(this.generations, new Uint32Array(capacity));
    this.triggerAt = resized(this.triggerAt, new Float64Array(capacity));
  }
}

function resized<A extends Int32Array | Uint32Array | Float64Array>(from: A, to: A): A {
  to.set(from);
  return to;
}
