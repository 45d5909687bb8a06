import { ManualClock } from '@cache/core';
import type { Logger } from '@cache/core';
import { InMemoryCache } from '../src/index.js';
import type { InMemoryCacheOptions } from '../src/index.js';

/** One captured log call. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  meta: Record<string, unknown> | undefined;
}

/** A real logger that keeps every line (all levels enabled) so tests can read them. */
export function recordingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (message: string, meta?: Record<string, unknown>) => {
    lines.push({ level, message, meta });
  };
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

/** A cache on a ManualClock starting at t = 1 000 000 ms, silent unless a logger is given. */
export function manualCache(options: InMemoryCacheOptions = {}): { cache: InMemoryCache; clock: ManualClock } {
  const clock = new ManualClock(1_000_000);
  const { logger } = recordingLogger();
  return { cache: new InMemoryCache({ logger, clock, ...options }), clock };
}

/** Resolves the rejection reason of `p`, failing if it resolves. */
export async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

/** Returns what `fn` throws, failing if it returns. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}
