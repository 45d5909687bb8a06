import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import { afterEach, describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./fixtures/disconnect-then-exit.mjs', import.meta.url));
const PASSWORD = 'exit-pass-123';

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
 * child disconnects and reports; resolves when the child has exited by itself (killed after 15 s).
 */
function runChild(server: RedisTestServer, fault: () => Promise<void>): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, server.url(), PASSWORD], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] });
    const guard = setTimeout(() => child.kill('SIGKILL'), 15_000);
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
    child.on('exit', (code) => {
      clearTimeout(guard);
      const line = /(\{.*\})\n/.exec(out)?.[1];
      if (!line) {
        reject(new Error(`child exited (${String(code)}) without a report; stderr: ${err}`));
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
  });

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
  });
});
