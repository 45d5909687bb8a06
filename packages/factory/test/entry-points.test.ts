import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cjsLoadedPackages, importedSpecifiers } from '@cache-tooling/entry-probe';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const FRAMEWORKS = ['fastify', 'express', 'hono', '@hono/node-server', 'prom-client'];

describe('entry points (built): installing @cache/factory pulls in no web framework', () => {
  it.each(['index', 'fastify', 'express', 'hono'])('dist/%s imports only @cache/* packages and node built-ins, as ESM and as CJS', (entry) => {
    expect([...importedSpecifiers(join(dist, `${entry}.js`))].filter((s) => !s.startsWith('@cache/') && !isBuiltin(s))).toEqual([]);
    expect(cjsLoadedPackages(join(dist, `${entry}.cjs`)).filter((p) => FRAMEWORKS.includes(p))).toEqual([]);
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
