/** What the tests read off a thrown error (core's CacheError shape). */
export interface Thrown {
  name: string;
  code: string;
  message: string;
  context: Record<string, unknown>;
  cause?: unknown;
}

/** Runs `fn` and returns what it threw; fails the test when it returns normally. */
export function thrown(fn: () => unknown): Thrown {
  try {
    fn();
  } catch (e) {
    return e as Thrown;
  }
  throw new Error('expected a throw');
}
