import { existsSync } from 'node:fs';
import { FeatureContext, defaultLogger, detectEnvironment } from '@cache/core';
import type { EnvironmentInfo, EnvironmentResolver, Logger } from '@cache/core';

/** Read-only environment-variable map (the credentials source). */
export type EnvMap = Readonly<Record<string, string | undefined>>;

/** Injectable side effects of a {@link SecurityConfig}; tests pass fakes. */
export interface SecurityRuntime {
  /** Credentials and environment source; default `process.env`. */
  env?: EnvMap;
  /** File-existence probe for TLS paths; default `fs.existsSync`. */
  fileExists?: (path: string) => boolean;
  /** Environment detection; default `ctx => detectEnvironment(env, ctx)` over this runtime's `env`. */
  resolveEnvironment?: EnvironmentResolver;
  /** Where warnings go; default core's `defaultLogger` (warn + error only). */
  logger?: Logger;
}

/** A runtime with every default applied. */
export interface ResolvedRuntime {
  readonly env: EnvMap;
  readonly fileExists: (path: string) => boolean;
  readonly resolveEnvironment: EnvironmentResolver;
  readonly logger: Logger;
}

/** Applies the defaults of {@link SecurityRuntime}. */
export function resolveRuntime(runtime: SecurityRuntime = {}): ResolvedRuntime {
  const env = runtime.env ?? process.env;
  return {
    env,
    fileExists: runtime.fileExists ?? existsSync,
    resolveEnvironment: runtime.resolveEnvironment ?? ((ctx) => detectEnvironment(env, ctx)),
    logger: runtime.logger ?? defaultLogger,
  };
}

/** The environment as seen for security enforcement. */
export function securityEnvironment(runtime: ResolvedRuntime): EnvironmentInfo {
  return runtime.resolveEnvironment(FeatureContext.SECURITY_ENFORCEMENT);
}

/** A trimmed-to-null view of an optional string: `''`/`undefined`/`null` → `null`. */
export function nonEmpty(value: string | null | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
