import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generateFernetKey } from '@cache/encryption';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const worker = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/cross-process-worker.mjs');
let server: RedisTestServer;

beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server.stop();
});

/** Starts 2 worker processes that each make 20 identical concurrent calls at the same instant; their results. */
async function twoProcesses(mode: 'ai-sdk' | 'cached-call'): Promise<Array<{ modelCalls: number; texts: string[] }>> {
  const key = generateFernetKey();
  const startAt = String(Date.now() + 1500);
  const outputs = await Promise.all([0, 1].map(() => run(process.execPath, [worker, server.url(), key, startAt, mode], { encoding: 'utf8', timeout: 60_000 })));
  return outputs.map((o) => JSON.parse(o.stdout.trim().split('\n').at(-1) as string) as { modelCalls: number; texts: string[] });
}

describe('single flight across processes (the storage cache lease)', () => {
  it('2 processes × 20 identical concurrent cachedCalls make 1 model call and all get the same answer', async () => {
    const results = await twoProcesses('cached-call');
    expect(results.reduce((sum, r) => sum + r.modelCalls, 0)).toBe(1);
    expect(results.flatMap((r) => r.texts)).toEqual(['one answer', 'one answer']);
  });

  it('2 processes × 20 identical concurrent generateText calls through cacheMiddleware make 1 model call', async () => {
    const results = await twoProcesses('ai-sdk');
    expect(results.reduce((sum, r) => sum + r.modelCalls, 0)).toBe(1);
    expect(results.flatMap((r) => r.texts)).toEqual(['one answer', 'one answer']);
  });
});
