import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = resolve(dirname(fileURLToPath(import.meta.url)), '../dist');
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

/** Every bare (non-relative) specifier the built ESM file imports, following relative chunks. */
function externalImports(file: string, seen = new Set<string>()): Set<string> {
  const out = new Set<string>();
  if (seen.has(file)) return out;
  seen.add(file);
  for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const specifier = (m[1] ?? m[2]) as string;
    if (specifier.startsWith('.')) for (const s of externalImports(join(dirname(file), specifier), seen)) out.add(s);
    else out.add(specifier);
  }
  return out;
}

/** Modules under node_modules that `require` of the CJS entry loads, by package directory name. */
function cjsLoadedPackages(entry: string): string[] {
  const script = `require(${JSON.stringify(join(dist, entry))}); console.log(JSON.stringify(Object.keys(require.cache)))`;
  const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as string[];
  return [...new Set(loaded.map((p) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(p)?.[1]).filter((p): p is string => p !== undefined))];
}

describe('entry points (built)', () => {
  it.each(['keys', 'config'])('@cache/redis-ai/%s imports only @cache/core and node built-ins (no ioredis, no @cache/redis at run time)', (entry) => {
    const imports = [...externalImports(join(dist, `${entry}.js`))];
    expect(imports.filter((s) => s !== '@cache/core' && !isBuiltin(s))).toEqual([]);
    expect(cjsLoadedPackages(`${entry}.cjs`).filter((p) => p.includes('ioredis') || p === '@cache/redis')).toEqual([]);
  });

  it('the main entry imports no AI framework (only @cache/core, @cache/redis and node built-ins)', () => {
    const imports = [...externalImports(join(dist, 'index.js'))];
    expect(imports.filter((s) => s !== '@cache/core' && s !== '@cache/redis' && !isBuiltin(s))).toEqual([]);
    expect(cjsLoadedPackages('index.cjs').filter((p) => p === 'ai' || p.startsWith('@ai-sdk/') || p.startsWith('@langchain/'))).toEqual([]);
  });

  it('@cache/redis-ai/ai-sdk loads the AI SDK (ai, @ai-sdk/provider types only) and no LangChain', () => {
    const imports = [...externalImports(join(dist, 'ai-sdk.js'))];
    expect(imports.filter((s) => !['@cache/core', '@cache/redis', 'ai'].includes(s) && !isBuiltin(s))).toEqual([]);
    expect(imports).toContain('ai');
    expect(cjsLoadedPackages('ai-sdk.cjs').filter((p) => p.startsWith('@langchain/'))).toEqual([]);
  });

  it('@cache/redis-ai/langchain loads @langchain/core and not the AI SDK', () => {
    const imports = [...externalImports(join(dist, 'langchain.js'))];
    expect(imports.filter((s) => !['@cache/core', '@cache/redis'].includes(s) && !s.startsWith('@langchain/core/') && !isBuiltin(s))).toEqual([]);
    expect(cjsLoadedPackages('langchain.cjs').filter((p) => p === 'ai' || p.startsWith('@ai-sdk/'))).toEqual([]);
  });
});
