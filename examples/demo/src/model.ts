import { setTimeout as sleep } from 'node:timers/promises';

/** What the stand-in model answers. */
export interface Answer {
  summary: string;
  model: string;
}

/** The questions every demo part asks three times. */
export const QUESTIONS: readonly string[] = [
  'Caching model answers saves latency and money when the same question comes back again and again.',
  'Redis with TLS and ACL users keeps a shared cache safe across many service instances.',
];

/** A stand-in for a slow model call. */
export async function summarize(text: string): Promise<Answer> {
  await sleep(150);
  return { summary: `${text.split(' ').slice(0, 6).join(' ')}…`, model: 'demo-llm-1' };
}
