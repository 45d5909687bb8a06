import { ConfigurationError } from '@cache/core';

/**
 * Parses JSON text, or throws `ConfigurationError` whose message names `source` and the parse
 * problem. Quoted input excerpts are removed from the parser's message (they may hold secrets).
 */
export function parseJsonText(text: string, source: string, context: Record<string, unknown> = {}): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const problem = (e instanceof Error ? e.message : String(e)).replace(/"(?:[^"\\]|\\.)*"/g, '<input>');
    throw new ConfigurationError(`Invalid JSON in ${source}: ${problem}`, {
      code: 'INVALID_JSON',
      context: { ...context, json_error: problem },
    });
  }
}
