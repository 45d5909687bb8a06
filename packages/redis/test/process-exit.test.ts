import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import { afterEach, describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./fixtures/disconnect-then-exit.mjs', import.meta.url));
const PASSWORD = 'exit-pass-123';
const GUARD_MS = 45_000;

interface ChildReport {
  disconnectMs: number;
  state: string;
  resources: string[];
  /** ms from the report line to the child's exit. */
  exitAfterMs: number;
  code: number | null;
}

/**
 * Runs the child against `server`: once it is connected, `fault()` hangs or kills the server, the
 * child disconnects and reports; resolves when the child has exited by itself. The guard only
 * stops a child that never exits (its report then shows a signal instead of code 0); it is far
 * above the child's normal run (about 1 s), because under a loaded machine node's startup alone
 * can take seconds: a 15 s guard once killed a healthy child before it had reported.
 */
function runChild(server: RedisTestServer, fault: () => Promise<void>): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, server.url(), PASSWORD], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] });
    const spawnedAt = performance.now();
    const guard = setTimeout(() => child.kill('SIGKILL'), GUARD_MS);
    let out = '';
    let err = '';
    let reportedAt = 0;
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      const before = out;
      out += chunk.toString();
      if (!before.includes('ready\n') && out.includes('ready\n')) {
        fault().then(() => child.kill('SIGUSR2'), reject);
      }
      if (reportedAt === 0 && /\{.*\}\n/.test(out)) reportedAt = performance.now();
    });
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      const line = /(\{.*\})\n/.exec(out)?.[1];
      if (!line) {
        reject(new Error(`child exited (${String(code)}, ${String(signal)}) after ${Math.round(performance.now() - spawnedAt)} ms without a report; stdout: ${out}; stderr: ${err}`));
        return;
      }
      resolve({ ...(JSON.parse(line) as Omit<ChildReport, 'exitAfterMs' | 'code'>), exitAfterMs: performance.now() - reportedAt, code });
    });
  });
}

/** Handles that would keep a process alive: timers and sockets (stdout's pipe is the child's own). */
const liveHandles = (resources: string[]) => resources.filter((r) => /Timeout|Immediate|TCP|TLS|Socket/i.test(r));

let server: RedisTestServer | undefined;
afterEach(async () => {
  await server?.resume();
  await server?.stop();
  server = undefined;
});

describe('the process can exit as soon as disconnect() resolves', () => {
  it('with a hung server (SIGSTOP): disconnect() leaves no timer or socket behind and the child exits by itself', async () => {
    server = await startRedis({ password: PASSWORD });
    const hung = server;
    const report = await runChild(hung, () => hung.pause());
    expect(report.code).toBe(0);
    expect(report.state).toBe('closed');
    expect(liveHandles(report.resources)).toEqual([]);
  }, GUARD_MS + 15_000);

  it('with a dead server (SIGKILL, client reconnecting): the same', async () => {
    server = await startRedis({ password: PASSWORD });
    const dead = server;
    const report = await runChild(dead, async () => {
      await dead.kill();
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    expect(report.code).toBe(0);
    expect(report.state).toBe('closed');
    expect(liveHandles(report.resources)).toEqual([]);
  }, GUARD_MS + 15_000);
});
