import { readFileSync } from 'node:fs';

/** One runnable code block of a Markdown file. */
export interface DocBlock {
  /** Path relative to the repository root. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly code: string;
  /** Texts the program's output must contain (`// prints: <text>` lines). */
  readonly expectedOutput: readonly string[];
  /** Whether the block needs the Redis cluster (it mentions REDIS_CLUSTER_NODES). */
  readonly needsCluster: boolean;
  /** Whether the block needs a Sentinel set (it mentions REDIS_SENTINELS). */
  readonly needsSentinel: boolean;
}

const FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/;
const PRINTS = /\/\/ prints: (.+)$/gm;

/** The ` ```ts ` (or ` ```typescript `) blocks of `markdown`, in order; other languages are skipped. */
export function extractBlocks(markdown: string, file: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (!open) continue;
    const fence = open[2] ?? '```';
    const lang = (open[3] ?? '').trim().split(/\s+/)[0] ?? '';
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !(lines[j] ?? '').trim().startsWith(fence)) body.push(lines[j++] ?? '');
    if (lang === 'ts' || lang === 'typescript') {
      const code = body.join('\n');
      blocks.push({
        file,
        line: i + 1,
        code,
        expectedOutput: [...code.matchAll(PRINTS)].map((m) => (m[1] ?? '').trim()),
        needsCluster: code.includes('REDIS_CLUSTER_NODES'),
        needsSentinel: code.includes('REDIS_SENTINELS'),
      });
    }
    i = j;
  }
  return blocks;
}

/** The blocks of every file, read from `root`. */
export function extractFromFiles(root: string, files: readonly string[]): DocBlock[] {
  return files.flatMap((file) => extractBlocks(readFileSync(`${root}/${file}`, 'utf8'), file));
}
