import { ConfigurationError, ValidationError } from '@cache/core';

/**
 * Throws when `o` has a key outside `valid` (a misspelt option from a JS caller is an error, not a
 * silently ignored setting): `ValidationError` `INVALID_OPTIONS` for call arguments, or
 * `ConfigurationError` `INVALID_CONFIGURATION` for constructor/resolver options; the message names
 * `where`, the unknown keys and the valid ones; `context { unknown_options, valid_options }`.
 */
export function rejectUnknownOptions(where: string, o: object, valid: readonly string[], kind: 'call' | 'options' = 'call'): void {
  const unknown = Object.keys(o).filter((k) => !valid.includes(k));
  if (unknown.length === 0) return;
  const message = `${where}: unknown option(s) ${unknown.join(', ')}; valid options: ${valid.join(', ')}`;
  const context = { unknown_options: unknown, valid_options: [...valid] };
  throw kind === 'call'
    ? new ValidationError(message, { code: 'INVALID_OPTIONS', context })
    : new ConfigurationError(message, { code: 'INVALID_CONFIGURATION', context });
}
