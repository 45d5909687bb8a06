import { ValidationError } from '@cache/core';

/** The namespace of every AI key (what `AIResponseCache.clear` removes). */
export const AI_NAMESPACE = 'ai_cache:';
/** Every AI key starts with this prefix, followed by the operation. */
export const AI_KEY_PREFIX = `${AI_NAMESPACE}op:`;

/** What an operation name may contain: 1-64 characters of `[A-Za-z0-9_.-]`. */
export const OPERATION_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** Throws `ValidationError` `INVALID_OPERATION` unless `operation` matches {@link OPERATION_PATTERN}. */
export function assertOperation(operation: unknown, message = 'operation must be 1-64 characters of [A-Za-z0-9_.-]'): asserts operation is string {
  if (typeof operation === 'string' && OPERATION_PATTERN.test(operation)) return;
  throw new ValidationError(message, {
    code: 'INVALID_OPERATION',
    context: { parameter: 'operation', operation_type: operation === null ? 'null' : typeof operation },
  });
}

/** Escapes kept text for a key: `%` first, then `|` and `:`; injective, and never starts with `hash:`. */
export function escapeKeyText(text: string): string {
  if (!/[%|:]/.test(text)) return text;
  return text.replace(/%/g, '%25').replace(/\|/g, '%7C').replace(/:/g, '%3A');
}

/** Inverse of {@link escapeKeyText}. */
export function unescapeKeyText(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(/%(25|7C|3A)/g, (_, code: string) => (code === '25' ? '%' : code === '7C' ? '|' : ':'));
}

/**
 * Parses a logical AI key: `{ operation, text }` where `text` is the unescaped kept text, or `null`
 * when the text was hashed; `null` for anything that is not an AI key (wrong namespace, invalid
 * operation, no `|txt:` component).
 */
export function parseAiKey(key: string): { operation: string; text: string | null } | null {
  if (typeof key !== 'string' || !key.startsWith(AI_KEY_PREFIX)) return null;
  const bar = key.indexOf('|', AI_KEY_PREFIX.length);
  if (bar === -1) return null;
  const operation = key.slice(AI_KEY_PREFIX.length, bar);
  if (!OPERATION_PATTERN.test(operation) || !key.startsWith('txt:', bar + 1)) return null;
  const start = bar + 5;
  const end = key.indexOf('|', start);
  const text = key.slice(start, end === -1 ? undefined : end);
  return { operation, text: text.startsWith('hash:') ? null : unescapeKeyText(text) };
}

/** The operation of an AI key, or `null` (cheaper than {@link parseAiKey} when the text is not needed). */
export function aiKeyOperation(key: string): string | null {
  if (!key.startsWith(AI_KEY_PREFIX)) return null;
  const bar = key.indexOf('|', AI_KEY_PREFIX.length);
  if (bar === -1 || !key.startsWith('txt:', bar + 1)) return null;
  const operation = key.slice(AI_KEY_PREFIX.length, bar);
  return OPERATION_PATTERN.test(operation) ? operation : null;
}
