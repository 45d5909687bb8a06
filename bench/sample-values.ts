// Deterministic sample payloads for the codec and compression benchmarks: JSON records shaped like
// API responses (ids, timestamps, numbers, words) and LLM answers (chat-completion JSON around
// English prose), at 1 KB, 10 KB and 100 KB. Prose comes from the GPL-3 text Debian ships, so it
// compresses like natural language, not like a repeated filler string.
import { readFileSync } from 'node:fs';

/** Seeded PRNG (mulberry32): the same payloads in every process and run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROSE_FILE = '/usr/share/common-licenses/GPL-3';
const prose = (() => {
  try {
    return readFileSync(PROSE_FILE, 'utf8').replace(/\s+/g, ' ');
  } catch {
    const rnd = seeded(7);
    const words = ['cache', 'value', 'request', 'model', 'token', 'answer', 'user', 'the', 'of', 'and', 'a', 'is', 'for', 'with', 'that', 'service'];
    return Array.from({ length: 8000 }, () => words[Math.floor(rnd() * words.length)]).join(' ');
  }
})();
const words = prose.split(' ').filter((w) => /^[a-z]+$/i.test(w));

/** About `bytes` characters of English prose, from a seeded offset. */
export function proseText(bytes: number, seed: number): string {
  const rnd = seeded(seed);
  let out = '';
  while (out.length < bytes) {
    const start = Math.floor(rnd() * Math.max(1, prose.length - 2000));
    out += prose.slice(start, start + Math.min(600, bytes - out.length)) + '\n\n';
  }
  return out.slice(0, bytes);
}

function record(rnd: () => number, i: number): Record<string, unknown> {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('');
  return {
    id: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
    index: i,
    createdAt: new Date(1_700_000_000_000 + Math.floor(rnd() * 1e10)).toISOString(),
    name: `${words[Math.floor(rnd() * words.length)]} ${words[Math.floor(rnd() * words.length)]}`,
    active: rnd() < 0.5,
    price: Math.round(rnd() * 100_000) / 100,
    tags: Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => words[Math.floor(rnd() * words.length)]),
    owner: { id: Math.floor(rnd() * 1e6), email: `${hex(6)}@example.com` },
  };
}

/** An API-like JSON document of about `bytes` bytes (an array of records under `items`). */
export function apiJson(bytes: number, seed = 1): Record<string, unknown> {
  const rnd = seeded(seed);
  const items: unknown[] = [];
  const doc = { page: 1, total: 0, items };
  let size = 40;
  while (size < bytes) {
    const r = record(rnd, items.length);
    size += JSON.stringify(r).length + 1;
    items.push(r);
  }
  doc.total = items.length;
  return doc;
}

/** A chat-completion response of about `bytes` bytes of JSON, its answer English prose. */
export function llmJson(bytes: number, seed = 2): Record<string, unknown> {
  const content = proseText(Math.max(64, bytes - 330), seed);
  return {
    id: 'chatcmpl-9x7QW2b3kLmN4pQrStUvWxYz',
    object: 'chat.completion',
    created: 1_765_000_000,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 412, completion_tokens: Math.round(content.length / 4), total_tokens: 412 + Math.round(content.length / 4) },
  };
}

/** The benchmark's sizes. */
export const SIZES = [
  ['1 KB', 1024],
  ['10 KB', 10 * 1024],
  ['100 KB', 100 * 1024],
] as const;

/** CPU time of this process, ms (user + system): descheduled time on a busy machine is not charged. */
export function cpuNowMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Runs `fn` repeatedly for about `ms` of CPU time; returns µs of CPU per call. */
export function timePerCall(fn: () => unknown, ms: number): number {
  for (let i = 0; i < 50; i++) fn();
  let calls = 0;
  let batch = 1;
  const start = cpuNowMs();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < batch; i++) fn();
    calls += batch;
    elapsed = cpuNowMs() - start;
    if (elapsed < ms / 10) batch *= 2;
  }
  return (elapsed * 1000) / calls;
}

/** Median of the numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}
