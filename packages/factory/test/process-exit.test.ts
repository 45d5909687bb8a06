import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from './helpers.js';

const CHILD = fileURLToPath(new URL('./fixtures/fallback-then-exit.mjs', import.meta.url));

interface Report {
  type: string;
  fallback: boolean;
  /** ms from the report line to the child's exit. */
  exitAfterMs: number;
  code: number | null;
}

/** Runs the child; resolves when it has exited by itself (killed, and so failing, after 10 s). */
function runChild(url: string, kind: 'web' | 'ai'): Promise<Report> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, url, kind], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] });
    const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    let out = '';
    let err = '';
    let reportedAt = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (reportedAt === 0 && out.includes('\n')) reportedAt = performance.now();
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      const line = /(\{.*\})\n/.exec(out)?.[1];
      if (!line) return reject(new Error(`child exited (${String(code ?? signal)}) without a report; stderr: ${err}`));
      resolve({ ...(JSON.parse(line) as Omit<Report, 'code' | 'exitAfterMs'>), exitAfterMs: performance.now() - reportedAt, code: signal === 'SIGKILL' ? -1 : code });
    });
  });
}

describe('after a fallback, the half-built Redis client is shut down', () => {
  it.each(['web', 'ai'] as const)('%s: no client keeps retrying, so the process exits by itself', async (kind) => {
    const report = await runChild(`redis://localhost:${await freePort()}`, kind);
    expect(report.type).toBe('InMemoryCache');
    expect(report.fallback).toBe(true);
    expect(report.code).toBe(0);
    // A live ioredis client retries forever (back-off up to 5 s); the process would only end at the 10 s kill.
    expect(report.exitAfterMs).toBeLessThan(5000);
  });
});
