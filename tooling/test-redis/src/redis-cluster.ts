import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findRedisCli } from './binaries.js';
import { makeTempDir, releaseTempDir } from './cleanup.js';
import { freePort } from './free-port.js';
import { redisCli } from './redis-cli.js';
import { launchOnFreePort, type RedisProcess } from './redis-process.js';

const run = promisify(execFile);

/** A Redis Cluster of masters on loopback (no replicas), all slots assigned. */
export interface RedisTestCluster {
  /** Every master's address (give them to `new Cluster(nodes)`). */
  readonly nodes: ReadonlyArray<{ host: string; port: number }>;
  /** Stops every node gracefully; idempotent. */
  stop(): Promise<void>;
  /** Same as `stop()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

const HOST = '127.0.0.1';
const NODE_TIMEOUT_MS = '2000';
const READY_TIMEOUT_MS = 20_000;
const POLL_MS = 50;


async function startNode(): Promise<{ proc: RedisProcess; port: number; dir: string }> {
  const dir = await makeTempDir('cluster-node');
  const launched = await launchOnFreePort(async (port) => [
    '--port', String(port),
    '--dir', dir,
    '--cluster-enabled', 'yes',
    '--cluster-config-file', 'nodes.conf',
    '--cluster-node-timeout', NODE_TIMEOUT_MS,
    // The bus port defaults to port + 10000, which may be taken or out of range.
    '--cluster-port', String(await freePort()),
  ]).catch(async (error: unknown) => {
    await releaseTempDir(dir);
    throw error;
  });
  return { ...launched, dir };
}

async function waitForClusterOk(ports: readonly number[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const infos = await Promise.all(ports.map((port) => redisCli(port, ['CLUSTER', 'INFO']).catch(() => '')));
    if (infos.every((info) => /cluster_state:ok/.test(info) && /cluster_slots_ok:16384/.test(info))) return;
    if (Date.now() > deadline) {
      throw new Error(`@cache-tooling/test-redis: cluster not ok after ${READY_TIMEOUT_MS} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Starts `masters` (default 3, at least 3) cluster-enabled redis-server processes on loopback,
 * joins them with `redis-cli --cluster create` (no replicas) and resolves once every node
 * reports `cluster_state:ok`. Every node is killed when this process exits.
 * @throws Error when `masters` is not an integer from 3 to 16, or the cluster does not form.
 */
export async function startRedisCluster(opts: { masters?: number } = {}): Promise<RedisTestCluster> {
  const masters = opts.masters ?? 3;
  if (!Number.isInteger(masters) || masters < 3 || masters > 16) {
    throw new RangeError('@cache-tooling/test-redis: masters must be an integer from 3 to 16 (Redis Cluster needs 3)');
  }
  const cli = findRedisCli();
  const started = await Promise.allSettled(Array.from({ length: masters }, () => startNode()));
  const nodes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= Promise.all(
      nodes.map(async ({ proc, dir }) => {
        await proc.stop();
        await releaseTempDir(dir);
      }),
    ).then(() => undefined);
    return stopping;
  };

  try {
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const ports = nodes.map(({ port }) => port);
    await run(cli, ['--cluster', 'create', ...ports.map((port) => `${HOST}:${port}`), '--cluster-replicas', '0', '--cluster-yes'], {
      timeout: READY_TIMEOUT_MS,
    });
    await waitForClusterOk(ports);
  } catch (error) {
    await stop();
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`@cache-tooling/test-redis: could not start a Redis Cluster: ${detail}`);
  }

  return {
    nodes: Object.freeze(nodes.map(({ port }) => Object.freeze({ host: HOST, port }))),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
