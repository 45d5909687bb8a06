import { runCheck } from './command-check.js';
import { runDevRedis } from './command-dev-redis.js';
import { runInspect } from './command-inspect.js';
import { runKeygen } from './command-keygen.js';
import { runStats } from './command-stats.js';
import { runValidate } from './command-validate.js';
import { EXIT, toCliError, type ExitCode } from './exit-codes.js';
import type { CliIo } from './output.js';

/** `cache --help`. */
export const MAIN_HELP = `Usage: cache <command> [options]     (cache <command> --help for details)

Commands:
  keygen                 print a new Fernet key for REDIS_ENCRYPTION_KEY
  dev-redis              run a local TLS + ACL redis-server and print the environment to use it
  check <url>            live security report of a Redis server, with concrete fixes
  validate               check this environment's cache configuration (preset, security, encryption)
  inspect <url> [glob]   key counts and sizes by prefix, value formats; --key decrypts one value
  stats <url>            hit rate, memory, evictions and keys from the server

Every command takes --json for machine-readable output. Nothing secret is printed unless you ask
for it (keygen's key; dev-redis's environment; inspect --key's value).

Exit codes: 0 ok, 1 problem found, 2 usage error, 3 cannot connect to Redis, 4 bad configuration
or environment, 5 a required program (redis-server, openssl) is missing, 70 internal error.`;

const COMMANDS: Readonly<Record<string, (argv: readonly string[], io: CliIo) => Promise<ExitCode>>> = {
  keygen: runKeygen,
  'dev-redis': runDevRedis,
  check: runCheck,
  validate: runValidate,
  inspect: runInspect,
  stats: runStats,
};

/** Runs `cache <argv>`; resolves the exit code and never rejects (errors are printed with a fix). */
export async function main(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(MAIN_HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    io.err(`cache: unknown command ${JSON.stringify(name)}. Commands: ${Object.keys(COMMANDS).join(', ')} (cache --help).`);
    return EXIT.usage;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    const failure = toCliError(error);
    if (rest.includes('--json')) io.out(JSON.stringify({ error: { message: failure.message, fix: failure.fix, exitCode: failure.exitCode } }, null, 2));
    io.err(`cache ${name}: ${failure.message}`);
    if (failure.fix !== '') io.err(`  fix: ${failure.fix}`);
    return failure.exitCode;
  }
}
