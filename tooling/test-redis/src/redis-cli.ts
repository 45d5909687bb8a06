import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findRedisCli } from './binaries.js';

const run = promisify(execFile);

/** How redis-cli authenticates; the password travels in the environment, never on the command line. */
export interface RedisCliAuth {
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  /** TLS: connect with `--tls`, verifying the server against this CA certificate file. */
  readonly caPath?: string | undefined;
}

/**
 * Runs one `redis-cli -h 127.0.0.1 -p <port> <args…>` and resolves its output (an error reply is output
 * too, as redis-cli prints it). Rejects when redis-cli fails or runs past `timeoutMs`.
 */
export async function redisCli(port: number, args: readonly string[], auth: RedisCliAuth = {}, timeoutMs = 20_000): Promise<string> {
  const env = { ...process.env };
  delete env['REDISCLI_AUTH'];
  if (auth.password !== undefined) env['REDISCLI_AUTH'] = auth.password;
  const user = auth.username !== undefined ? ['--user', auth.username] : [];
  const tls = auth.caPath !== undefined ? ['--tls', '--cacert', auth.caPath] : [];
  const { stdout } = await run(findRedisCli(), ['-h', '127.0.0.1', '-p', String(port), ...tls, ...user, ...args], { timeout: timeoutMs, env });
  return stdout;
}
