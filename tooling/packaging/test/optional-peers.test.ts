import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cjsLoadedPackages, importedSpecifiers } from '@cache-tooling/entry-probe';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const reachable = (file: string): Set<string> => importedSpecifiers(file, { dynamic: true });
const cjsLoaded = (specifier: string): string[] => cjsLoadedPackages(specifier, { cwd: here });

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
