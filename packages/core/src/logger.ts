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

/** Default library logger: console, warnings and errors only. */
export const defaultLogger: Logger = createConsoleLogger({ level: 'warn' });

/** A logger that drops everything. */
export const silentLogger: Logger = createConsoleLogger({ level: 'silent' });
