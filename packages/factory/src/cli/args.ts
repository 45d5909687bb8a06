import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, EXIT } from './exit-codes.js';

/** Options every subcommand accepts. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/**
 * Parses one subcommand's arguments strictly: an unknown option or a missing value is a usage
 * error (exit 2) that names the option and points at `--help`.
 */
/** The parsed values and positionals of one subcommand whose own options are `O`. */
export type ParsedCommandArgs<O extends OptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: typeof COMMON_OPTIONS & O; allowPositionals: true; strict: true }>
>;

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<O extends OptionsConfig>(
  command: string,
  argv: readonly string[],
  options: O,
  positionals: { min: number; max: number },
): ParsedCommandArgs<O> {
  let parsed: ParsedCommandArgs<O>;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true }) as ParsedCommandArgs<O>;
  } catch (error) {
    const detail = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    throw new CliError(detail, EXIT.usage, `Run \`cache ${command} --help\` for the options.`);
  }
  const count = parsed.positionals.length;
  const help = (parsed.values as { help?: boolean }).help === true;
  if (!help && (count < positionals.min || count > positionals.max)) {
    const expected = positionals.min === positionals.max ? `${positionals.min}` : `${positionals.min} to ${positionals.max}`;
    throw new CliError(`expected ${expected} argument(s), got ${count}`, EXIT.usage, `Run \`cache ${command} --help\` for the usage.`);
  }
  return parsed;
}
