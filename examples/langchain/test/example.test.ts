import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let out = '';

beforeAll(() => {
  out = execFileSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
});

describe('example: LangChain adapters on Redis', () => {
  it("RedisAiCache serves the repeated invoke from Redis (the fake model's second answer is never used)", () => {
    expect(out).toContain('RedisAiCache round 1: "Redis is an in-memory store."');
    expect(out).toContain('RedisAiCache round 2: "Redis is an in-memory store."');
  });

  it("LangChain's cache confuses two pictures; withCache tells them apart", () => {
    expect(out).toContain('RedisAiCache, two pictures: "A black cat." / "A black cat."');
    expect(out).toContain('withCache, two pictures: "A black cat." / "A white dog."');
  });

  it('withCache records a stream and replays it chunk for chunk', () => {
    expect(out).toContain('withCache stream round 1: MISS 29 chunks "Streams are append-only logs."');
    expect(out).toContain('withCache stream round 2: HIT  29 chunks "Streams are append-only logs."');
    expect(out).toContain('stats: hits=3 misses=5 stores=5');
  });
});
