// Starts the local TLS + ACL redis-server exactly as a user would: the public `cache dev-redis`
// command of @cache/factory, run as a child process; its JSON output is the environment to use.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** A running `cache dev-redis`. */
export interface DevRedis {
  /** REDIS_URL, REDIS_TLS_CA_PATH, REDIS_ACL_USERNAME, REDIS_ACL_PASSWORD, REDIS_ENCRYPTION_KEY. */
  readonly env: Readonly<Record<string, string>>;
  /** redis-server's pid, for the outage drill (SIGSTOP/SIGCONT). */
  readonly serverPid: number;
  /** Ctrl-C for the command: it stops redis-server and removes its files. */
  stop(): Promise<void>;
}

/** The result of trying: a server, or why there is none (redis-server or openssl missing, …). */
export type DevRedisStart = { ok: true; server: DevRedis } | { ok: false; reason: string };

/** Path of the `cache` binary of the installed @cache/factory. */
export function cacheBinary(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('@cache/factory/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
  return join(dirname(manifestPath), manifest.bin['cache'] ?? 'dist/cli.js');
}

/** Runs `cache dev-redis --port 0 --json --exit-on-stdin-close`; it also stops if this process dies. */
export function startDevRedis(env: NodeJS.ProcessEnv = process.env): Promise<DevRedisStart> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [cacheBinary(), 'dev-redis', '--port', '0', '--json', '--exit-on-stdin-close'], { env });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      let info: { env: Record<string, string>; pid: number } | { error: { message: string; fix: string } };
      try {
        info = JSON.parse(stdout) as typeof info;
      } catch {
        return; // not the whole document yet
      }
      child.stdout.off('data', onData);
      child.stdout.resume();
      if ('error' in info) {
        resolve({ ok: false, reason: `cache dev-redis: ${info.error.message}. ${info.error.fix}`.trim() });
        return;
      }
      resolve({
        ok: true,
        server: {
          env: info.env,
          serverPid: info.pid,
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGINT');
            await closed;
          },
        },
      });
    };
    child.stdout.on('data', onData);
    child.once('error', (error) => resolve({ ok: false, reason: error.message }));
    void closed.then((code) => {
      const reason = stderr.split('\n').filter((l) => l.trim() !== '').join(' ') || `exit code ${String(code)}`;
      resolve({ ok: false, reason });
    });
  });
}
