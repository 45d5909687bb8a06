import { ConfigurationError } from './errors.js';

/** A source of time in epoch milliseconds. Everything time-dependent reads one. */
export interface Clock {
  now(): number;
}

/**
 * The wall clock: `Date.now()` on every read (so vitest fake timers drive it too). Use it only
 * where time crosses processes (expiry written into Redis, token timestamps, metric timestamps):
 * it jumps when the system time is set.
 */
export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

const ORIGIN = performance.timeOrigin;

/**
 * A monotonic clock in epoch-like milliseconds (`performance.timeOrigin + performance.now()`):
 * it never goes back and ignores changes of the system time, so in-process expiry stays exact
 * when the wall clock is moved. Exact: one `performance.now()` per read (pass it as `clock` where
 * expiry must not lag even inside one synchronous stretch).
 */
export const monotonicClock: Clock = Object.freeze({ now: () => ORIGIN + performance.now() });

/**
 * An opt-in cheaper clock (lru-cache's `ttlResolution` technique): {@link monotonicClock} is read
 * at most once per `resolutionMs` (default 1) of event-loop progress, behind an unref'd timer, so
 * time stands still inside one synchronous stretch. Expiry may then lag by that stretch; use it
 * only where a clock read per operation is measurable (hot in-memory paths); {@link coarseClock}
 * is the shared instance in-memory expiry uses by default.
 */
export function createCoarseClock(resolutionMs = 1): Clock {
  if (!Number.isInteger(resolutionMs) || resolutionMs < 1 || resolutionMs > 1000) {
    throw new ConfigurationError(`Invalid coarse clock resolution ${String(resolutionMs)}: use whole milliseconds from 1 to 1000`, {
      code: 'INVALID_CONFIGURATION',
      context: { resolution_ms: resolutionMs },
    });
  }
  let cached: number | undefined;
  const expire = (): void => {
    cached = undefined;
  };
  return Object.freeze({
    now(): number {
      if (cached === undefined) {
        cached = monotonicClock.now();
        setTimeout(expire, resolutionMs).unref();
      }
      return cached;
    },
  });
}

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

/**
 * The default clock of in-memory expiry: {@link monotonicClock} read at most once per millisecond
 * of event-loop progress (lru-cache's default `ttlResolution` technique; a clock read cost a
 * quarter of a memory hit). Monotonic, so changes of the system time do not move expiry; an entry
 * may outlive its TTL by at most the synchronous stretch it is read in. One shared instance.
 */
export const coarseClock: Clock = createCoarseClock(1);
