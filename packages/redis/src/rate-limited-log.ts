/** Window during which repeats of one kind of warning are only counted. */
export const WARNING_WINDOW_MS = 60_000;

/**
 * Decides which occurrences of a repeating problem are worth a log line or event: the first
 * of each kind, then at most one per window, carrying how many were suppressed meanwhile.
 * Keys are problem kinds (a handful), never cache keys, so the map stays tiny.
 */
export class RateLimiter {
  readonly #last = new Map<string, { at: number; suppressed: number }>();
  readonly #windowMs: number;

  constructor(windowMs = WARNING_WINDOW_MS) {
    this.#windowMs = windowMs;
  }

  /** `null` when this occurrence should stay silent, else how many were suppressed since the last one let through. */
  admit(kind: string): number | null {
    const now = performance.now();
    const last = this.#last.get(kind);
    if (last && now - last.at < this.#windowMs) {
      last.suppressed++;
      return null;
    }
    this.#last.set(kind, { at: now, suppressed: 0 });
    return last?.suppressed ?? 0;
  }
}
