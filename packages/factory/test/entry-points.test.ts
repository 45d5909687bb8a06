import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
const FRAMEWORKS = ['fastify', 'express', 'hono', '@hono/node-server', 'prom-client'];

/** Every bare specifier the built ESM file imports statically, following relative chunks. */
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

/** Packages under node_modules that `require` of the CJS entry loads. */
function cjsLoadedPackages(entry: string): string[] {
  const script = `require(${JSON.stringify(join(dist, entry))}); console.log(JSON.stringify(Object.keys(require.cache)))`;
  const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as string[];
  return [...new Set(loaded.map((p) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(p)?.[1]).filter((p): p is string => p !== undefined))];
}

describe('entry points (built): installing @cache/factory pulls in no web framework', () => {
  it.each(['index', 'fastify', 'express', 'hono'])('dist/%s imports only @cache/* packages and node built-ins, as ESM and as CJS', (entry) => {
    expect([...externalImports(join(dist, `${entry}.js`))].filter((s) => !s.startsWith('@cache/') && !isBuiltin(s))).toEqual([]);
    expect(cjsLoadedPackages(`${entry}.cjs`).filter((p) => FRAMEWORKS.includes(p))).toEqual([]);
  });

  it('frameworks and prom-client are optional peers only, never dependencies', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    // The one third-party runtime dependency is ioredis, for the `cache` command; no web framework.
    expect(Object.keys(manifest.dependencies).filter((d) => !d.startsWith('@cache/'))).toEqual(['ioredis']);
    for (const peer of ['fastify', 'express', 'hono', 'prom-client']) {
      expect(manifest.peerDependencies[peer]).toBeDefined();
      expect(manifest.peerDependenciesMeta[peer]?.optional).toBe(true);
    }
  });
});
