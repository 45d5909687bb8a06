import { parseCommandArgs } from './args.js';
import { startDevRedis, type DevRedis } from './dev-redis-server.js';
import { CliError, EXIT, type ExitCode } from './exit-codes.js';
import { printJson, type CliIo } from './output.js';

/** `cache dev-redis --help`. */
export const DEV_REDIS_HELP = `Usage: cache dev-redis [--port N] [--user NAME] [--redis-server PATH] [--json] [--exit-on-stdin-close]

Starts a local redis-server for development, secured like production: TLS only (fresh
certificates made with openssl), the default user disabled, one ACL user with a random password
and no dangerous commands, no persistence. Prints the environment an application needs, then runs
until Ctrl-C (SIGINT/SIGTERM), when it stops redis-server and removes its temporary files.

The printed REDIS_ACL_PASSWORD and REDIS_ENCRYPTION_KEY are secrets of this throwaway server:
they are printed because you need them to connect.

Options:
  --port N               TLS port on 127.0.0.1 (default 6380; 0 = any free port)
  --user NAME            the application's ACL user (default cache-app)
  --redis-server PATH    redis-server binary (default: the first on PATH)
  --json                 one JSON line {url, port, pid, env} instead of shell lines
  --exit-on-stdin-close  also stop when standard input closes (for a parent process)`;

function render(server: DevRedis): string {
  const lines = Object.entries(server.env).map(([name, value]) => `export ${name}='${value}'`);
  return [
    `# cache dev-redis: TLS + ACL redis-server on 127.0.0.1:${server.port} (pid ${server.pid}); Ctrl-C stops it and removes ${server.dir}`,
    '# The password and the encryption key below are secrets of this throwaway server, printed so you can connect.',
    ...lines,
    `# check it: cache check "$REDIS_URL"`,
  ].join('\n');
}

/** Runs a development server until a stop signal (or, with the flag, the end of stdin). */
export async function runDevRedis(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseCommandArgs(
    'dev-redis',
    argv,
    {
      port: { type: 'string' },
      user: { type: 'string' },
      'redis-server': { type: 'string' },
      'exit-on-stdin-close': { type: 'boolean', default: false },
    },
    { min: 0, max: 0 },
  );
  if (values.help) {
    io.out(DEV_REDIS_HELP);
    return EXIT.ok;
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    port = /^\d+$/.test(values.port) ? Number(values.port) : Number.NaN;
    if (!Number.isInteger(port) || port > 65_535) throw new CliError(`--port must be 0..65535, got ${JSON.stringify(values.port)}`, EXIT.usage);
  }
  const server = await startDevRedis({
    ...(port === undefined ? {} : { port }),
    ...(values.user === undefined ? {} : { user: values.user }),
    ...(values['redis-server'] === undefined ? {} : { redisServer: values['redis-server'] }),
    path: io.env['PATH'],
  });
  const stopped = new Promise<ExitCode>((resolve) => {
    let finishing = false;
    const finish = (code: ExitCode) => {
      if (finishing) return;
      finishing = true;
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(signal, onSignal);
      if (values['exit-on-stdin-close']) process.stdin.destroy();
      void server.stop().then(() => resolve(code));
    };
    const onSignal = () => finish(EXIT.ok);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
    // Announced only once the signal handlers are in place: a Ctrl-C right after the output cleans up.
    if (values.json) printJson(io, { url: server.env['REDIS_URL'], port: server.port, pid: server.pid, dir: server.dir, env: server.env });
    else io.out(render(server));
    if (values['exit-on-stdin-close']) {
      process.stdin.on('end', onSignal).on('close', onSignal).resume();
    }
    void server.exited.then(({ code, signal }) => {
      if (finishing) return;
      io.err(`cache dev-redis: redis-server exited (${signal ?? `code ${String(code)}`}); cleaning up`);
      finish(EXIT.internal);
    });
  });
  const code = await stopped;
  if (code === EXIT.ok) io.err('cache dev-redis: stopped redis-server and removed its temporary files');
  return code;
}
