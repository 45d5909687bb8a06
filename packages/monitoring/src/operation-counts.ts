/** Distinct operation names counted before later names are folded into `(other)`. */
const MAX_TRACKED_OPERATIONS = 256;
const OTHER_OPERATIONS = '(other)';

/** Lifetime count per operation name, bounded at 256 names (the rest count under `(other)`). */
export class OperationCounts {
  readonly #counts = new Map<string, { count: number }>();

  /** Counts one operation named `operation`. */
  add(operation: string): void {
    const counts = this.#counts;
    const current = counts.get(operation);
    if (current !== undefined) current.count++;
    else if (counts.size < MAX_TRACKED_OPERATIONS) counts.set(operation, { count: 1 });
    else {
      const other = counts.get(OTHER_OPERATIONS);
      if (other !== undefined) other.count++;
      else counts.set(OTHER_OPERATIONS, { count: 1 });
    }
  }

  /** A plain record of the counts, in first-seen order. */
  toRecord(): Record<string, number> {
    return Object.fromEntries([...this.#counts].map(([operation, c]) => [operation, c.count]));
  }

  /** Forgets every count. */
  clear(): void {
    this.#counts.clear();
  }
}
