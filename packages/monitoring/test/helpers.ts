import { ManualClock, type Logger } from '@cache/core';
import { CachePerformanceMonitor, type CachePerformanceMonitorOptions } from '../src/index.js';

/** One captured log call. */
export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  meta: Record<string, unknown> | undefined;
}

/** A logger that keeps every call, for asserting on log output. */
export function capturingLogger(): { logger: Logger; entries: LogEntry[]; at: (level: LogEntry['level']) => LogEntry[] } {
  const entries: LogEntry[] = [];
  const log = (level: LogEntry['level']) => (message: string, meta?: Record<string, unknown>) => {
    entries.push({ level, message, meta });
  };
  return {
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    entries,
    at: (level) => entries.filter((e) => e.level === level),
  };
}

/** Start time used by tests: 2024-01-01T00:00:00Z. */
export const T0 = Date.UTC(2024, 0, 1);

/** A monitor on a ManualClock (the only thing mocked) with a capturing logger. */
export function makeMonitor(options: CachePerformanceMonitorOptions = {}) {
  const clock = new ManualClock(T0);
  const log = capturingLogger();
  const monitor = new CachePerformanceMonitor({ clock, logger: log.logger, processMemoryBytes: () => 64 * 1048576, ...options });
  return { monitor, clock, log };
}

export const HOUR = 3_600_000;
export const MIB = 1024 * 1024;

/** Metric name → declared type, from the `# TYPE` lines of the text exposition format. */
export function types(text: string): Map<string, string> {
  const declared = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (match) declared.set(match[1] as string, match[2] as string);
  }
  return declared;
}

/** Parses the text exposition format into `series → value`. */
export function parse(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}
