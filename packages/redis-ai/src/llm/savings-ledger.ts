import { ConfigurationError } from '@cache/core';
import type { UsageFigures } from './response-codec.js';

/** Prices of one model, USD per one million tokens. */
export interface LlmModelPrice {
  /** Uncached input tokens. */
  readonly input: number;
  readonly output: number;
  /** Input tokens read from the provider's prompt cache; default `input`. */
  readonly cachedInput?: number;
  /** Input tokens written to the provider's prompt cache; default `input`. */
  readonly cacheWrite?: number;
}

/** Prices by `<provider>:<modelId>` or bare `<modelId>` (the qualified name wins). */
export type LlmPriceTable = Readonly<Record<string, LlmModelPrice>>;

/** What hits saved. `costUsd` is 0 for a model without a price (listed in `unpricedModels`). */
export interface LlmSavingsFigures {
  hits: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costUsd: number;
  /** Sum of the stored model latencies of the entries served. */
  modelTimeMs: number;
}

/** Savings in total, by model (`<provider>:<modelId>`), by operation, and by both. */
export interface LlmSavingsReport {
  total: LlmSavingsFigures;
  byModel: Record<string, LlmSavingsFigures>;
  byOperation: Record<string, LlmSavingsFigures>;
  byModelAndOperation: Array<{ model: string; operation: string } & LlmSavingsFigures>;
  unpricedModels: string[];
}

interface Bucket {
  provider: string;
  modelId: string;
  operation: string;
  hits: number;
  uncachedInput: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
  modelTimeMs: number;
  /** The model's price, looked up once (the table never changes). */
  price: LlmModelPrice | undefined;
}

function validPrice(p: unknown): p is LlmModelPrice {
  if (typeof p !== 'object' || p === null) return false;
  const r = p as Record<string, unknown>;
  const ok = (v: unknown, optional: boolean): boolean => (optional && v === undefined) || (typeof v === 'number' && Number.isFinite(v) && v >= 0);
  return ok(r['input'], false) && ok(r['output'], false) && ok(r['cachedInput'], true) && ok(r['cacheWrite'], true);
}

/** Validates a price table (`ConfigurationError` `INVALID_CONFIGURATION` naming the model). */
export function validatePriceTable(table: unknown): LlmPriceTable {
  if (table === undefined) return {};
  if (typeof table !== 'object' || table === null || Array.isArray(table)) {
    throw new ConfigurationError('prices must be an object of model → { input, output, cachedInput?, cacheWrite? } (USD per 1M tokens)', {
      code: 'INVALID_CONFIGURATION',
      context: { option: 'prices' },
    });
  }
  for (const [model, price] of Object.entries(table)) {
    if (!validPrice(price)) {
      throw new ConfigurationError(`prices[${JSON.stringify(model)}] must be { input, output, cachedInput?, cacheWrite? } with non-negative USD per 1M tokens`, {
        code: 'INVALID_CONFIGURATION',
        context: { option: 'prices', model },
      });
    }
  }
  return Object.freeze({ ...(table as LlmPriceTable) });
}

function zero(): LlmSavingsFigures {
  return { hits: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costUsd: 0, modelTimeMs: 0 };
}

/** A running sum whose cost is kept in micro-dollars (USD per million tokens × tokens) until the report is made. */
interface Sum {
  figures: LlmSavingsFigures;
  microUsd: number;
}

function add(into: Sum, from: LlmSavingsFigures, microUsd: number): void {
  const f = into.figures;
  f.hits += from.hits;
  f.inputTokens += from.inputTokens;
  f.outputTokens += from.outputTokens;
  f.cachedInputTokens += from.cachedInputTokens;
  f.modelTimeMs += from.modelTimeMs;
  into.microUsd += microUsd;
}

function finish(sum: Sum): LlmSavingsFigures {
  sum.figures.costUsd = sum.microUsd / 1_000_000;
  return sum.figures;
}

/**
 * Adds up what cache hits saved, per model and operation, from the usage and latency stored with
 * each entry. Token counts and times are exact integer sums; every cost in a report (a bucket's, a
 * model's, an operation's, the total) is computed from exact sums of tokens × USD-per-million at
 * report time with one division: Σ tokens × USD-per-million / 1 000 000, where uncached input =
 * input − cache reads − cache writes.
 */
export class SavingsLedger {
  readonly #prices: LlmPriceTable;
  readonly #buckets = new Map<string, Bucket>();
  /** The bucket of the previous hit: consecutive hits of one model and operation skip the map. */
  #last: Bucket | undefined;

  /** `prices` must be valid (see {@link validatePriceTable}). */
  constructor(prices: LlmPriceTable) {
    this.#prices = prices;
  }

  /** Records one hit; returns the figures of that hit (for the recorder hook). */
  recordHit(provider: string, modelId: string, operation: string, usage: UsageFigures, modelTimeMs: number): LlmSavingsFigures {
    let bucket = this.#last;
    if (bucket === undefined || bucket.provider !== provider || bucket.modelId !== modelId || bucket.operation !== operation) {
      const id = `${provider}\u0000${modelId}\u0000${operation}`;
      bucket = this.#buckets.get(id);
      if (!bucket) {
        bucket = { provider, modelId, operation, hits: 0, uncachedInput: 0, cacheRead: 0, cacheWrite: 0, output: 0, modelTimeMs: 0, price: this.#price(provider, modelId) };
        this.#buckets.set(id, bucket);
      }
      this.#last = bucket;
    }
    const uncached = Math.max(0, usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens);
    bucket.hits++;
    bucket.uncachedInput += uncached;
    bucket.cacheRead += usage.cacheReadTokens;
    bucket.cacheWrite += usage.cacheWriteTokens;
    bucket.output += usage.outputTokens;
    bucket.modelTimeMs += modelTimeMs;
    const price = bucket.price;
    return {
      hits: 1,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cachedInputTokens: usage.cacheReadTokens,
      costUsd: price ? this.#microUsd(price, uncached, usage.cacheReadTokens, usage.cacheWriteTokens, usage.outputTokens) / 1_000_000 : 0,
      modelTimeMs,
    };
  }

  /** The savings so far. */
  report(): LlmSavingsReport {
    const total: Sum = { figures: zero(), microUsd: 0 };
    const byModel = new Map<string, Sum>();
    const byOperation = new Map<string, Sum>();
    const byModelAndOperation: LlmSavingsReport['byModelAndOperation'] = [];
    const unpriced = new Set<string>();
    for (const b of this.#buckets.values()) {
      const model = `${b.provider}:${b.modelId}`;
      const price = b.price;
      if (!price) unpriced.add(model);
      const microUsd = price ? this.#microUsd(price, b.uncachedInput, b.cacheRead, b.cacheWrite, b.output) : 0;
      const figures: LlmSavingsFigures = {
        hits: b.hits,
        inputTokens: b.uncachedInput + b.cacheRead + b.cacheWrite,
        outputTokens: b.output,
        cachedInputTokens: b.cacheRead,
        costUsd: microUsd / 1_000_000,
        modelTimeMs: b.modelTimeMs,
      };
      byModelAndOperation.push({ model, operation: b.operation, ...figures });
      add(total, figures, microUsd);
      for (const [sums, name] of [[byModel, model], [byOperation, b.operation]] as const) {
        let sum = sums.get(name);
        if (!sum) sums.set(name, (sum = { figures: zero(), microUsd: 0 }));
        add(sum, figures, microUsd);
      }
    }
    const finished = (sums: Map<string, Sum>): Record<string, LlmSavingsFigures> => Object.fromEntries([...sums].map(([name, sum]) => [name, finish(sum)]));
    return { total: finish(total), byModel: finished(byModel), byOperation: finished(byOperation), byModelAndOperation, unpricedModels: [...unpriced].sort() };
  }

  /** Forgets every figure. */
  reset(): void {
    this.#buckets.clear();
    this.#last = undefined;
  }

  #price(provider: string, modelId: string): LlmModelPrice | undefined {
    const prices = this.#prices;
    const qualified = `${provider}:${modelId}`;
    return Object.hasOwn(prices, qualified) ? prices[qualified] : Object.hasOwn(prices, modelId) ? prices[modelId] : undefined;
  }

  #microUsd(price: LlmModelPrice, uncached: number, cacheRead: number, cacheWrite: number, output: number): number {
    return uncached * price.input + cacheRead * (price.cachedInput ?? price.input) + cacheWrite * (price.cacheWrite ?? price.input) + output * price.output;
  }
}
