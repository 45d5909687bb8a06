// A stand-in for a hosted model: deterministic answers, token usage and latency, and list prices.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LlmPriceTable, LlmRequest, LlmResponse } from '@cache/redis-ai';

/** USD per million tokens, as providers publish them (the ledger uses the same table). */
export const PRICES: LlmPriceTable = {
  'openai.chat:gpt-4o': { input: 2.5, output: 10 },
  'openai.chat:gpt-4o-mini': { input: 0.15, output: 0.6 },
};

const LATENCY: Readonly<Record<string, { baseMs: number; perOutputTokenMs: number }>> = {
  'gpt-4o': { baseMs: 250, perOutputTokenMs: 1.2 },
  'gpt-4o-mini': { baseMs: 120, perOutputTokenMs: 0.5 },
};

/** What one call costs, before any cache: tokens, latency and price. */
export interface ModelCost {
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  costUsd: number;
}

function promptText(request: LlmRequest): string {
  return JSON.stringify(request.prompt);
}

/** The deterministic cost of answering `request` (the same request always costs the same). */
export function modelCost(request: LlmRequest, latencyScale: number): ModelCost {
  const digest = createHash('sha256').update(`${request.modelId}\n${promptText(request)}`).digest();
  const inputTokens = Math.ceil(promptText(request).length / 4);
  const outputTokens = 60 + (digest.readUInt16BE(0) % 300);
  const speed = LATENCY[request.modelId] ?? { baseMs: 200, perOutputTokenMs: 1 };
  const price = PRICES[`${request.provider}:${request.modelId}`] ?? { input: 0, output: 0 };
  return {
    inputTokens,
    outputTokens,
    latencyMs: (speed.baseMs + outputTokens * speed.perOutputTokenMs) * latencyScale,
    costUsd: (inputTokens * price.input + outputTokens * price.output) / 1_000_000,
  };
}

/** A simulated model: waits its latency, then answers with text and usage like an AI SDK provider. */
export class SimulatedModel {
  /** Calls that reached the model. */
  calls = 0;

  constructor(private readonly latencyScale: number) {}

  /** Answers `request` after the model's latency. */
  async generate(request: LlmRequest): Promise<LlmResponse> {
    this.calls++;
    const cost = modelCost(request, this.latencyScale);
    await sleep(cost.latencyMs);
    const question = promptText(request).slice(0, 60);
    return {
      content: [{ type: 'text', text: `(${request.modelId}) answer to ${question.length} chars of prompt, ${cost.outputTokens} tokens long.` }],
      finishReason: 'stop',
      usage: { inputTokens: cost.inputTokens, outputTokens: cost.outputTokens, totalTokens: cost.inputTokens + cost.outputTokens },
    };
  }
}
