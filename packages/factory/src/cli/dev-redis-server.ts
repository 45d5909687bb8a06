import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFernetKey } from '@cache/encryption';
import { makeDevCertificates } from './dev-certificates.js';
import { CliError, EXIT } from './exit-codes.js';
import { findProgram } from './find-program.js';

/** Options of {@link startDevRedis}. */
export interface DevRedisOptions {
  /** TLS port on 127.0.0.1; 0 picks a free one. Default 6380 (the default URL of `GenericRedisCache.createSecure`). */
  port?: number;
  /** The application's ACL user; default `cache-app`. */
  user?: string;
  /** redis-server to run; default the first on `PATH`. */
  redisServer?: string;
  /** openssl to run; default the first on `PATH`. */
  openssl?: string;
  /** `PATH` to search; default `process.env.PATH`. */
  path?: string | undefined;
}

/** A running development server and the environment an application needs to use it. */
export interface DevRedis {
  readonly port: number;
  /** redis-server's process id (for fault drills: SIGSTOP/SIGCONT pause and resume it). */
  readonly pid: number;
  /** Temp dir holding certificates and data; removed by `stop()`. */
  readonly dir: string;
  /**
   * What `@cache` reads (`GenericRedisCache.createSecure`, `createSecurityConfigFromEnv`,
   * `createEncryptionLayerFromEnv`): `REDIS_URL`, `REDIS_TLS_CA_PATH`, `REDIS_ACL_USERNAME`,
   * `REDIS_ACL_PASSWORD`, `REDIS_ENCRYPTION_KEY`. The password and key are secrets of this server.
   */
  readonly env: Readonly<Record<string, string>>;
  /** Resolves when redis-server exits, with why. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stops redis-server (SIGTERM, then SIGKILL after 5 s) and removes the temp dir; idempotent. */
  stop(): Promise<void>;
}

const USER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
/**
 * The application user may use every data command, plus the few server commands the cache needs
 * (INFO for health and stats, CLIENT ID/TRACKING for L1 coherence), but no administrative or
 * dangerous command (CONFIG, FLUSHALL, KEYS, DEBUG, SHUTDOWN, ACL …).
 */
const APP_RULES = ['~*', '&*', '+@all', '-@dangerous', '+info', '+client|id', '+client|tracking', '+memory|usage'];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function waitUntilReady(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new CliError(`redis-server did not become ready within 10 s on port ${port}`, EXIT.internal)), 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Ready to accept connections')) done();
    };
    const onExit = () => {
      const reasons = output
        .split('\n')
        .map((line) => line.replace(/^\d+:[A-Z] .*?\d\d:\d\d:\d\d\.\d+ [#*.-] /, '').trim())
        .filter((line) => /FATAL|Bad directive|wrong number|fail|error|abort|in use|Can't/i.test(line));
      const inUse = reasons.some((r) => /in use/i.test(r));
      fail(
        new CliError(
          `redis-server exited during start-up${reasons.length > 0 ? `: ${reasons.slice(0, 3).join(' | ')}` : ''}`,
          inUse ? EXIT.usage : EXIT.internal,
          inUse ? `Port ${port} is taken: pass --port <another> (or --port 0 for any free port).` : 'Run redis-server --version to check the installation.',
        ),
      );
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    const done = () => {
      cleanup();
      resolve();
    };
    const fail = (error: Error) => {
      cleanup();
      reject(error);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/**
 * Starts a TLS-only, ACL-protected redis-server on 127.0.0.1 for local development: fresh
 * certificates (openssl), the default user disabled, one application user with a random password
 * and no dangerous commands, memory bounded (256 MB, allkeys-lru), no persistence, and a fresh
 * Fernet key for value encryption.
 * Missing programs are exit 5 ({@link CliError}); the temp dir is removed when start-up fails.
 */
export async function startDevRedis(options: DevRedisOptions = {}): Promise<DevRedis> {
  const path = options.path ?? process.env['PATH'];
  const redisServer = findProgram('redis-server', path, options.redisServer);
  const openssl = findProgram('openssl', path, options.openssl);
  const user = options.user ?? 'cache-app';
  if (!USER_NAME.test(user) || user === 'default') {
    throw new CliError(`invalid ACL user name ${JSON.stringify(user)}`, EXIT.usage, 'Use 1-64 letters, digits, _ . or - (not "default").');
  }
  const requested = options.port ?? 6380;
  if (!Number.isInteger(requested) || requested < 0 || requested > 65_535) {
    throw new CliError(`invalid port ${String(requested)}`, EXIT.usage, 'Use a port from 1 to 65535, or 0 for any free port.');
  }
  const dir = await mkdtemp(join(tmpdir(), 'cache-dev-redis-'));
  const removeDir = () => rm(dir, { recursive: true, force: true });
  let child: ChildProcess | undefined;
  try {
    const certs = await makeDevCertificates(openssl, dir);
    const port = requested === 0 ? await freePort() : requested;
    const password = randomBytes(24).toString('base64url');
    const args = [
      '--bind', '127.0.0.1', '--port', '0', '--tls-port', String(port),
      '--tls-cert-file', certs.certPath, '--tls-key-file', certs.keyPath, '--tls-ca-cert-file', certs.caPath, '--tls-auth-clients', 'no',
      '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes',
      '--maxmemory', '256mb', '--maxmemory-policy', 'allkeys-lru',
      '--user', 'default', 'off', '--user', user, 'on', `>${password}`, ...APP_RULES,
    ];
    const proc = spawn(redisServer, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      proc.once('exit', (code, signal) => resolve({ code, signal }));
    });
    await Promise.race([
      waitUntilReady(proc, port),
      new Promise<never>((_, reject) => proc.once('error', (error) => reject(new CliError(`cannot run redis-server: ${error.message}`, EXIT.missingProgram)))),
    ]);
    proc.stdout?.resume();
    proc.stderr?.resume();
    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        if (proc.exitCode === null && proc.signalCode === null) {
          proc.kill('SIGCONT');
          proc.kill('SIGTERM');
          const killer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(killer);
        }
        await removeDir();
      })();
      return stopping;
    };
    return {
      port,
      pid: proc.pid ?? -1,
      dir,
      env: Object.freeze({
        REDIS_URL: `rediss://localhost:${port}`,
        REDIS_TLS_CA_PATH: certs.caPath,
        REDIS_ACL_USERNAME: user,
        REDIS_ACL_PASSWORD: password,
        REDIS_ENCRYPTION_KEY: generateFernetKey(),
      }),
      exited,
      stop,
    };
  } catch (error) {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await removeDir();
    throw error;
  }
}
