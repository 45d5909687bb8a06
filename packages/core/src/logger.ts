/** Minimal logger, compatible with console and pino-style loggers. Never pass secrets, keys or values. */
export interface Logger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/** Lowest level a console logger emits; `silent` emits nothing. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const noop = (): void => {};

/** A console-backed logger emitting `level` and above (default `warn`). */
export function createConsoleLogger(opts: { level?: LogLevel } = {}): Logger {
  const min = RANK[opts.level ?? 'warn'];
  const at = (level: Exclude<LogLevel, 'silent'>) =>
    RANK[level] >= min
      ? (message: string, meta?: Record<string, unknown>): void => {
          if (meta === undefined) console[level](`[@cache] ${message}`);
          else console[level](`[@cache] ${message}`, meta);
        }
      : noop;
  return Object.freeze({ debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') });
}

/**
 * True when `logger` would emit a line at `level`: false for a level that core's console loggers
 * drop, or that a pino-style `isLevelEnabled(level)` refuses. Lets hot paths skip building a log
 * line (and hashing a key fingerprint) that nobody will see.
 */
export function isLogLevelEnabled(logger: Logger, level: Exclude<LogLevel, 'silent'>): boolean {
  if (logger[level] === noop) return false;
  const probe = (logger as { isLevelEnabled?: unknown }).isLevelEnabled;
  return typeof probe === 'function' ? Boolean((probe as (l: string) => unknown).call(logger, level)) : true;
}

/** Default library logger: console, warnings and errors only. */
export const defaultLogger: Logger = createConsoleLogger({ level: 'warn' });

/** A logger that drops everything. */
export const silentLogger: Logger = createConsoleLogger({ level: 'silent' });
