import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Everything this process started (redis-server processes) or created (temp dirs) is removed
 * when it goes away, however it goes:
 * - a normal exit runs the synchronous 'exit' hook below;
 * - a signal (test runners end workers with SIGTERM, which skips 'exit' hooks) or a crash is
 *   caught by a detached watchdog process that holds a pipe from us: when the pipe closes it
 *   kills the listed processes and removes the listed dirs. No signal handler is installed
 *   here, so this process's own signal behaviour is unchanged.
 */
const liveProcesses = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let installed = false;
let watchdog: ChildProcess | null = null;

const WATCHDOG_SOURCE = `
const { rmSync } = require('node:fs');
const pids = new Set();
const dirs = new Set();
let pending = '';
const cleanUp = () => {
  for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch {} }
  for (const dir of dirs) { try { rmSync(dir, { recursive: true, force: true }); } catch {} }
  process.exit(0);
};
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  for (let end = pending.indexOf('\\n'); end >= 0; end = pending.indexOf('\\n')) {
    const [op, kind, value] = JSON.parse(pending.slice(0, end));
    pending = pending.slice(end + 1);
    const set = kind === 'pid' ? pids : dirs;
    if (op === '+') set.add(value); else set.delete(value);
  }
});
process.stdin.on('end', cleanUp);
process.stdin.on('error', cleanUp);
`;

function tell(op: '+' | '-', kind: 'pid' | 'dir', value: number | string): void {
  const stdin = watchdog?.stdin;
  if (stdin && !stdin.destroyed) stdin.write(`${JSON.stringify([op, kind, value])}\n`);
}

function killEverythingNow(): void {
  for (const child of liveProcesses) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  liveProcesses.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once('exit', killEverythingNow);
  const child = spawn(process.execPath, ['-e', WATCHDOG_SOURCE], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.on('error', () => {
    watchdog = null;
  });
  child.stdin?.on('error', () => {
    watchdog = null;
  });
  // Neither the watchdog nor its pipe may keep this process alive.
  child.unref();
  (child.stdin as { unref?: () => void } | null)?.unref?.();
  watchdog = child;
}

/** Ensures `child` is SIGKILLed when this process ends (exit, signal or crash) while it still runs. */
export function trackProcess(child: ChildProcess): void {
  install();
  if (child.pid === undefined) return;
  const pid = child.pid;
  liveProcesses.add(child);
  tell('+', 'pid', pid);
  child.once('exit', () => {
    liveProcesses.delete(child);
    tell('-', 'pid', pid);
  });
}

/** Creates a fresh private temp dir, removed when this process ends unless released earlier. */
export async function makeTempDir(label: string): Promise<string> {
  install();
  const dir = await mkdtemp(join(tmpdir(), `cache-test-redis-${label}-`));
  tempDirs.add(dir);
  tell('+', 'dir', dir);
  return dir;
}

/** Removes a temp dir made by makeTempDir now. */
export async function releaseTempDir(dir: string): Promise<void> {
  tempDirs.delete(dir);
  tell('-', 'dir', dir);
  await rm(dir, { recursive: true, force: true });
}
