/**
 * Binary min-heap of `(expiresAt, slot, generation)` triples in parallel typed arrays, ordered by
 * `expiresAt`. Entries are never removed from the middle: a slot whose generation changed since the
 * push (overwritten, deleted, evicted) leaves a stale triple behind that the owner skips when it
 * surfaces, and the owner rebuilds the heap when stale triples dominate. Internal to the package.
 */
export class ExpiryHeap {
  /** Number of triples held (live and stale). */
  length = 0;
  private expiresAt: Float64Array;
  private slots: Uint32Array;
  private generations: Uint32Array;

  constructor(initialCapacity: number) {
    this.expiresAt = new Float64Array(initialCapacity);
    this.slots = new Uint32Array(initialCapacity);
    this.generations = new Uint32Array(initialCapacity);
  }

  /** Smallest `expiresAt` held, `Infinity` when empty. */
  minExpiresAt(): number {
    return this.length === 0 ? Number.POSITIVE_INFINITY : (this.expiresAt[0] as number);
  }

  /** Slot of the minimum triple (only meaningful when `length > 0`). */
  minSlot(): number {
    return this.slots[0] as number;
  }

  /** Generation of the minimum triple (only meaningful when `length > 0`). */
  minGeneration(): number {
    return this.generations[0] as number;
  }

  /** Adds a triple: O(log n), O(1) when `expiresAt` is the largest so far (the common case). */
  push(expiresAt: number, slot: number, generation: number): void {
    if (this.length === this.expiresAt.length) this.grow();
    const exp = this.expiresAt;
    const slots = this.slots;
    const gens = this.generations;
    let i = this.length++;
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      const parentExp = exp[parent] as number;
      if (parentExp <= expiresAt) break;
      exp[i] = parentExp;
      slots[i] = slots[parent] as number;
      gens[i] = gens[parent] as number;
      i = parent;
    }
    exp[i] = expiresAt;
    slots[i] = slot;
    gens[i] = generation;
  }

  /** Removes the minimum triple: O(log n). */
  pop(): void {
    const last = --this.length;
    if (last > 0) this.siftDown(0, this.expiresAt[last] as number, this.slots[last] as number, this.generations[last] as number);
  }

  /** Drops every triple. */
  clear(): void {
    this.length = 0;
  }

  /**
   * Replaces the content with one triple per live slot (`count` of them, read through the
   * callbacks) and restores heap order in O(n).
   */
  rebuild(count: number, fill: (expiresAt: Float64Array, slots: Uint32Array, generations: Uint32Array) => void): void {
    while (this.expiresAt.length < count) this.grow();
    fill(this.expiresAt, this.slots, this.generations);
    this.length = count;
    for (let i = (count >>> 1) - 1; i >= 0; i--) {
      this.siftDown(i, this.expiresAt[i] as number, this.slots[i] as number, this.generations[i] as number);
    }
  }

  /**
   * Calls `visit(slot, generation)` for every triple with `expiresAt < now`, pruning subtrees whose
   * root is not expired: O(k) for k such triples, without modifying the heap.
   */
  forEachBefore(now: number, visit: (slot: number, generation: number) => void): void {
    if (this.length === 0) return;
    const stack: number[] = [0];
    while (stack.length > 0) {
      const i = stack.pop() as number;
      if (i >= this.length || (this.expiresAt[i] as number) >= now) continue;
      visit(this.slots[i] as number, this.generations[i] as number);
      stack.push(2 * i + 1, 2 * i + 2);
    }
  }

  private siftDown(start: number, expiresAt: number, slot: number, generation: number): void {
    const exp = this.expiresAt;
    const slots = this.slots;
    const gens = this.generations;
    const n = this.length;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && (exp[right] as number) < (exp[child] as number)) child = right;
      const childExp = exp[child] as number;
      if (childExp >= expiresAt) break;
      exp[i] = childExp;
      slots[i] = slots[child] as number;
      gens[i] = gens[child] as number;
      i = child;
    }
    exp[i] = expiresAt;
    slots[i] = slot;
    gens[i] = generation;
  }

  private grow(): void {
    const capacity = Math.max(16, this.expiresAt.length * 2);
    const exp = new Float64Array(capacity);
    exp.set(this.expiresAt);
    const slots = new Uint32Array(capacity);
    slots.set(this.slots);
    const gens = new Uint32Array(capacity);
    gens.set(this.generations);
    this.expiresAt = exp;
    this.slots = slots;
    this.generations = gens;
  }
}
