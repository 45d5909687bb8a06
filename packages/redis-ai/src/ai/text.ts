import { ValidationError } from '@cache/core';

/** A text-size class: by code-point length against {@link TextSizeTiers}. */
export type TextTier = 'small' | 'medium' | 'large' | 'xlarge';

/**
 * Upper bounds (exclusive, in code points) of the `small`, `medium` and `large` tiers; anything at
 * or above `large` is `xlarge`. Extra keys are allowed and ignored.
 */
export interface TextSizeTiers {
  readonly small: number;
  readonly medium: number;
  readonly large: number;
  readonly [extra: string]: number;
}

/** The standalone defaults: small < 500, medium < 5 000, large < 50 000 code points. */
export const DEFAULT_TEXT_SIZE_TIERS: TextSizeTiers = Object.freeze({ small: 500, medium: 5000, large: 50_000 });

/** Number of Unicode code points in `text` (a lone surrogate counts as one), without allocating. */
export function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

const WORD = /\S+/g;

/** Number of maximal runs of non-whitespace characters (`\s` in the JavaScript sense). */
export function wordCount(text: string): number {
  WORD.lastIndex = 0;
  let count = 0;
  while (WORD.exec(text) !== null) count++;
  return count;
}

/** The tier of `text` by code-point length; strict `<` at each bound (500 code points is `medium`). */
export function getTextTier(text: string, tiers: TextSizeTiers = DEFAULT_TEXT_SIZE_TIERS): TextTier {
  if (typeof text !== 'string') {
    throw new ValidationError('Invalid text parameter: must be string', { code: 'INVALID_TEXT', context: { text_type: text === null ? 'null' : typeof text } });
  }
  return tierOfLength(codePointLength(text), tiers);
}

/** The tier of a code-point length. */
export function tierOfLength(length: number, tiers: TextSizeTiers): TextTier {
  if (length < tiers.small) return 'small';
  if (length < tiers.medium) return 'medium';
  if (length < tiers.large) return 'large';
  return 'xlarge';
}

const PROMOTABLE_OPERATIONS: ReadonlySet<string> = new Set(['sentiment', 'summarize', 'key_points', 'classify']);

/**
 * Whether a Redis hit of this tier and operation deserves an L1 copy: always for `small`; for the
 * cheap-to-reuse operations (`sentiment`, `summarize`, `key_points`, `classify`) also `medium`, and
 * `large` for `sentiment`; any `medium` entry once its operation has 10 hits. Everything else,
 * including an `unknown` tier or an empty operation, stays in Redis only.
 */
export function shouldPromoteToMemory(tier: TextTier | 'unknown', operation: string, hitsForOperation = 0): boolean {
  if (!tier || !operation) return false;
  if (tier === 'small') return true;
  if (PROMOTABLE_OPERATIONS.has(operation)) {
    if (tier === 'medium') return true;
    if (tier === 'large' && operation === 'sentiment') return true;
  }
  return tier === 'medium' && hitsForOperation >= 10;
}
