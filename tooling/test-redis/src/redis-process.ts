import { spawnSync, type ChildProcess } from 'node:child_process';
import { RedisMemoryServer } from 'redis-memory-server';
import { ensureRedisServerBinary } from './binaries.js';
import { trackProcess } from './cleanup.js';
import { freePort } from './free-port.js';

/** One live redis-server process started through redis-memory-server. */
export interface RedisProcess {
  /** True until the process exits (for any reason). */
  isAlive(): boolean;
  /** SIGINT and wait for exit (graceful shutdown). */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit (a crash: nothing is flushed). */
  kill(): Promise<void>;
  /** SIGSTOP (true) or SIGCONT (false): a hung server whose sockets stay open. */
  freeze(frozen: boolean): void;
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function describeFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * redis-memory-server only reports "closed with code 1"; run the same command line once more
 * (bounded) to surface redis-server's own reason, e.g. a bad directive or an unreadable certificate.
 */
function diagnose(binary: string, args: readonly string[]): string {
  const result = spawnSync(binary, [...args], { encoding: 'utf8', timeout: 2_000, killSignal: 'SIGKILL' });
  const lines = `${result.stdout ?? ''}\n${result.stderr ?? ''}`
    .split('\n')
    .map((line) => line.replace(/^\d+:[A-Z] .*?\d\d:\d\d:\d\d\.\d+ [#*.-] /, '').trim())
    .filter((line) => /FATAL|^>>>|Bad directive|wrong number|fail|error|abort|in use/i.test(line));
  return lines.length > 0 ? ` (redis-server said: ${lines.slice(0, 5).join(' | ')})` : '';
}

/**
 * Starts redis-server on 127.0.0.1 with persistence off and `args` appended last (later flags
 * win, so `--port`/`--tls-port` in `args` decide where it listens). Resolves once it accepts
 * connections. The process is SIGKILLed if this process exits first.
 */
export async function launchRedisProcess(args: readonly string[]): Promise<RedisProcess> {
  const binary = ensureRedisServerBinary();
  const fullArgs = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args];
  const server = new RedisMemoryServer({ instance: { ip: '127.0.0.1', args: fullArgs } });
  try {
    await server.start();
  } catch (error) {
    throw new Error(`@cache-tooling/test-redis: redis-server did not start: ${describeFailure(error)}${diagnose(binary, fullArgs)}`);
  }
  const info = server.getInstanceInfo();
  const child = info ? info.childProcess : undefined;
  if (!info || !child) {
    await server.stop();
    throw new Error('@cache-tooling/test-redis: redis-server started but its process is unknown');
  }
  trackProcess(child);
  const killer = info.instance.killerProcess;
  if (killer) trackProcess(killer);

  let stopping: Promise<void> | null = null;
  const alive = () => child.exitCode === null && child.signalCode === null;
  const stopWith = (signal: 'SIGINT' | 'SIGKILL'): Promise<void> => {
    if (stopping === null) {
      // A stopped (SIGSTOP) process would not act on SIGINT: let it run again first.
      if (alive()) child.kill('SIGCONT');
      stopping = (async () => {
        if (signal === 'SIGKILL' && child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL');
          await waitForExit(child);
        }
        // Sends SIGINT to redis-server if still alive, then stops redis-memory-server's watchdog.
        await server.stop();
        await waitForExit(child);
      })();
    }
    return stopping;
  };

  return {
    isAlive: alive,
    stop: () => stopWith('SIGINT'),
    kill: () => stopWith('SIGKILL'),
    freeze: (frozen) => {
      if (alive()) child.kill(frozen ? 'SIGSTOP' : 'SIGCONT');
    },
  };
}

const START_ATTEMPTS = 3;

/**
 * Launches redis-server with `argsFor(port)` on a port free at the time; if the start fails
 * because another process took the port between the check and the bind, it retries on a new one.
 */
export async function launchOnFreePort(
  argsFor: (port: number) => Promise<string[]>,
): Promise<{ proc: RedisProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return { proc: await launchRedisProcess(await argsFor(port)), port };
    } catch (error) {
      const portTaken = /in use|failed listening/i.test(describeFailure(error));
      if (!portTaken || attempt >= START_ATTEMPTS) throw error;
    }
  }
}
