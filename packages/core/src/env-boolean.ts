import { ConfigurationError } from './errors.js';

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/**
 * Parses an environment boolean the one way every package does: `true|1|yes|on` → true,
 * `false|0|no|off` → false (trimmed, case-insensitive), `undefined`/blank → `undefined`;
 * anything else throws `ConfigurationError` `INVALID_ENV_BOOLEAN` naming the variable.
 */
export function parseEnvBoolean(name: string, raw: string | undefined): boolean | undefined {
  if (raw === undefined) return undefined;
  const v = raw.trim().toLowerCase();
  if (v === '') return undefined;
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new ConfigurationError(
    `Environment variable ${name} must be a boolean (true/false, 1/0, yes/no, on/off), got ${JSON.stringify(raw)}`,
    { code: 'INVALID_ENV_BOOLEAN', context: { variable: name, value: raw } },
  );
}
