import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findRedisSentinel } from './binaries.js';
import { generateTestCertificates, type TlsMaterial } from './certificates.js';
import { makeTempDir, releaseTempDir, trackProcess } from './cleanup.js';
import { freePort } from './free-port.js';
import { redisCli, type RedisCliAuth } from './redis-cli.js';
import { startRedis, type RedisAclUser, type RedisTestServer } from './redis-server.js';

/** A host and port on loopback. */
export interface RedisAddress {
  readonly host: string;
  readonly port: number;
}

/** How {@link startRedisSentinelSet} configures the master, the replica and the three sentinels. */
export interface StartRedisSentinelSetOptions {
  /** The name the sentinels monitor the master under (ioredis's `name`); default `'mymaster'`. */
  name?: string;
  /** `requirepass` of master and replica; the replica and the sentinels authenticate with it unless `user` is set. */
  password?: string;
  /** An ACL user on master and replica; the replica replicates and the sentinels connect as this user. */
  user?: RedisAclUser;
  /** `requirepass` of every sentinel (ioredis's `sentinelPassword`); the sentinels use it with each other too. */
  sentinelPassword?: string;
  /** `down-after-milliseconds`: how long the master may be silent before it is considered down; default 1000. */
  downAfterMs?: number;
  /** `failover-timeout` in ms; default 3000. */
  failoverTimeoutMs?: number;
  /**
   * TLS only, everywhere: master, replica and sentinels listen on TLS ports alone, with one set of
   * certificates made now (one CA, SAN localhost and 127.0.0.1, exposed as `tls`); replication and
   * the sentinels' own connections (to the servers and to each other) use TLS too.
   */
  tls?: boolean;
}

/** A master, one replica and three `redis-sentinel` processes on loopback, with failover controls. */
export interface RedisSentinelSet {
  /** The monitored master's name. */
  readonly name: string;
  /** The three sentinels (give them to ioredis: `new Redis({ sentinels, name })`). */
  readonly sentinels: readonly RedisAddress[];
  /** The certificates of every process when started with `tls`, else null. */
  readonly tls: TlsMaterial | null;
  /** The data servers: the initial master, then the initial replica. */
  readonly servers: readonly [RedisTestServer, RedisTestServer];
  /** The master the sentinels report now (asks each sentinel in turn until one answers). */
  getMaster(): Promise<RedisAddress>;
  /** SIGKILLs the server that is master now (a crash) and resolves with its address. */
  killMaster(): Promise<RedisAddress>;
  /**
   * Resolves with the new master once every sentinel reports a master other than `from` (default: the one
   * `killMaster()` killed last) and that server answers `ROLE` as a master. Rejects after `timeoutMs` (default 30 s).
   */
  waitForFailover(opts?: { from?: RedisAddress; timeoutMs?: number }): Promise<RedisAddress>;
  /** Stops the sentinels and both servers and removes every temp dir; idempotent. */
  stop(): Promise<void>;
  /** Same as `stop()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

const HOST = '127.0.0.1';
const QUORUM = 2;
const SENTINELS = 3;
const POLL_MS = 100;
const READY_TIMEOUT_MS = 20_000;
const START_ATTEMPTS = 3;

interface SentinelProcess {
  readonly port: number;
  readonly dir: string;
  readonly child: ChildProcess;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const exited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

function validate(opts: StartRedisSentinelSetOptions): void {
  if (opts.name !== undefined && !/^[A-Za-z0-9._-]+$/.test(opts.name)) {
    throw new TypeError('@cache-tooling/test-redis: name must be letters, digits, dot, dash or underscore');
  }
  const secrets = [['password', opts.password], ['sentinelPassword', opts.sentinelPassword], ['user.password', opts.user?.password]] as const;
  for (const [key, value] of secrets) {
    if (value !== undefined && (value === '' || /\s|"/.test(value))) {
      throw new TypeError(`@cache-tooling/test-redis: ${key} must be non-empty, without whitespace or quotes (it goes into a config file)`);
    }
  }
  for (const [key, value] of [['downAfterMs', opts.downAfterMs], ['failoverTimeoutMs', opts.failoverTimeoutMs]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 100)) {
      throw new RangeError(`@cache-tooling/test-redis: ${key} must be an integer of at least 100 ms`);
    }
  }
}

/**
 * redis-server flags for either data server: authenticate to the master the way the sentinels do, and start a
 * replica's full sync at once (the default waits 5 s for more replicas).
 */
function replicationArgs(opts: StartRedisSentinelSetOptions): string[] {
  const args = ['--repl-diskless-sync-delay', '0'];
  if (opts.tls) args.push('--tls-replication', 'yes');
  if (opts.user) args.push('--masteruser', opts.user.name, '--masterauth', opts.user.password);
  else if (opts.password !== undefined) args.push('--masterauth', opts.password);
  return args;
}

function sentinelConfig(opts: StartRedisSentinelSetOptions, name: string, port: number, dir: string, masterPort: number, tls: TlsMaterial | null): string {
  const listen = tls
    ? [
        'port 0',
        `tls-port ${port}`,
        `tls-cert-file "${tls.certPath}"`,
        `tls-key-file "${tls.keyPath}"`,
        `tls-ca-cert-file "${tls.caPath}"`,
        'tls-auth-clients no',
        'tls-replication yes',
      ]
    : [`port ${port}`];
  const lines = [
    ...listen,
    `bind ${HOST}`,
    `dir "${dir}"`,
    'daemonize no',
    `logfile "${join(dir, 'sentinel.log')}"`,
    `sentinel monitor ${name} ${HOST} ${masterPort} ${QUORUM}`,
    `sentinel down-after-milliseconds ${name} ${opts.downAfterMs ?? 1000}`,
    `sentinel failover-timeout ${name} ${opts.failoverTimeoutMs ?? 3000}`,
    `sentinel parallel-syncs ${name} 1`,
  ];
  if (opts.user) lines.push(`sentinel auth-user ${name} ${opts.user.name}`, `sentinel auth-pass ${name} ${opts.user.password}`);
  else if (opts.password !== undefined) lines.push(`sentinel auth-pass ${name} ${opts.password}`);
  if (opts.sentinelPassword !== undefined) lines.push(`requirepass ${opts.sentinelPassword}`, `sentinel sentinel-pass ${opts.sentinelPassword}`);
  return `${lines.join('\n')}\n`;
}

async function logTail(dir: string): Promise<string> {
  const log = await readFile(join(dir, 'sentinel.log'), 'utf8').catch(() => '');
  const lines = log.split('\n').filter((line) => line.trim() !== '');
  return lines.length > 0 ? ` (redis-sentinel said: ${lines.slice(-3).join(' | ')})` : '';
}

async function stopSentinel(s: SentinelProcess): Promise<void> {
  if (!exited(s.child)) {
    const gone = new Promise<void>((resolve) => s.child.once('exit', () => resolve()));
    s.child.kill('SIGKILL');
    await gone;
  }
  await releaseTempDir(s.dir);
}

/** Starts one sentinel with its own writable config on a free port; retries on a new port if it cannot bind. */
async function startSentinel(binary: string, opts: StartRedisSentinelSetOptions, name: string, masterPort: number, tls: TlsMaterial | null): Promise<SentinelProcess> {
  for (let attempt = 1; ; attempt++) {
    const dir = await makeTempDir('sentinel');
    const port = await freePort();
    const configPath = join(dir, 'sentinel.conf');
    await writeFile(configPath, sentinelConfig(opts, name, port, dir, masterPort, tls), { mode: 0o600 });
    const child = spawn(binary, [configPath], { stdio: 'ignore' });
    trackProcess(child);
    const s: SentinelProcess = { port, dir, child };
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!exited(child) && Date.now() < deadline) {
      const pong = await redisCli(port, ['PING'], { password: opts.sentinelPassword, caPath: tls?.caPath }, 2_000).catch(() => '');
      if (pong.trim() === 'PONG') return s;
      await sleep(POLL_MS);
    }
    const reason = await logTail(dir);
    await stopSentinel(s);
    if (attempt >= START_ATTEMPTS || !/Address already in use|bind/i.test(reason)) {
      throw new Error(`@cache-tooling/test-redis: redis-sentinel did not start on port ${port}${reason}`);
    }
  }
}

/** Resolves once `check` returns a value other than undefined; rejects with `what` after `timeoutMs`. */
async function pollFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`@cache-tooling/test-redis: ${what} after ${timeoutMs} ms`);
    await sleep(POLL_MS);
  }
}

/** Entries in a flat redis-cli listing of maps (`SENTINEL REPLICAS|SENTINELS`): each has one `runid` field. */
function countEntries(output: string): number {
  return output.split('\n').filter((line) => line.trim() === 'runid').length;
}

/**
 * Starts a master and one replica (both through {@link startRedis}, with the same `password` / ACL `user`), then
 * three `redis-sentinel` processes, each with its own writable temp config, monitoring the master with quorum 2
 * and short timeouts. Resolves once the replica is in sync and every sentinel knows the replica and the two other
 * sentinels, so a failover can start as soon as the master dies. Every process is killed and every temp dir removed
 * by `stop()`, and also when this process exits, however it exits.
 * @throws Error when redis-server, redis-sentinel or redis-cli is missing, or the set does not come up.
 */
export async function startRedisSentinelSet(opts: StartRedisSentinelSetOptions = {}): Promise<RedisSentinelSet> {
  validate(opts);
  const name = opts.name ?? 'mymaster';
  const binary = findRedisSentinel();
  const tls = opts.tls ? await generateTestCertificates() : null;
  const caPath = tls?.caPath;
  const dataAuth: RedisCliAuth = opts.user ? { username: opts.user.name, password: opts.user.password, caPath } : { password: opts.password, caPath };
  const sentinelAuth: RedisCliAuth = { password: opts.sentinelPassword, caPath };
  const serverOptions = {
    ...(opts.password !== undefined ? { password: opts.password } : {}),
    ...(opts.user ? { users: [opts.user] } : {}),
    ...(tls ? { tls: true, certificates: tls } : {}),
  };

  const servers: RedisTestServer[] = [];
  const sentinels: SentinelProcess[] = [];
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await Promise.all(sentinels.map(stopSentinel));
      await Promise.all(servers.map((server) => server[Symbol.asyncDispose]()));
      if (tls) await releaseTempDir(tls.dir);
    })();
    return stopping;
  };

  try {
    const master = await startRedis({ ...serverOptions, args: replicationArgs(opts) });
    servers.push(master);
    const replica = await startRedis({ ...serverOptions, args: [...replicationArgs(opts), '--replicaof', HOST, String(master.port)] });
    servers.push(replica);
    await pollFor('the replica did not sync with the master', READY_TIMEOUT_MS, async () => {
      const info = await redisCli(replica.port, ['INFO', 'replication'], dataAuth, 2_000);
      return /master_link_status:up/.test(info) ? true : undefined;
    });
    const started = await Promise.allSettled(Array.from({ length: SENTINELS }, () => startSentinel(binary, opts, name, master.port, tls)));
    for (const result of started) if (result.status === 'fulfilled') sentinels.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    await Promise.all(
      sentinels.map((s) =>
        pollFor(`sentinel on port ${s.port} did not discover the replica and the other sentinels`, READY_TIMEOUT_MS, async () => {
          const replicas = await redisCli(s.port, ['SENTINEL', 'REPLICAS', name], sentinelAuth, 2_000);
          const peers = await redisCli(s.port, ['SENTINEL', 'SENTINELS', name], sentinelAuth, 2_000);
          return countEntries(replicas) === 1 && countEntries(peers) === SENTINELS - 1 ? true : undefined;
        }),
      ),
    );
  } catch (error) {
    await stop();
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`@cache-tooling/test-redis: could not start a Sentinel set: ${detail}`);
  }

  const askSentinel = async (s: SentinelProcess): Promise<RedisAddress | undefined> => {
    const [host, port] = (await redisCli(s.port, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name], sentinelAuth, 2_000)).trim().split('\n');
    const parsed = Number(port);
    return host !== undefined && Number.isInteger(parsed) && parsed > 0 ? { host: host.trim(), port: parsed } : undefined;
  };
  const getMaster = async (): Promise<RedisAddress> => {
    for (const s of sentinels) {
      const address = await askSentinel(s).catch(() => undefined);
      if (address !== undefined) return address;
    }
    throw new Error('@cache-tooling/test-redis: no sentinel reported a master');
  };
  let lastKilled: RedisAddress | undefined;

  return {
    name,
    tls,
    sentinels: Object.freeze(sentinels.map((s) => Object.freeze({ host: HOST, port: s.port }))),
    servers: Object.freeze([servers[0], servers[1]]) as readonly [RedisTestServer, RedisTestServer],
    getMaster,
    async killMaster() {
      const address = await getMaster();
      const server = servers.find((candidate) => candidate.port === address.port);
      if (!server) throw new Error(`@cache-tooling/test-redis: the sentinels report master port ${address.port}, which is not in this set`);
      await server.kill();
      lastKilled = address;
      return address;
    },
    async waitForFailover(waitOpts = {}) {
      const from = waitOpts.from ?? lastKilled;
      if (from === undefined) throw new TypeError('@cache-tooling/test-redis: waitForFailover needs `from` when no master was killed');
      return pollFor('no failover', waitOpts.timeoutMs ?? 30_000, async () => {
        const reported = await Promise.all(sentinels.map(askSentinel));
        const first = reported[0];
        if (first === undefined || first.port === from.port) return undefined;
        if (!reported.every((address) => address?.port === first.port)) return undefined;
        const role = await redisCli(first.port, ['ROLE'], dataAuth, 2_000);
        return role.split('\n')[0]?.trim() === 'master' ? first : undefined;
      });
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
