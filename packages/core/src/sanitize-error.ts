import { CacheError } from './errors.js';

/** Commands whose arguments are credentials: everything after the command name is removed. */
const SECRET_COMMAND = /\b(AUTH|HELLO|MASTERAUTH|MIGRATE|ACL\s+SETUSER|CONFIG\s+SET)\b[^\n]*/gi;
/** `scheme://user:password@` credentials inside a message. */
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi;
/** Shorter command arguments are not searched for in the message (they would mangle ordinary words and numbers). */
const MIN_ARG_LENGTH = 4;

const argText = (arg: unknown): string | null => {
  if (typeof arg === 'string') return arg;
  if (arg instanceof Uint8Array) return new TextDecoder().decode(arg);
  return null;
};

function commandArgs(error: object): string[] {
  const command = (error as { command?: unknown }).command;
  const args = typeof command === 'object' && command !== null ? (command as { args?: unknown }).args : undefined;
  if (!Array.isArray(args)) return [];
  return args.map(argText).filter((a): a is string => a !== null && a.length >= MIN_ARG_LENGTH);
}

function cleanMessage(message: string, args: readonly string[]): string {
  let out = message;
  for (const arg of args) out = out.split(arg).join('***');
  return out.replace(SECRET_COMMAND, '$1 ***').replace(URL_CREDENTIALS, '$1***@');
}

/**
 * A copy of a thrown value that is safe to attach as an error `cause`, log, or put in an event:
 * the original's `name`, its string `code` (e.g. `ECONNREFUSED`) and its message with command
 * arguments removed (`AUTH <user> <password>`, `HELLO 3 AUTH …`, URL credentials, and any
 * argument of the failed command that appears in the text), plus the original stack frames.
 * Nothing else is copied: no command object, no nested `cause`, no `previousErrors` or other
 * client-specific properties, so `util.inspect` and `JSON.stringify` of the result show no secret.
 * A `CacheError` is returned unchanged (it already follows these rules).
 */
export function sanitizeError(error: unknown): Error {
  if (CacheError.isCacheError(error)) return error;
  const isObject = typeof error === 'object' && error !== null;
  const rawMessage = isObject && typeof (error as { message?: unknown }).message === 'string' ? (error as { message: string }).message : String(error);
  const rawName = isObject && typeof (error as { name?: unknown }).name === 'string' ? (error as { name: string }).name : 'Error';
  const message = cleanMessage(rawMessage, isObject ? commandArgs(error) : []);
  const out = new Error(message);
  Object.defineProperty(out, 'name', { value: rawName, enumerable: false, configurable: true, writable: true });
  const code = isObject ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string') Object.defineProperty(out, 'code', { value: code, enumerable: true });
  const stack = isObject ? (error as { stack?: unknown }).stack : undefined;
  const frames = typeof stack === 'string' ? stack.split('\n').filter((line) => /^\s+at /.test(line)) : [];
  out.stack = [`${rawName}: ${message}`, ...frames].join('\n');
  return out;
}
