import type { Logger } from '@cache/core';

/** A real Logger that keeps what it is given, so tests can assert on emitted warnings and info. */
export function recordingLogger(): Logger & { readonly lines: { level: string; message: string; meta?: Record<string, unknown> }[] } {
  const lines: { level: string; message: string; meta?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, meta?: Record<string, unknown>) => {
    lines.push(meta === undefined ? { level, message } : { level, message, meta });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Runs `fn` and returns what it threw (fails the test when nothing is thrown). */
export function thrown(fn: () => unknown): { name: string; code: string; message: string; context: Record<string, unknown> } {
  try {
    fn();
  } catch (e) {
    return e as { name: string; code: string; message: string; context: Record<string, unknown> };
  }
  throw new Error('expected a throw');
}
