// Replays the workload through the AI SDK (`generateText` on the cached models) with bounded
// concurrency; bursts go out at the same instant.
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { generateText } from 'ai';
import { modelCost } from './model.js';
import { promptText, SYSTEM_PROMPT, type WorkItem } from './workload.js';

/**
 * How one request was answered: `hit` (an entry stored before it started), `coalesced` (it waited
 * for an identical call in flight — in this process or another — and got its answer), or `model`.
 */
export type Source = 'hit' | 'model' | 'coalesced';

/** The cached models by model id (`DemoStack.wrap` of each simulated model). */
export type CachedModels = Readonly<Record<string, LanguageModelV4>>;

/** Sends `item` through the AI SDK and says how it was answered (from the result's `providerMetadata['redis-ai']`). */
export async function ask(models: CachedModels, item: WorkItem): Promise<Source> {
  const model = models[item.modelId];
  if (model === undefined) throw new Error(`no model ${item.modelId}`);
  const startedAt = Date.now();
  const result = await generateText({
    model,
    system: SYSTEM_PROMPT,
    prompt: item.prompt,
    temperature: 0,
    maxOutputTokens: 400,
    maxRetries: 0,
    providerOptions: { 'redis-ai': { tenant: item.tenant, operation: item.operation } },
  });
  const marker = result.providerMetadata?.['redis-ai'] as { cached?: boolean; storedAt?: string | null } | undefined;
  if (marker?.cached !== true) return 'model';
  // Stored after this request started: it was answered by a call that was in flight, not by an old entry.
  return marker.storedAt === null || marker.storedAt === undefined || Date.parse(marker.storedAt) > startedAt ? 'coalesced' : 'hit';
}

/** What happened to one request. */
export interface RequestRecord {
  readonly index: number;
  readonly operation: string;
  readonly tenant: string;
  readonly source: Source | 'error';
  /** Measured, ms. */
  readonly latencyMs: number;
  /** What the model alone would have taken, ms (the same simulated latency). */
  readonly withoutCacheMs: number;
  /** Whether it started while Redis was down. */
  readonly duringOutage: boolean;
}

/** A fault to inject while replaying: Redis stops answering for a while. */
export interface OutageDrill {
  /** Unit (request or burst) at which the outage starts. */
  readonly atUnit: number;
  readonly durationMs: number;
  begin(): void;
  end(): void;
}

/** Options of {@link replay}. */
export interface ReplayOptions {
  readonly concurrency: number;
  readonly latencyScale: number;
  readonly outage?: OutageDrill | undefined;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Groups consecutive items of one burst into one unit sent at once. */
function units(items: readonly WorkItem[]): Array<Array<{ item: WorkItem; index: number }>> {
  const out: Array<Array<{ item: WorkItem; index: number }>> = [];
  items.forEach((item, index) => {
    const last = out.at(-1);
    const previous = last?.at(-1);
    if (last && previous && item.burst !== null && previous.item.burst === item.burst) last.push({ item, index });
    else out.push([{ item, index }]);
  });
  return out;
}

/** Sends every item through `models`; never rejects for a failed request (it is recorded as `error`). */
export async function replay(models: CachedModels, items: readonly WorkItem[], o: ReplayOptions): Promise<RequestRecord[]> {
  const records: RequestRecord[] = [];
  const queue = units(items);
  let next = 0;
  let done = 0;
  let outageActive = false;
  let outageOver: Promise<void> = Promise.resolve();

  const send = async ({ item, index }: { item: WorkItem; index: number }): Promise<void> => {
    const duringOutage = outageActive;
    const started = performance.now();
    let source: RequestRecord['source'];
    try {
      source = await ask(models, item);
    } catch {
      source = 'error';
    }
    records.push({
      index,
      operation: item.operation,
      tenant: item.tenant,
      source,
      latencyMs: performance.now() - started,
      withoutCacheMs: modelCost(item.modelId, promptText(item), o.latencyScale).latencyMs,
      duringOutage,
    });
    o.onProgress?.(++done, items.length);
  };

  const worker = async (): Promise<void> => {
    for (let u = next++; u < queue.length; u = next++) {
      if (o.outage && u === o.outage.atUnit) {
        const drill = o.outage;
        drill.begin();
        outageActive = true;
        outageOver = new Promise((resolve) =>
          setTimeout(() => {
            drill.end();
            outageActive = false;
            resolve();
          }, drill.durationMs),
        );
      }
      await Promise.all((queue[u] ?? []).map(send));
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  await outageOver;
  return records.sort((a, b) => a.index - b.index);
}
