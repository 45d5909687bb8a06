import { ConfigurationError, InfrastructureError, sanitizeError, type CacheError } from '@cache/core';

/** What kind of trouble a failed Redis command ran into. */
export type RedisProblemKind =
  | 'permission'
  | 'read_only'
  | 'unavailable_command'
  | 'out_of_memory'
  | 'timeout'
  | 'connection'
  | 'server'
  | 'command';

/** A failed Redis command, described for users: no client internals, no secrets. */
export interface RedisProblem {
  readonly kind: RedisProblemKind;
  /** Retrying cannot help: the ACL or the server's configuration must change. */
  readonly permanent: boolean;
  /** Upper-case command name, e.g. `UNLINK`. */
  readonly command: string;
  /** What happened, in words a user can act on. */
  readonly message: string;
  /** How to fix it, when we know. */
  readonly hint: string | undefined;
  /** The client's error, sanitised (core `sanitizeError`). */
  readonly cause: Error;
}

const CONNECTION_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTCONN', 'ECONNABORTED']);
/** ioredis' own texts for "the socket is gone or not usable": never shown to users (they name client options). */
const CONNECTION_TEXT = /Connection is closed|Stream isn't writeable|max retries per request|isn't ready|None of startup nodes|Failed to refresh slots|All sentinels are unreachable/i;
const TRANSIENT_SERVER = /^(CLUSTERDOWN|TRYAGAIN|LOADING|BUSY|MASTERDOWN|MOVED|ASK)\b/;

function describe(kind: RedisProblemKind, command: string, serverText: string, commandTimeoutMs: number): { message: string; hint: string | undefined } {
  switch (kind) {
    case 'permission':
      return {
        message: `Redis refused ${command}: the connection's ACL user lacks permission (${serverText})`,
        hint: `grant it (e.g. ACL SETUSER <user> +${command.toLowerCase()}) or connect as a user allowed to run ${command}`,
      };
    case 'read_only':
      return {
        message: `Redis refused ${command}: the server is a read-only replica (${serverText})`,
        hint: 'point the cache at the primary (master), not at a replica',
      };
    case 'unavailable_command':
      return {
        message: `Redis does not offer ${command} (${serverText})`,
        hint: `the command is disabled or renamed on this server: enable ${command} for the cache`,
      };
    case 'out_of_memory':
      return {
        message: `Redis refused ${command}: out of memory (${serverText})`,
        hint: 'raise maxmemory or set an eviction policy such as maxmemory-policy allkeys-lru',
      };
    case 'timeout':
      return { message: `Redis did not answer ${command} within ${commandTimeoutMs} ms`, hint: undefined };
    case 'connection':
      return { message: `the connection to Redis was lost or not usable before ${command} was answered`, hint: undefined };
    default:
      return { message: `Redis ${command} failed: ${serverText}`, hint: undefined };
  }
}

/** Classifies a failed command's error and words it for users; the raw error is only kept sanitised. */
export function classifyRedisError(error: unknown, command: string, commandTimeoutMs: number): RedisProblem {
  const cause = sanitizeError(error);
  const text = cause.message;
  const code = (cause as { code?: unknown }).code;
  // ioredis names the failed command on its errors (pipelines mix SCAN and UNLINK); only the name is read.
  const failed = typeof error === 'object' && error !== null ? (error as { command?: { name?: unknown } }).command?.name : undefined;
  const name = (typeof failed === 'string' ? failed : command).toUpperCase();
  let kind: RedisProblemKind;
  if (/^NOPERM\b/.test(text)) kind = 'permission';
  else if (/^READONLY\b/.test(text)) kind = 'read_only';
  else if (/^(ERR unknown command|ERR unknown subcommand|NOSCRIPT)\b/.test(text)) kind = 'unavailable_command';
  else if (/^OOM\b/.test(text)) kind = 'out_of_memory';
  else if (/timed out/i.test(text)) kind = 'timeout';
  else if ((typeof code === 'string' && CONNECTION_CODES.has(code)) || CONNECTION_TEXT.test(text)) kind = 'connection';
  else if (TRANSIENT_SERVER.test(text)) kind = 'server';
  else kind = 'command';
  const permanent = kind === 'permission' || kind === 'read_only' || kind === 'unavailable_command';
  return { kind, permanent, command: name, ...describe(kind, name, text, commandTimeoutMs), cause };
}

const CONFIGURATION_CODES: Readonly<Partial<Record<RedisProblemKind, string>>> = {
  permission: 'REDIS_PERMISSION_DENIED',
  read_only: 'REDIS_READ_ONLY',
  unavailable_command: 'REDIS_COMMAND_UNAVAILABLE',
};
const INFRASTRUCTURE_CODES: Readonly<Partial<Record<RedisProblemKind, string>>> = {
  timeout: 'REDIS_TIMEOUT',
  connection: 'REDIS_CONNECTION_LOST',
  out_of_memory: 'REDIS_OUT_OF_MEMORY',
};

/**
 * The typed error for a problem a caller must see: `ConfigurationError` for what only a change
 * of ACL or server configuration fixes, else `InfrastructureError`; the sanitised client error
 * is the cause. `what` says what was affected, e.g. "invalidatePattern('user:*')".
 */
export function problemToError(problem: RedisProblem, what: string): CacheError {
  const message = `${what}: ${problem.message}${problem.hint ? `. Fix: ${problem.hint}` : ''}`;
  const options = { context: { command: problem.command, kind: problem.kind }, cause: problem.cause };
  const configurationCode = CONFIGURATION_CODES[problem.kind];
  if (configurationCode) return new ConfigurationError(message, { ...options, code: configurationCode });
  return new InfrastructureError(message, { ...options, code: INFRASTRUCTURE_CODES[problem.kind] ?? 'REDIS_COMMAND_FAILED' });
}
