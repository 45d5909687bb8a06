import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Fernet } from '@cache/encryption';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { uniquePrefix } from './helpers.js';

const CHILD = fileURLToPath(new URL('./fixtures/get-or-set-child.mjs', import.meta.url));
const FACTORY_MS = 200;
const CALLERS = 50;

interface Report {
  pid: number;
  calls: number;
  results: unknown[];
  maxAnsweredAfterMs: number;
  readThrough: Record<string, number>;
}

/** A child process running one cache; `lines` collects its stdout lines. */
interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  readonly lines: string[];
  /** Resolves once a line equal to `line` was printed. */
  printed(line: string): Promise<void>;
  /** The final JSON report (rejects if the child exits without one). */
  readonly report: Promise<Report>;
  go(): void;
}

let server: RedisTestServer;
const children: Child[] = [];
beforeAll(async () => {
  server = await startRedis();
});
afterEach(() => {
  for (const child of children.splice(0)) child.process.kill('SIGKILL');
});
afterAll(async () => {
  await server.stop();
});

function startChild(prefix: string, key: string, encryptionKey: string, lock: { ttl: number; wait: number }): Child {
  const child = spawn(process.execPath, [CHILD, server.url(), prefix, key, encryptionKey, String(FACTORY_MS), String(CALLERS), String(lock.ttl), String(lock.wait)], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
  });
  const lines: string[] = [];
  const watchers: Array<() => void> = [];
  let buffer = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts);
    for (const watch of watchers) watch();
  });
  const report = new Promise<Report>((resolve, reject) => {
    child.on('exit', (code, signal) => {
      const line = lines.find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as Report);
      else reject(new Error(`child exited (${String(code ?? signal)}) without a report; stderr: ${stderr}`));
    });
  });
  report.catch(() => undefined);
  const printed = (line: string) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (lines.includes(line)) resolve();
      };
      watchers.push(check);
      check();
    });
  const handle: Child = { process: child, lines, printed, report, go: () => child.stdin.write('go\n') };
  children.push(handle);
  return handle;
}

describe('getOrSet across two processes (real child processes, one Redis)', () => {
  it(`two processes × ${CALLERS} concurrent callers on one cold key, ${FACTORY_MS} ms factory: exactly one factory call in total, all results equal`, async () => {
    const key = 'cold-key';
    const prefix = uniquePrefix('procs');
    const encryptionKey = Fernet.generateKey();
    const lock = { ttl: 5000, wait: 20_000 };
    const a = startChild(prefix, key, encryptionKey, lock);
    const b = startChild(prefix, key, encryptionKey, lock);
    await Promise.all([a.printed('ready'), b.printed('ready')]);
    a.go();
    b.go();
    const reports = await Promise.all([a.report, b.report]);
    const results = reports.flatMap((r) => r.results);
    expect(results.length).toBe(2 * CALLERS);
    expect(reports[0]!.calls + reports[1]!.calls).toBe(1);
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(reports.map((r) => r.readThrough.coalescedRemote).sort()).toEqual([0, 1]);
  });

  it('the leader process is SIGKILLed during its factory: at most 2 calls, every caller of the other process answered within lease ttl + factory time', async () => {
    const key = 'kill-key';
    const prefix = uniquePrefix('kill');
    const encryptionKey = Fernet.generateKey();
    const lock = { ttl: 1000, wait: 30_000 };
    const leader = startChild(prefix, key, encryptionKey, lock);
    const follower = startChild(prefix, key, encryptionKey, lock);
    await Promise.all([leader.printed('ready'), follower.printed('ready')]);
    leader.go();
    await leader.printed('factory-start');
    follower.go();
    leader.process.kill('SIGKILL');
    const report = await follower.report;
    // The dead leader made one call; the survivor exactly one more: 2 in all.
    expect(report.calls).toBe(1);
    expect(new Set(report.results.map((r) => JSON.stringify(r))).size).toBe(1);
    // It took over when the dead leader's lease expired, not after waiting lock.wait in vain.
    expect(report.readThrough).toMatchObject({ leaseWaits: 1, leaseTimeouts: 0 });
    // Bound: lease ttl + factory time, plus scheduling slack on a loaded machine (lock.wait is 30 s).
    expect(report.maxAnsweredAfterMs).toBeLessThan(lock.ttl + FACTORY_MS + 5000);
    console.log(`SIGKILLed leader: the other process answered all ${CALLERS} callers after ${Math.round(report.maxAnsweredAfterMs)} ms (lease ttl ${lock.ttl} ms, factory ${FACTORY_MS} ms)`);
  });
});
