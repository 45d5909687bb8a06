// Single flight across processes: the same burst of identical concurrent requests, sent at the same
// instant by this process and by a second Node process (src/second-process.ts) on the same Redis.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { simulatedModels } from './model.js';
import { ask, type Source } from './replay.js';
import type { DemoStack } from './stack.js';
import type { WorkItem } from './workload.js';

/** The request every process of the burst sends (a question the workload never asks). */
export const BURST_ITEM: WorkItem = {
  tenant: 'acme',
  operation: 'chat',
  modelId: 'gpt-4o',
  prompt: 'Answer the customer question: Which regions does the EU data residency option cover?',
  burst: null,
};

/** What one process did in the burst. */
export interface BurstSide {
  requests: number;
  modelCalls: number;
  /** Requests that joined a call in flight in the same process. */
  coalescedLocal: number;
  /** Flights that waited for another process's call through the Redis lease. */
  coalescedRemote: number;
}

/** The burst's model is three times slower than the workload's (about a second). */
const BURST_LATENCY_SCALE = 3;

/**
 * Sends `requests` identical requests at once through `stack` and counts what happened in this
 * process. The model call takes about a second, so the other process's burst, started at the same
 * instant, finds it still in flight even on a busy machine.
 */
export async function runBurst(stack: DemoStack, requests: number): Promise<BurstSide> {
  const simulated = simulatedModels(BURST_LATENCY_SCALE);
  const models = Object.fromEntries(Object.entries(simulated.models).map(([id, model]) => [id, stack.wrap(model)]));
  const before = stack.singleFlight();
  const sources: Source[] = await Promise.all(Array.from({ length: requests }, () => ask(models, BURST_ITEM)));
  const after = stack.singleFlight();
  if (sources.filter((s) => s === 'model').length !== simulated.calls()) throw new Error('a model call was not attributed to a request');
  return { requests, modelCalls: simulated.calls(), coalescedLocal: after.local - before.local, coalescedRemote: after.remote - before.remote };
}

/**
 * Starts src/second-process.ts with `env` (the Redis variables), waits until its stack is ready,
 * then both processes send the burst at the same instant. Resolves what each process did.
 */
export async function crossProcessBurst(
  stack: DemoStack,
  o: { env: Readonly<Record<string, string | undefined>>; requests: number },
): Promise<{ thisProcess: BurstSide; otherProcess: BurstSide }> {
  const entry = fileURLToPath(new URL('./second-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', entry, String(o.requests)], {
    env: { ...process.env, ...o.env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  try {
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const next = async (): Promise<string> => {
      const line = await lines.next();
      if (line.done === true) throw new Error(`the second process ended early (exit code ${String(await exited)})`);
      return line.value;
    };
    if ((await next()) !== 'ready') throw new Error('the second process did not get ready');
    child.stdin.write('go\n');
    const [thisProcess, otherLine] = await Promise.all([runBurst(stack, o.requests), next()]);
    return { thisProcess, otherProcess: JSON.parse(otherLine) as BurstSide };
  } finally {
    child.stdin.end();
    if ((await Promise.race([exited, new Promise((r) => setTimeout(r, 5000, 'slow'))])) === 'slow') child.kill();
  }
}
