import { CacheError, isInfrastructureError } from '@cache/core';

/**
 * Exit codes of the `cache` command (stable; scripts may rely on them):
 * 0 success; 1 the command ran and found a problem (insecure server, invalid configuration, a value
 * that does not decrypt); 2 usage error; 3 Redis unreachable or refused the connection; 4 bad
 * configuration or environment (invalid variable, key or certificate file); 5 a required system
 * program is missing (redis-server, openssl); 70 internal error.
 */
export const EXIT = Object.freeze({
  ok: 0,
  findings: 1,
  usage: 2,
  connection: 3,
  configuration: 4,
  missingProgram: 5,
  internal: 70,
} as const);

/** One of {@link EXIT}'s values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the command reports as one message, a fix, and an exit code (never a stack trace). */
export class CliError extends Error {
  /** Process exit code. */
  readonly exitCode: ExitCode;
  /** What to do about it, one sentence; may be empty. */
  readonly fix: string;

  constructor(message: string, exitCode: ExitCode, fix = '') {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.fix = fix;
  }
}

/** Maps any thrown value to a {@link CliError}: @cache errors keep their message and code, anything else is internal. */
export function toCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (CacheError.isCacheError(error)) {
    const exit = isInfrastructureError(error) ? EXIT.connection : EXIT.configuration;
    return new CliError(`${error.message} [${error.code}]`, exit);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CliError(`unexpected error: ${message}`, EXIT.internal, 'Please report this with the command you ran (no secrets).');
}
