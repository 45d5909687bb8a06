import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let out = '';

beforeAll(() => {
  out = execFileSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
});

describe('example: AI SDK cacheMiddleware on Redis', () => {
  it('the first streamText runs the model, the second is a hit with the same text, deltas and usage', () => {
    expect(out).toMatch(/^streamText round 1: MISS "Redis keeps data in memory\." in 5 deltas, 80 output tokens/m);
    expect(out).toMatch(/^streamText round 2: HIT {2}"Redis keeps data in memory\." in 5 deltas, 80 output tokens/m);
  });

  it('the recorded stream serves generateText, and 10 concurrent identical calls make one model stream', () => {
    expect(out).toContain('generateText: HIT  "Redis keeps data in memory."');
    expect(out).toContain('model streams: 2 for 13 calls');
  });

  it('the ledger counts every served call with its tokens and cost', () => {
    expect(out).toContain('stats: hits=11 misses=2 stores=2 hitRate=0.85');
    expect(out).toContain('saved: 13200 input + 880 output tokens, $0.0418');
  });
});
