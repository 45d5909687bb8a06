import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const liveProcesses = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let exitHookInstalled = false;

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

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', killEverythingNow);
}

/** Ensures `child` is SIGKILLed if this process exits while it still runs. */
export function trackProcess(child: ChildProcess): void {
  installExitHook();
  liveProcesses.add(child);
  child.once('exit', () => liveProcesses.delete(child));
}

/** Creates a fresh private temp dir, removed on process exit unless released earlier. */
export async function makeTempDir(label: string): Promise<string> {
  installExitHook();
  const dir = await mkdtemp(join(tmpdir(), `cache-test-redis-${label}-`));
  tempDirs.add(dir);
  return dir;
}

/** Removes a temp dir made by makeTempDir now. */
export async function releaseTempDir(dir: string): Promise<void> {
  tempDirs.delete(dir);
  await rm(dir, { recursive: true, force: true });
}
