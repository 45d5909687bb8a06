import type { CacheMetricsRecorder } from '@cache/core';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerPrometheusMetrics } from '../src/prometheus.js';
import { makeMonitor, parse } from './helpers.js';

// gpt: 1200 input (200 read from the provider's prompt cache), 300 output; at 2.5 / 1.25 / 10 USD per
// million tokens one hit costs 1000 × 2.5 + 200 × 1.25 + 300 × 10 = 5750 µ$.
const GPT = ['llm', 'openai.chat:gpt-4o', 'summarize', 1200, 300, 200, 0.00575, 1500] as const;

describe('CachePerformanceMonitor LLM savings', () => {
  it("implements core's optional recordLlmSavings hook and keeps exact totals per cache, model and operation", () => {
    const { monitor } = makeMonitor();
    const recorder: CacheMetricsRecorder = monitor;
    for (let i = 0; i < 3; i++) recorder.recordLlmSavings?.(...GPT);
    recorder.recordLlmSavings?.('llm', 'anthropic.messages:claude-sonnet', 'extract', 2000, 100, 0, 0.0075, 900);
    recorder.recordLlmSavings?.('other-cache', 'openai.chat:gpt-4o', 'summarize', 10, 5, 0, 0, 7.5);

    expect(monitor.getLlmSavings()).toEqual([
      { cache: 'llm', model: 'openai.chat:gpt-4o', operation: 'summarize', hits: 3, inputTokens: 3600, cachedInputTokens: 600, outputTokens: 900, costUsd: 0.01725, modelTimeMs: 4500 },
      { cache: 'llm', model: 'anthropic.messages:claude-sonnet', operation: 'extract', hits: 1, inputTokens: 2000, cachedInputTokens: 0, outputTokens: 100, costUsd: 0.0075, modelTimeMs: 900 },
      { cache: 'other-cache', model: 'openai.chat:gpt-4o', operation: 'summarize', hits: 1, inputTokens: 10, cachedInputTokens: 0, outputTokens: 5, costUsd: 0, modelTimeMs: 7.5 },
    ]);
    expect(monitor.droppedRecords).toBe(0);
  });

  it('sums cost in whole nano-dollars, so a total does not drift with the number of hits', () => {
    const { monitor } = makeMonitor();
    // 0.1 + 0.2 in floating point is 0.30000000000000004; ten thousand hits of 0.1 µ$·1000 would drift too.
    for (let i = 0; i < 10_000; i++) monitor.recordLlmSavings('llm', 'm', 'op', 1, 1, 0, 0.0001, 1);
    monitor.recordLlmSavings('llm', 'm', 'op', 1, 1, 0, 0.2, 1);
    expect(monitor.getLlmSavings()[0]?.costUsd).toBe(1.2);
  });

  it('ignores and counts a call with an empty name, a non-integer or negative token count, more cached than input tokens, or a bad cost or time', () => {
    const { monitor } = makeMonitor();
    const bad: unknown[][] = [
      ['', 'm', 'op', 1, 1, 0, 0, 0],
      ['llm', 'm', 'op', 1.5, 1, 0, 0, 0],
      ['llm', 'm', 'op', 1, -1, 0, 0, 0],
      ['llm', 'm', 'op', 1, 1, 2, 0, 0],
      ['llm', 'm', 'op', 1, 1, 0, Number.NaN, 0],
      ['llm', 'm', 'op', 1, 1, 0, 0, -3],
      ['llm', 42, 'op', 1, 1, 0, 0, 0],
    ];
    const record = monitor.recordLlmSavings.bind(monitor) as (...args: unknown[]) => void;
    for (const args of bad) record(...args);
    expect(monitor.getLlmSavings()).toEqual([]);
    expect(monitor.droppedRecords).toBe(bad.length);
  });

  it('keeps at most 256 series; later pairs of a cache add up in its (other) series, nothing is lost', () => {
    const { monitor } = makeMonitor();
    for (let i = 0; i < 300; i++) monitor.recordLlmSavings('llm', `model-${i}`, 'op', 10, 1, 0, 0.001, 2);
    const totals = monitor.getLlmSavings();
    expect(totals).toHaveLength(257);
    expect(totals.at(-1)).toMatchObject({ cache: 'llm', model: '(other)', operation: '(other)', hits: 44, inputTokens: 440, costUsd: 0.044, modelTimeMs: 88 });
    expect(totals.reduce((sum, t) => sum + t.hits, 0)).toBe(300);
  });

  it('is zeroed by resetStats and carried by exportMetrics', () => {
    const { monitor } = makeMonitor();
    monitor.recordLlmSavings(...GPT);
    expect(JSON.parse(JSON.stringify(monitor.exportMetrics())).llmSavings).toEqual([...monitor.getLlmSavings()]);
    monitor.resetStats();
    expect(monitor.getLlmSavings()).toEqual([]);
    expect(monitor.exportMetrics().llmSavings).toEqual([]);
  });
});

describe('Prometheus export of LLM savings', () => {
  it('exports hits, tokens by kind, cost and model seconds labelled by cache, model and operation, exactly', async () => {
    const { monitor } = makeMonitor();
    const registry = new Registry();
    registerPrometheusMetrics(monitor, registry, { cache: 'llm' });
    for (let i = 0; i < 3; i++) monitor.recordLlmSavings(...GPT);
    monitor.recordLlmSavings('llm', 'local:llama', 'default', 50, 50, 0, 0, 10);

    const s = parse(await registry.metrics());
    const gpt = 'cache="llm",model="openai.chat:gpt-4o",operation="summarize"';
    expect(s.get(`cache_llm_hits_total{${gpt}}`)).toBe(3);
    expect(s.get(`cache_llm_saved_tokens_total{${gpt},kind="input"}`)).toBe(3000);
    expect(s.get(`cache_llm_saved_tokens_total{${gpt},kind="cached_input"}`)).toBe(600);
    expect(s.get(`cache_llm_saved_tokens_total{${gpt},kind="output"}`)).toBe(900);
    expect(s.get(`cache_llm_saved_cost_usd_total{${gpt}}`)).toBe(0.01725);
    expect(s.get(`cache_llm_saved_model_seconds_total{${gpt}}`)).toBe(4.5);
    expect(s.get('cache_llm_saved_cost_usd_total{cache="llm",model="local:llama",operation="default"}')).toBe(0);
    expect(s.get('cache_llm_hits_total{cache="llm",model="local:llama",operation="default"}')).toBe(1);
  });

  it('reports a monitor registered for several caches once, under the cache names it recorded', async () => {
    const { monitor } = makeMonitor();
    const registry = new Registry();
    registerPrometheusMetrics(monitor, registry, { cache: 'web' });
    registerPrometheusMetrics(monitor, registry, { cache: 'llm' });
    monitor.recordLlmSavings(...GPT);
    const text = await registry.metrics();
    const hits = text.split('\n').filter((line) => line.startsWith('cache_llm_hits_total{'));
    expect(hits).toEqual(['cache_llm_hits_total{cache="llm",model="openai.chat:gpt-4o",operation="summarize"} 1']);
  });

  it('escapes label values as the text format requires', async () => {
    const { monitor } = makeMonitor();
    const registry = new Registry();
    registerPrometheusMetrics(monitor, registry);
    monitor.recordLlmSavings('llm', 'we"ird\\model\nx', 'op', 1, 1, 0, 0, 0);
    expect(await registry.metrics()).toContain('cache_llm_hits_total{cache="llm",model="we\\"ird\\\\model\\nx",operation="op"} 1');
  });

  it('follows resetStats as a counter reset', async () => {
    const { monitor } = makeMonitor();
    const registry = new Registry();
    registerPrometheusMetrics(monitor, registry);
    monitor.recordLlmSavings(...GPT);
    expect(parse(await registry.metrics()).size).toBeGreaterThan(0);
    monitor.resetStats();
    expect([...parse(await registry.metrics()).keys()].filter((k) => k.startsWith('cache_llm_'))).toEqual([]);
  });
});
