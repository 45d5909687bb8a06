import type { Logger } from '@cache/core';

/** One captured log call. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  meta: Record<string, unknown> | undefined;
}

/** A real Logger that keeps every line, so tests can assert what was (and was not) logged. */
export function recordingLogger(): Logger & { lines: LogLine[]; at(level: LogLine['level']): LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  const push = (level: LogLine['level']) => (message: string, meta?: Record<string, unknown>) => {
    lines.push({ level, message, meta });
  };
  return {
    lines,
    debug: push('debug'),
    info: push('info'),
    warn: push('warn'),
    error: push('error'),
    at: (level) => lines.filter((l) => l.level === level),
    text: () => JSON.stringify(lines),
  };
}
