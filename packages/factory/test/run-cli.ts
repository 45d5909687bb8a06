import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built `cache` binary (the package's `bin`). */
export const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/cli.js');

/** What one run of the binary produced. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A minimal environment: PATH (for redis-server/openssl) plus `env`; never the test runner's secrets or NODE_ENV. */
export function cliEnv(env: Record<string, string | undefined> = {}): Record<string, string> {
  const base: Record<string, string | undefined> = { PATH: process.env['PATH'], ...env };
  return Object.fromEntries(Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined));
}

/** Runs `node dist/cli.js ...args` to completion as a child process. */
export function runCli(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Parses the run's stdout as one JSON document. */
export function json<T = Record<string, unknown>>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${String(run.code)}):\n${run.stdout}\n--- stderr:\n${run.stderr}`);
  }
}
