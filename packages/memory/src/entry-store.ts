import { ExpiryHeap } from './expiry-heap.js';

const NIL = 0xffff_ffff;
const INITIAL_CAPACITY = 64;
/** Stale heap triples tolerated beyond the live count before the heap is rebuilt. */
const HEAP_SLACK = 1024;

/**
 * The storage engine behind `InMemoryCache`: a `Map<key, slot>` plus slot-indexed parallel arrays
 * (key, value, expiry, size, generation) and a doubly-linked recency list in typed arrays, as
 * lru-cache does, so a hit moves a key with a few integer writes and no allocation. Freed slots are
 * reused through a free stack; the typed arrays grow geometrically up to `maxSize`. An
 * {@link ExpiryHeap} indexes expiry so purging costs O(k log n) for k expired entries.
 *
 * Knows nothing about validation, statistics or logging. Internal to the package.
 */
export class EntryStore {
  /** Sum of the stored entries' size estimates, bytes. */
  memoryBytes = 0;
  private readonly index = new Map<string, number>();
  private keys: (string | undefined)[] = [];
  private values: unknown[] = [];
  private next: Uint32Array;
  private prev: Uint32Array;
  private expiresAt: Float64Array;
  private sizes: Float64Array;
  private generations: Uint32Array;
  private readonly heap: ExpiryHeap;
  private freeSlots: number[] = [];
  private used = 0;
  private head = NIL;
  private tail = NIL;

  constructor(private readonly maxSize: number) {
    const capacity = Math.min(maxSize, INITIAL_CAPACITY);
    this.next = new Uint32Array(capacity);
    this.prev = new Uint32Array(capacity);
    this.expiresAt = new Float64Array(capacity);
    this.sizes = new Float64Array(capacity);
    this.generations = new Uint32Array(capacity);
    this.heap = new ExpiryHeap(capacity);
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

  /** Expiry (epoch ms) of a slot. */
  expiresAtOf(slot: number): number {
    return this.expiresAt[slot] as number;
  }

  /** Removes every entry with `expiresAt < now`; returns how many. O(k log n). */
  purgeExpired(now: number): number {
    const heap = this.heap;
    if (!(heap.minExpiresAt() < now)) return 0;
    let removed = 0;
    do {
      const slot = heap.minSlot();
      const live = heap.minGeneration() === this.generations[slot];
      heap.pop();
      if (live) {
        this.removeSlot(slot);
        removed++;
      }
    } while (heap.minExpiresAt() < now);
    return removed;
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

  /** Replaces the value, expiry and size of an existing slot and makes it most recent. */
  update(slot: number, value: unknown, expiresAt: number, sizeBytes: number): void {
    this.values[slot] = value;
    this.memoryBytes += sizeBytes - (this.sizes[slot] as number);
    this.sizes[slot] = sizeBytes;
    this.setExpiry(slot, expiresAt);
    this.touch(slot);
  }

  /** Adds a new key as most recent. The caller has made room (`size < maxSize`). */
  insert(key: string, value: unknown, expiresAt: number, sizeBytes: number): void {
    let slot: number;
    if (this.freeSlots.length > 0) {
      slot = this.freeSlots.pop() as number;
    } else {
      slot = this.used++;
      if (slot === this.next.length) this.grow();
    }
    this.index.set(key, slot);
    this.keys[slot] = key;
    this.values[slot] = value;
    this.sizes[slot] = sizeBytes;
    this.memoryBytes += sizeBytes;
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

  /** Removes `slot`: unlinks it, frees it, subtracts its size. */
  removeSlot(slot: number): void {
    const key = this.keys[slot] as string;
    this.index.delete(key);
    this.memoryBytes -= this.sizes[slot] as number;
    this.keys[slot] = undefined;
    this.values[slot] = undefined;
    this.generations[slot] = ((this.generations[slot] as number) + 1) >>> 0;
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
    this.next = new Uint32Array(capacity);
    this.prev = new Uint32Array(capacity);
    this.expiresAt = new Float64Array(capacity);
    this.sizes = new Float64Array(capacity);
    this.generations = new Uint32Array(capacity);
    this.heap.clear();
    this.freeSlots = [];
    this.used = 0;
    this.head = NIL;
    this.tail = NIL;
    this.memoryBytes = 0;
  }

  /** Every held key, expired-unpurged included (insertion order of the index). */
  allKeys(): string[] {
    return Array.from(this.index.keys());
  }

  /** Held keys whose entry is live at `now` (`now <= expiresAt`). */
  liveKeys(now: number): string[] {
    const out: string[] = [];
    for (const [key, slot] of this.index) if (now <= (this.expiresAt[slot] as number)) out.push(key);
    return out;
  }

  /** Held entries with `expiresAt < now`, counted through the heap in O(k) without removing them. */
  countExpired(now: number): number {
    let count = 0;
    this.heap.forEachBefore(now, (slot, generation) => {
      if (generation === this.generations[slot]) count++;
    });
    return count;
  }

  private setExpiry(slot: number, expiresAt: number): void {
    const heap = this.heap;
    // Rebuilt before this slot changes, so the triple pushed below is the slot's only live one.
    if (heap.length >= 2 * this.index.size + HEAP_SLACK) this.compactHeap();
    this.expiresAt[slot] = expiresAt;
    const generation = ((this.generations[slot] as number) + 1) >>> 0;
    this.generations[slot] = generation;
    heap.push(expiresAt, slot, generation);
  }

  private compactHeap(): void {
    this.heap.rebuild(this.index.size, (exp, slots, gens) => {
      let i = 0;
      for (const slot of this.index.values()) {
        exp[i] = this.expiresAt[slot] as number;
        slots[i] = slot;
        gens[i] = this.generations[slot] as number;
        i++;
      }
    });
  }

  private grow(): void {
    const capacity = Math.min(this.maxSize, Math.max(INITIAL_CAPACITY, this.next.length * 2));
    this.next = resized(this.next, new Uint32Array(capacity));
    this.prev = resized(this.prev, new Uint32Array(capacity));
    this.expiresAt = resized(this.expiresAt, new Float64Array(capacity));
    this.sizes = resized(this.sizes, new Float64Array(capacity));
    this.generations = resized(this.generations, new Uint32Array(capacity));
  }
}

function resized<A extends Uint32Array | Float64Array>(from: A, to: A): A {
  to.set(from);
  return to;
}
