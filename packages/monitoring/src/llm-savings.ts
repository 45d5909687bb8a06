/** What LLM cache hits saved for one cache, model and operation, since construction or `resetStats()`. */
export interface LlmSavingsTotal {
  /** The storage cache's name. */
  readonly cache: string;
  /** `<provider>:<modelId>`, or `(other)` once the series limit is reached. */
  readonly model: string;
  /** The calls' operation, or `(other)` once the series limit is reached. */
  readonly operation: string;
  /** Hits that served a stored model response. */
  readonly hits: number;
  /** Every input token of the avoided calls (the provider's prompt-cache reads included). */
  readonly inputTokens: number;
  /** The part of `inputTokens` the provider would have read from its prompt cache. */
  readonly cachedInputTokens: number;
  readonly outputTokens: number;
  /** What the avoided calls would have cost, USD (each hit rounded to the nano-dollar). */
  readonly costUsd: number;
  /** Model time the hits avoided, ms. */
  readonly modelTimeMs: number;
}

/** Distinct (cache, model, operation) series kept before folding into `(other)`, so memory stays bounded. */
export const MAX_LLM_SAVINGS_SERIES = 256;
const OTHER = '(other)';
const NANO = 1e9;

interface Bucket {
  readonly cache: string;
  readonly model: string;
  readonly operation: string;
  hits: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  /** Whole nano-dollars: integer sums stay exact up to about 9 million USD. */
  costNanoUsd: number;
  modelTimeMs: number;
}

/**
 * Lifetime savings per (cache, model, operation). Token and hit counts are exact integer sums;
 * cost is summed in whole nano-dollars, so totals do not drift with the number of hits.
 */
export class LlmSavingsTally {
  readonly #buckets = new Map<string, Bucket>();

  /** Adds one hit; the caller has validated every argument. */
  add(cache: string, model: string, operation: string, inputTokens: number, outputTokens: number, cachedInputTokens: number, costUsd: number, modelTimeMs: number): void {
    const bucket = this.#bucket(cache, model, operation);
    bucket.hits++;
    bucket.inputTokens += inputTokens;
    bucket.cachedInputTokens += cachedInputTokens;
    bucket.outputTokens += outputTokens;
    bucket.costNanoUsd += Math.round(costUsd * NANO);
    bucket.modelTimeMs += modelTimeMs;
  }

  /** One frozen total per series, in first-seen order. */
  totals(): readonly LlmSavingsTotal[] {
    return Object.freeze(
      [...this.#buckets.values()].map((b) =>
        Object.freeze({
          cache: b.cache,
          model: b.model,
          operation: b.operation,
          hits: b.hits,
          inputTokens: b.inputTokens,
          cachedInputTokens: b.cachedInputTokens,
          outputTokens: b.outputTokens,
          costUsd: b.costNanoUsd / NANO,
          modelTimeMs: b.modelTimeMs,
        }),
      ),
    );
  }

  clear(): void {
    this.#buckets.clear();
  }

  #bucket(cache: string, model: string, operation: string): Bucket {
    const id = `${cache}\u0000${model}\u0000${operation}`;
    const found = this.#buckets.get(id);
    if (found !== undefined) return found;
    // Past the limit, a cache's further series share one (other) bucket.
    const capped = this.#buckets.size >= MAX_LLM_SAVINGS_SERIES;
    const key = capped ? `${cache}\u0000${OTHER}\u0000${OTHER}` : id;
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = { cache, model: capped ? OTHER : model, operation: capped ? OTHER : operation, hits: 0, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, costNanoUsd: 0, modelTimeMs: 0 };
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }
}
