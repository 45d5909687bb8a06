/** A source of time in epoch milliseconds. Everything time-dependent reads one. */
export interface Clock {
  now(): number;
}

/** The real clock: `Date.now()` on every read (so vitest fake timers drive it too). */
export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

/** A clock that moves only when told to; for exact TTL tests without sleeping. */
export class ManualClock implements Clock {
  private current: number;

  /** Starts at `startMs` (default 0). */
  constructor(startMs = 0) {
    this.current = startMs;
  }

  /** Current time, epoch ms. */
  now(): number {
    return this.current;
  }

  /** Moves time forward by exactly `ms`. */
  advance(ms: number): void {
    this.current += ms;
  }

  /** Jumps to `ms`. */
  set(ms: number): void {
    this.current = ms;
  }
}
