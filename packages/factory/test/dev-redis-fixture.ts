import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { CLI, cliEnv } from './run-cli.js';

/** What `cache dev-redis --json` printed. */
export interface DevRedisInfo {
  url: string;
  port: number;
  pid: number;
  dir: string;
  env: Record<string, string>;
}

/** A running `cache dev-redis --port 0 --json --exit-on-stdin-close` child process. */
export interface DevRedisProcess {
  info: DevRedisInfo;
  child: ChildProcessWithoutNullStreams;
  /** Output so far. */
  stderr(): string;
  /** Sends `signal` and resolves the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts the built command and resolves once it printed its environment. */
export function startDevRedisCommand(args: string[] = []): Promise<DevRedisProcess> {
  const child = spawn(process.execPath, [CLI, 'dev-redis', '--port', '0', '--json', '--exit-on-stdin-close', ...args], { env: cliEnv() });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (c: Buffer) => {
      stdout += c.toString('utf8');
      try {
        const info = JSON.parse(stdout) as DevRedisInfo;
        child.stdout.off('data', onData);
        resolve({
          info,
          child,
          stderr: () => stderr,
          stop: async (signal = 'SIGINT') => {
            if (child.exitCode === null) child.kill(signal);
            return exited;
          },
        });
      } catch {
        // the JSON document is not complete yet
      }
    };
    child.stdout.on('data', onData);
    void exited.then((code) => reject(new Error(`cache dev-redis exited with ${String(code)} before printing its environment: ${stderr}`)));
  });
}
