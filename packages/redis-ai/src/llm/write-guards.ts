import { checkJsonSchema } from './json-schema-subset.js';
import type { LlmFinishReason, LlmRequest, LlmResponse } from './request.js';

/** Why a response was not stored. */
export type LlmWriteRefusal = 'policy' | 'error' | 'empty' | 'finish_reason' | 'invalid_json' | 'schema_mismatch' | 'too_large' | 'unstorable';

/** Every refusal reason, for counters. */
export const WRITE_REFUSALS: readonly LlmWriteRefusal[] = Object.freeze([
  'policy', 'error', 'empty', 'finish_reason', 'invalid_json', 'schema_mismatch', 'too_large', 'unstorable',
]);

/** Outcome of the write guards. */
export type LlmGuardResult = { ok: true } | { ok: false; reason: LlmWriteRefusal; detail: string };

/** Finish reasons stored by default. */
export const DEFAULT_ALLOWED_FINISH_REASONS: readonly string[] = Object.freeze(['stop', 'tool-calls', 'length']);

const OK: LlmGuardResult = Object.freeze({ ok: true });

/** The unified finish reason (`{ unified }` of V3/V4, or the bare string). */
export function unifiedFinishReason(reason: LlmFinishReason | undefined): string | undefined {
  if (typeof reason === 'string') return reason;
  if (typeof reason === 'object' && reason !== null && typeof reason.unified === 'string') return reason.unified;
  return undefined;
}

function hasMeaningfulContent(content: LlmResponse['content']): boolean {
  for (const part of content) {
    if (typeof part !== 'object' || part === null) continue;
    switch (part.type) {
      case 'text':
        if (typeof part['text'] === 'string' && part['text'].trim() !== '') return true;
        break;
      case 'reasoning':
      case 'source':
        break;
      default:
        return true;
    }
  }
  return false;
}

/**
 * The write guards, in order: not an error (an `Error`, an `error` finish reason or an `error`
 * part), content that says something (non-blank text, a tool call, a file, …; reasoning or sources
 * alone are empty), an allowed finish reason, and — when the request asked for JSON — text that
 * parses as JSON and passes the requested schema (see `checkJsonSchema` for the subset). Size is
 * checked separately, on the encoded entry.
 */
export function checkResponse(request: LlmRequest, response: LlmResponse, allowedFinishReasons: ReadonlySet<string>): LlmGuardResult {
  if (response instanceof Error) return { ok: false, reason: 'error', detail: 'the response is an error' };
  if (typeof response !== 'object' || response === null || Array.isArray(response)) {
    return { ok: false, reason: 'unstorable', detail: 'the response must be an object' };
  }
  if (!Array.isArray(response.content)) return { ok: false, reason: 'empty', detail: 'the response has no content array' };
  const finish = unifiedFinishReason(response.finishReason);
  if (finish === 'error' || response.content.some((part) => typeof part === 'object' && part !== null && part.type === 'error')) {
    return { ok: false, reason: 'error', detail: 'the response reports an error' };
  }
  if (!hasMeaningfulContent(response.content)) return { ok: false, reason: 'empty', detail: 'the response has no content' };
  if (finish === undefined || !allowedFinishReasons.has(finish)) {
    return { ok: false, reason: 'finish_reason', detail: `finish reason ${JSON.stringify(finish ?? null)} is not stored` };
  }
  const format = request.responseFormat;
  if (format?.type === 'json') {
    const text =
      typeof response.structuredOutputText === 'string'
        ? response.structuredOutputText
        : response.content.filter((p) => p.type === 'text' && typeof p['text'] === 'string').map((p) => p['text'] as string).join('');
    const hasToolCall = response.content.some((p) => p.type === 'tool-call');
    if (text.trim() === '' && hasToolCall) return OK;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'invalid_json', detail: 'JSON was requested but the text does not parse' };
    }
    if (format.schema !== undefined) {
      const violation = checkJsonSchema(parsed, format.schema);
      if (violation) return { ok: false, reason: 'schema_mismatch', detail: `${violation.path} ${violation.message}` };
    }
  }
  return OK;
}
