import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;

/** Every bare specifier reachable from an ESM file: static, side-effect and dynamic imports, following relative chunks. */
function reachable(file: string, seen = new Set<string>(), out = new Set<string>()): Set<string> {
  if (seen.has(file)) return out;
  seen.add(file);
  for (const m of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
    const specifier = m[1] as string;
    if (specifier.startsWith('.')) reachable(join(dirname(file), specifier), seen, out);
    else out.add(specifier);
  }
  return out;
}

/** Packages under node_modules that `require(specifier)` loads in a fresh process. */
function cjsLoaded(specifier: string): string[] {
  const script = `require(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(require.cache)))`;
  const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: dirname(fileURLToPath(import.meta.url)) })) as string[];
  return [...new Set(loaded.map((p) => /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/.exec(p)?.[1]).filter((p): p is string => p !== undefined))];
}

/** Main entries that must not load their packages' optional peers (those live behind subpath entries). */
const gates: Array<{ entry: string; optional: RegExp }> = [
  { entry: '@cache/redis-ai', optional: /^(ai|@ai-sdk\/.*|@langchain\/.*)$/ },
  { entry: '@cache/monitoring', optional: /^(prom-client|@opentelemetry\/.*)$/ },
];

describe('optional peer dependencies stay behind their subpath entries', () => {
  it.each(gates)('$entry (ESM and CJS) never loads its optional peers', ({ entry, optional }) => {
    const esmFile = fileURLToPath(import.meta.resolve(entry));
    expect([...reachable(esmFile)].filter((s) => optional.test(s))).toEqual([]);
    expect(cjsLoaded(entry).filter((p) => optional.test(p))).toEqual([]);
    expect(require.resolve(entry)).toMatch(/\.cjs$/);
  });

  it('the gate sees a framework when an entry does load one (@cache/redis-ai/ai-sdk loads ai)', () => {
    expect(reachable(fileURLToPath(import.meta.resolve('@cache/redis-ai/ai-sdk'))).has('ai')).toBe(true);
    expect(cjsLoaded('@cache/redis-ai/langchain').some((p) => p.startsWith('@langchain/'))).toBe(true);
  });
});
