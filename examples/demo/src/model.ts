// A stand-in for a hosted model, built on the AI SDK's own test model (`MockLanguageModelV4` of
// `ai/test`): deterministic answers, token usage and latency, and list prices.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LanguageModelV4CallOptions, LanguageModelV4GenerateResult } from '@ai-sdk/provider';
import type { LlmPriceTable } from '@cache/redis-ai';
import { MockLanguageModelV4 } from 'ai/test';

/** The provider name the simulated models report (the first part of every price key). */
export const PROVIDER = 'openai.chat';

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

/** The deterministic cost of answering `promptText` with `modelId` (the same prompt always costs the same). */
export function modelCost(modelId: string, promptText: string, latencyScale: number): ModelCost {
  const digest = createHash('sha256').update(`${modelId}\n${promptText}`).digest();
  const inputTokens = Math.ceil(promptText.length / 4);
  const outputTokens = 60 + (digest.readUInt16BE(0) % 300);
  const speed = LATENCY[modelId] ?? { baseMs: 200, perOutputTokenMs: 1 };
  const price = PRICES[`${PROVIDER}:${modelId}`] ?? { input: 0, output: 0 };
  return {
    inputTokens,
    outputTokens,
    latencyMs: (speed.baseMs + outputTokens * speed.perOutputTokenMs) * latencyScale,
    costUsd: (inputTokens * price.input + outputTokens * price.output) / 1_000_000,
  };
}

/** The prompt's text as the model sees it: every system and text part, one per line. */
export function promptTextOf(prompt: LanguageModelV4CallOptions['prompt']): string {
  return prompt
    .flatMap((message) =>
      typeof message.content === 'string' ? [message.content] : message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])),
    )
    .join('\n');
}

/** The simulated models, one per model id, and how many calls reached them. */
export interface SimulatedModels {
  readonly models: Readonly<Record<string, MockLanguageModelV4>>;
  /** Calls that reached a model (every model id together). */
  calls(): number;
}

/** `gpt-4o` and `gpt-4o-mini`: each waits its latency, then answers with text and usage as an AI SDK provider does. */
export function simulatedModels(latencyScale: number): SimulatedModels {
  const model = (modelId: string) =>
    new MockLanguageModelV4({
      provider: PROVIDER,
      modelId,
      doGenerate: async ({ prompt }): Promise<LanguageModelV4GenerateResult> => {
        const text = promptTextOf(prompt);
        const cost = modelCost(modelId, text, latencyScale);
        await sleep(cost.latencyMs);
        return {
          content: [{ type: 'text', text: `(${modelId}) answer to ${text.length} chars of prompt, ${cost.outputTokens} tokens long.` }],
          finishReason: { unified: 'stop', raw: 'stop' },
          usage: {
            inputTokens: { total: cost.inputTokens, noCache: cost.inputTokens, cacheRead: 0, cacheWrite: 0 },
            outputTokens: { total: cost.outputTokens, text: cost.outputTokens, reasoning: 0 },
          },
          warnings: [],
        };
      },
    });
  const models = Object.fromEntries(Object.keys(LATENCY).map((id) => [id, model(id)]));
  return { models, calls: () => Object.values(models).reduce((sum, m) => sum + m.doGenerateCalls.length, 0) };
}
