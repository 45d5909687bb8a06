import { ensureRedisServerBinary } from './binaries.js';
import { generateTestCertificates, type TlsMaterial } from './certificates.js';
import { makeTempDir, releaseTempDir } from './cleanup.js';
import { launchOnFreePort, launchRedisProcess, type RedisProcess } from './redis-process.js';

/** An ACL user created at server start (`--user <name> on ><password> <rules…>`). */
export interface RedisAclUser {
  /** ACL user name (no whitespace). */
  name: string;
  /** The user's password (non-empty). */
  password: string;
  /** ACL rules; default `['~*', '&*', '+@all']` (every key, channel and command). */
  rules?: string[];
}

/** How {@link startRedis} configures the server. */
export interface StartRedisOptions {
  /** `requirepass`: the default user's password. */
  password?: string;
  /** Extra ACL users. */
  users?: RedisAclUser[];
  /** TLS only: certificates are generated for this server and the plain port is disabled. */
  tls?: boolean;
  /**
   * With `tls`: use these certificates instead of generating new ones (several servers sharing one
   * CA). The caller owns them: the server does not remove them.
   */
  certificates?: TlsMaterial;
  /** Extra redis-server flags, appended last (they override the ones above). */
  args?: string[];
}

/** A real redis-server on loopback, with controls for fault tests. */
export interface RedisTestServer {
  /** Always `'127.0.0.1'`. */
  readonly host: string;
  /** The port clients use (the TLS port when `tls`); it never changes, even across restarts. */
  readonly port: number;
  /** The certificates the server uses when started with `tls: true`, else null. */
  readonly tls: TlsMaterial | null;
  /** The default user's password, or null. */
  readonly password: string | null;
  /**
   * A connection URL: `redis://127.0.0.1:port`, or `rediss://localhost:port` for TLS so the
   * certificate's SAN matches. Credentials are URL-encoded; the password defaults to the server's.
   */
  url(opts?: { username?: string; password?: string }): string;
  /** Graceful shutdown (SIGINT); idempotent. `restart()` brings it back. */
  stop(): Promise<void>;
  /** SIGKILL, like a crash: the data is lost. `restart()` brings it back. */
  kill(): Promise<void>;
  /**
   * SIGSTOP: the server hangs with every socket open (commands get no reply, connects get no
   * greeting), like a stalled host. `resume()` (SIGCONT) undoes it; `stop()`/`kill()` work on a
   * paused server. Idempotent.
   */
  pause(): Promise<void>;
  /** SIGCONT after `pause()`: the server answers again, with its data. Idempotent. */
  resume(): Promise<void>;
  /** Starts the server again on the same port with the same options (stopping it first if it runs). */
  restart(): Promise<void>;
  /** True while the redis-server process runs. */
  isRunning(): boolean;
  /** `stop()`, then removes the server's temp dirs (data dir and certificates): final, no restart. */
  [Symbol.asyncDispose](): Promise<void>;
}

const DEFAULT_RULES = ['~*', '&*', '+@all'];

function validate(opts: StartRedisOptions): void {
  if (opts.password !== undefined && opts.password === '') {
    throw new TypeError('@cache-tooling/test-redis: password must be a non-empty string (omit it for no password)');
  }
  for (const user of opts.users ?? []) {
    if (!/^\S+$/.test(user.name)) {
      throw new TypeError(`@cache-tooling/test-redis: ACL user name must be non-empty without whitespace`);
    }
    if (user.password === '') {
      throw new TypeError(`@cache-tooling/test-redis: ACL user "${user.name}" needs a non-empty password`);
    }
  }
}

function serverArgs(opts: StartRedisOptions, port: number, dir: string, tls: TlsMaterial | null): string[] {
  const args = ['--dir', dir];
  if (tls) {
    args.push(
      '--port', '0', '--tls-port', String(port),
      '--tls-cert-file', tls.certPath, '--tls-key-file', tls.keyPath, '--tls-ca-cert-file', tls.caPath,
      '--tls-auth-clients', 'no',
    );
  } else {
    args.push('--port', String(port));
  }
  if (opts.password !== undefined) args.push('--requirepass', opts.password);
  for (const user of opts.users ?? []) {
    args.push('--user', user.name, 'on', `>${user.password}`, ...(user.rules ?? DEFAULT_RULES));
  }
  return [...args, ...(opts.args ?? [])];
}

/**
 * Starts a real redis-server on a free loopback port: plain, with a password, with ACL users,
 * and/or TLS-only with certificates generated now. Stop it with `stop()` or `await using`;
 * it is killed anyway when this process exits.
 * @throws Error when redis-server is not installed or does not start.
 */
export async function startRedis(opts: StartRedisOptions = {}): Promise<RedisTestServer> {
  validate(opts);
  ensureRedisServerBinary();
  const tls = opts.tls === true ? (opts.certificates ?? (await generateTestCertificates())) : null;
  const ownsTls = tls !== null && opts.certificates === undefined;
  const dir = await makeTempDir('server');
  const releaseDirs = () => Promise.all([releaseTempDir(dir), tls && ownsTls ? releaseTempDir(tls.dir) : undefined]);

  const { proc, port } = await launchOnFreePort(async (candidate) => serverArgs(opts, candidate, dir, tls)).catch(
    async (error: unknown) => {
      await releaseDirs();
      throw error;
    },
  );

  let current: RedisProcess | null = proc;
  let disposed = false;
  let queue: Promise<void> = Promise.resolve();
  const serial = (task: () => Promise<void>): Promise<void> => {
    const next = queue.then(task);
    queue = next.catch(() => undefined);
    return next;
  };
  const halt = (how: 'stop' | 'kill') =>
    serial(async () => {
      const running = current;
      current = null;
      if (running) await running[how]();
    });

  const server: RedisTestServer = {
    host: '127.0.0.1',
    port,
    tls,
    password: opts.password ?? null,
    url(urlOpts = {}) {
      const password = urlOpts.password ?? opts.password;
      const username = urlOpts.username ?? '';
      const auth =
        password !== undefined
          ? `${encodeURIComponent(username)}:${encodeURIComponent(password)}@`
          : username !== ''
            ? `${encodeURIComponent(username)}@`
            : '';
      return tls ? `rediss://${auth}localhost:${port}` : `redis://${auth}127.0.0.1:${port}`;
    },
    stop: () => halt('stop'),
    kill: () => halt('kill'),
    pause: () => serial(async () => current?.freeze(true)),
    resume: () => serial(async () => current?.freeze(false)),
    restart: () =>
      serial(async () => {
        if (disposed) throw new Error('@cache-tooling/test-redis: cannot restart a disposed server');
        if (current) await current.stop();
        current = null;
        current = await launchRedisProcess(serverArgs(opts, port, dir, tls));
      }),
    isRunning: () => current !== null && current.isAlive(),
    [Symbol.asyncDispose]: async () => {
      await halt('stop');
      disposed = true;
      await releaseDirs();
    },
  };
  return server;
}
