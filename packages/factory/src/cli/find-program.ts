import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { CliError, EXIT } from './exit-codes.js';

const INSTALL_HINT = 'Install it (Debian/Ubuntu: apt-get install redis-server openssl; macOS: brew install redis openssl) or pass its path.';

/** The executable `explicit` (when given) or the first `name` on `PATH`; a missing one is exit 5 with an install hint. */
export function findProgram(name: string, pathVariable: string | undefined, explicit?: string): string {
  const candidates = explicit !== undefined ? [explicit] : (pathVariable ?? '').split(delimiter).filter((d) => d !== '').map((d) => join(d, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  const where = explicit !== undefined ? `at ${explicit}` : 'on PATH';
  throw new CliError(`${name} not found ${where}`, EXIT.missingProgram, INSTALL_HINT);
}
