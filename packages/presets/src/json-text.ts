import { ConfigurationError } from '@cache/core';

/**
 * Parses JSON text, or throws `ConfigurationError` whose message names `source` and the parse
 * problem. The parser's excerpt of the input is removed from the message (it may hold secrets).
 */
export function parseJsonText(text: string, source: string, context: Record<string, unknown> = {}): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    // V8 appends an excerpt of the input (`, "…" is not valid JSON`): drop it.
    const problem = (e instanceof Error ? e.message : String(e)).replace(/, (?:\.\.\.)?".*$/s, '');
    throw new ConfigurationError(`Invalid JSON in ${source}: ${problem}; expected a JSON object such as {"defaultTtl": 600}`, {
      code: 'INVALID_JSON',
      context: { ...context, json_error: problem },
    });
  }
}
