// The figures the demo ends with, computed once from the replay's records, and their text form.
import type { LlmSavingsFigures } from '@cache/redis-ai';
import type { BurstSide } from './burst.js';
import { modelCost } from './model.js';
import type { RawValue } from './raw-value.js';
import type { RequestRecord } from './replay.js';
import { promptText, type WorkItem } from './workload.js';

/** Everything the text and HTML reports show. */
export interface DemoReport {
  stack: string;
  requests: number;
  durationMs: number;
  hitRate: number;
  hitRateByOperation: Record<string, { requests: number; hits: number; hitRate: number }>;
  latency: { withCache: { p50: number; p95: number }; withoutCache: { p50: number; p95: number } };
  /** The replay's model calls: made, avoided by an entry stored earlier, avoided by joining an identical call in flight. */
  modelCalls: { made: number; savedByCache: number; savedBySingleFlight: number };
  /** The same identical requests sent at once by this process and (on Redis) by a second process. */
  burst: { thisProcess: BurstSide; otherProcess: BurstSide | null };
  /** From the redis-ai ledger (Redis stack) or computed from the simulated model's costs (memory stack). */
  saved: LlmSavingsFigures & { source: 'ledger' | 'computed' };
  /** The simulated model's own costs for every request served without a model call of its own: what the ledger must agree with. */
  expectedSaved: { hits: number; inputTokens: number; outputTokens: number; costUsd: number; modelTimeMs: number };
  rawValue: (RawValue & { promptInKey: boolean }) | null;
  outage: { durationMs: number; requests: number; errors: number; fromCache: number; fromModel: number; recovered: boolean } | null;
  errors: number;
  prometheus: { url: string; sample: string[] };
  notes: string[];
  /** Cumulative hit rate after each request (for the chart). */
  hitRateOverTime: number[];
  latencies: { withCache: number[]; withoutCache: number[] };
}

/** The q-quantile (0..1) of `values` by nearest rank; 0 for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}

/** Costs of the requests served without a model call of their own (hits and single flight), according to the simulated model. */
export function expectedSavings(records: readonly RequestRecord[], items: readonly WorkItem[], latencyScale: number): DemoReport['expectedSaved'] {
  const out = { hits: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, modelTimeMs: 0 };
  for (const r of records) {
    if (r.source !== 'hit' && r.source !== 'coalesced') continue;
    const item = items[r.index];
    if (!item) continue;
    const cost = modelCost(item.modelId, promptText(item), latencyScale);
    out.hits++;
    out.inputTokens += cost.inputTokens;
    out.outputTokens += cost.outputTokens;
    out.costUsd += cost.costUsd;
    out.modelTimeMs += cost.latencyMs;
  }
  return out;
}

/** Per-operation and overall hit rates, latencies and the hit rate over time. */
export function summariseRecords(records: readonly RequestRecord[]) {
  const byOperation: DemoReport['hitRateByOperation'] = {};
  let hits = 0;
  const hitRateOverTime: number[] = [];
  records.forEach((r, i) => {
    const op = (byOperation[r.operation] ??= { requests: 0, hits: 0, hitRate: 0 });
    op.requests++;
    if (r.source === 'hit') {
      op.hits++;
      hits++;
    }
    hitRateOverTime.push(hits / (i + 1));
  });
  for (const op of Object.values(byOperation)) op.hitRate = op.hits / op.requests;
  const withCache = records.map((r) => r.latencyMs);
  const withoutCache = records.map((r) => r.withoutCacheMs);
  return {
    hitRate: records.length === 0 ? 0 : hits / records.length,
    hitRateByOperation: Object.fromEntries(Object.entries(byOperation).sort((a, b) => b[1].requests - a[1].requests)),
    latency: {
      withCache: { p50: quantile(withCache, 0.5), p95: quantile(withCache, 0.95) },
      withoutCache: { p50: quantile(withoutCache, 0.5), p95: quantile(withoutCache, 0.95) },
    },
    hitRateOverTime,
    latencies: { withCache, withoutCache },
    errors: records.filter((r) => r.source === 'error').length,
  };
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The single-flight burst in words: how many model calls N identical concurrent requests made, per process. */
function burstLines(b: DemoReport['burst']): string[] {
  const side = (name: string, p: BurstSide) =>
    `  ${name}: ${count(p.modelCalls, 'model call')}; ${count(p.coalescedLocal, 'request')} joined a call in flight in the same process${p.coalescedRemote > 0 ? `; ${p.coalescedRemote} waited for the other process's call through Redis` : ''}`;
  if (b.otherProcess === null) {
    return [`single flight: ${b.thisProcess.requests} identical concurrent requests → ${count(b.thisProcess.modelCalls, 'model call')}`, side('this process', b.thisProcess)];
  }
  const total = b.thisProcess.modelCalls + b.otherProcess.modelCalls;
  return [
    `single flight: ${b.thisProcess.requests} identical concurrent requests in each of 2 processes on the same Redis → ${count(total, 'model call')} for ${b.thisProcess.requests + b.otherProcess.requests} requests`,
    side('this process  ', b.thisProcess),
    side('second process', b.otherProcess),
  ];
}

const pct = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;
const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;

/** The short text report printed at the end. */
export function renderText(r: DemoReport): string {
  const lines: string[] = [];
  lines.push('', `== @cache demo report — ${r.stack}`, `${r.requests} requests in ${(r.durationMs / 1000).toFixed(1)} s, hit rate ${pct(r.hitRate)} (a hit = answered from the cache, no model call)`, '');
  lines.push('hit rate by operation');
  for (const [name, op] of Object.entries(r.hitRateByOperation)) lines.push(`  ${name.padEnd(10)} ${pct(op.hitRate).padStart(6)}  (${op.hits}/${op.requests})`);
  lines.push('', 'latency per request      p50        p95');
  lines.push(`  without the cache  ${ms(r.latency.withoutCache.p50).padStart(9)}  ${ms(r.latency.withoutCache.p95).padStart(9)}   (the simulated model for every request)`);
  lines.push(`  with the cache     ${ms(r.latency.withCache.p50).padStart(9)}  ${ms(r.latency.withCache.p95).padStart(9)}   (measured)`);
  lines.push('', `model calls: ${r.modelCalls.made} made; ${r.modelCalls.savedByCache} avoided by cache hits; ${r.modelCalls.savedBySingleFlight} avoided by single flight (the request joined an identical call in flight)`);
  const s = r.saved;
  lines.push(`saved ${r.saved.source === 'ledger' ? '(redis-ai savings ledger)' : '(computed from the simulated model)'}: ${s.inputTokens + s.outputTokens} tokens (${s.inputTokens} in, ${s.outputTokens} out), $${s.costUsd.toFixed(4)}, ${(s.modelTimeMs / 1000).toFixed(1)} s of model time over ${s.hits} requests served without a model call`);
  lines.push('', ...burstLines(r.burst));
  if (r.rawValue) {
    lines.push('', `what Redis holds (read with a plain client): ${r.rawValue.key.slice(0, 72)}…`);
    lines.push(`  ${r.rawValue.bytes} bytes: header ${r.rawValue.headerHex} (@cache envelope v3, JSON, encrypted), then a raw Fernet token (as base64: ${r.rawValue.tokenStart.slice(0, 40)}…)`);
    lines.push(`  prompt text in the key: ${r.rawValue.promptInKey ? 'YES' : 'no'} (keys carry a digest of the request)`);
  }
  if (r.outage) {
    const o = r.outage;
    lines.push('', `outage: redis-server paused for ${(o.durationMs / 1000).toFixed(1)} s mid-run; ${o.requests} requests during it: ${o.errors} errors, ${o.fromCache} from the cache (L1), ${o.fromModel} from the model; ${o.recovered ? 'reconnected afterwards' : 'NOT reconnected'}`);
  }
  lines.push('', `Prometheus: scrape ${r.prometheus.url} (served while the demo ran); e.g.`);
  for (const sample of r.prometheus.sample) lines.push(`  ${sample}`);
  for (const note of r.notes) lines.push(`note: ${note}`);
  if (r.errors > 0) lines.push(`errors: ${count(r.errors, 'request')} failed`);
  return lines.join('\n');
}
