import { describe, expect, it } from 'vitest';
import { extractBlocks } from '../src/extract.js';

const markdown = [
  '# Title',
  '```sh',
  'pnpm test',
  '```',
  '```ts',
  "console.log('a'); // prints: a",
  "const nodes = process.env['REDIS_CLUSTER_NODES'];",
  '```',
  '```ts',
  "const sentinels = process.env['REDIS_SENTINELS'];",
  '```',
  '````typescript',
  '```ts',
  'nested fence text stays code',
  '```',
  '````',
  '```json',
  '{}',
  '```',
].join('\n');

describe('extractBlocks', () => {
  it('keeps ts/typescript blocks with their opening line, expected output, cluster and Sentinel needs; skips other languages', () => {
    const blocks = extractBlocks(markdown, 'x.md');
    expect(blocks.map((b) => [b.line, b.needsCluster, b.needsSentinel, b.expectedOutput])).toEqual([
      [5, true, false, ['a']],
      [9, false, true, []],
      [12, false, false, []],
    ]);
    expect(blocks[2]?.code).toBe('```ts\nnested fence text stays code\n```');
  });
});
