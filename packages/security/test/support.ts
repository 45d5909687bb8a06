import type { Environment, EnvironmentInfo, EnvironmentResolver, FeatureContext, Logger } from '@cache/core';

/** One captured log line. */
export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  meta: Record<string, unknown> | undefined;
}

/** A logger that records every line, for asserting what was (not) logged. */
export interface CapturingLogger extends Logger {
  readonly entries: LogEntry[];
  messages(level: LogEntry['level']): string[];
}

export function captureLogger(): CapturingLogger {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry['level']) =>
    (message: string, meta?: Record<string, unknown>): void => {
      entries.push({ level, message, meta });
    };
  return {
    entries,
    messages: (level) => entries.filter((e) => e.level === level).map((e) => e.message),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

/** A resolver that always reports `environment`, recording the feature contexts it was asked about. */
export function resolverFor(
  environment: Environment,
  confidence = 0.95,
): EnvironmentResolver & { readonly contexts: (FeatureContext | undefined)[] } {
  const contexts: (FeatureContext | undefined)[] = [];
  const resolve = (context?: FeatureContext): EnvironmentInfo => {
    contexts.push(context);
    return { environment, confidence, reasoning: `fixed ${environment} for the test`, featureContext: context ?? 'default', metadata: {} };
  };
  return Object.assign(resolve, { contexts });
}

/** File probes for configs whose TLS paths are not under test. */
export const everyFileExists = (): boolean => true;
export const noFileExists = (): boolean => false;

/** Returns the error thrown by `fn` (sync or async); fails when nothing is thrown. */
export async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw, got none');
}
