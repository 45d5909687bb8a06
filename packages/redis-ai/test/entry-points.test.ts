import { isBuiltin } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cjsLoadedPackages, importedSpecifiers } from '@cache-tooling/entry-probe';
import { describe, expect, it } from 'vitest';

const dist = resolve(dirname(fileURLToPath(import.meta.url)), '../dist');

describe('entry points (built)', () => {
  it.each(['keys', 'config'])('@cache/redis-ai/%s imports only @cache/core and node built-ins (no ioredis, no @cache/redis at run time)', (entry) => {
    const imports = [...importedSpecifiers(join(dist, `${entry}.js`))];
    expect(imports.filter((s) => s !== '@cache/core' && !isBuiltin(s))).toEqual([]);
    expect(cjsLoadedPackages(join(dist, `${entry}.cjs`)).filter((p) => p.includes('ioredis') || p === '@cache/redis')).toEqual([]);
  });

  it('the main entry imports no AI framework (only @cache/core, @cache/redis and node built-ins)', () => {
    const imports = [...importedSpecifiers(join(dist, 'index.js'))];
    expect(imports.filter((s) => s !== '@cache/core' && s !== '@cache/redis' && !isBuiltin(s))).toEqual([]);
    expect(cjsLoadedPackages(join(dist, 'index.cjs')).filter((p) => p === 'ai' || p.startsWith('@ai-sdk/') || p.startsWith('@langchain/'))).toEqual([]);
  });

  it('@cache/redis-ai/ai-sdk loads the AI SDK (ai, @ai-sdk/provider types only) and no LangChain', () => {
    const imports = [...importedSpecifiers(join(dist, 'ai-sdk.js'))];
    expect(imports.filter((s) => !['@cache/core', '@cache/redis', 'ai'].includes(s) && !isBuiltin(s))).toEqual([]);
    expect(imports).toContain('ai');
    expect(cjsLoadedPackages(join(dist, 'ai-sdk.cjs')).filter((p) => p.startsWith('@langchain/'))).toEqual([]);
  });

  it('@cache/redis-ai/langchain loads @langchain/core and not the AI SDK', () => {
    const imports = [...importedSpecifiers(join(dist, 'langchain.js'))];
    expect(imports.filter((s) => !['@cache/core', '@cache/redis'].includes(s) && !s.startsWith('@langchain/core/') && !isBuiltin(s))).toEqual([]);
    expect(cjsLoadedPackages(join(dist, 'langchain.cjs')).filter((p) => p === 'ai' || p.startsWith('@ai-sdk/'))).toEqual([]);
  });
});
