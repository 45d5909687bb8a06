import { generateFernetKey } from '@cache/encryption';
import { parseCommandArgs } from './args.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { printJson, type CliIo } from './output.js';

/** `cache keygen --help`. */
export const KEYGEN_HELP = `Usage: cache keygen [--json]

Prints a new random Fernet key (32 bytes, URL-safe base64) for REDIS_ENCRYPTION_KEY.
The key is the one secret this command prints: you asked for it. Keep it out of logs and VCS.
  export REDIS_ENCRYPTION_KEY="$(cache keygen)"

Options:
  --json   {"key": "..."} instead of the bare key`;

/** Prints a fresh Fernet key: the bare key on stdout (a notice on stderr), or `{ key }` with `--json`. */
export async function runKeygen(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseCommandArgs('keygen', argv, {}, { min: 0, max: 0 });
  if (values.help) {
    io.out(KEYGEN_HELP);
    return EXIT.ok;
  }
  const key = generateFernetKey();
  if (values.json) {
    printJson(io, { key, variable: 'REDIS_ENCRYPTION_KEY' });
  } else {
    io.out(key);
    io.err('cache keygen: a new Fernet key for REDIS_ENCRYPTION_KEY (secret: store it like a password).');
  }
  return EXIT.ok;
}
