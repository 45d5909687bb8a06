import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const packagesDir = resolve(here, '../../../packages');
const own = JSON.parse(readFileSync(resolve(here, '../package.json'), 'utf8')) as { devDependencies: Record<string, string> };
const require = createRequire(import.meta.url);

interface Manifest {
  name: string;
  private?: boolean;
  exports: Record<string, unknown>;
}

const manifests: Manifest[] = readdirSync(packagesDir)
  .map((dir) => JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) as Manifest)
  .filter((m) => !m.private);

const entries = manifests.flatMap((m) =>
  Object.keys(m.exports)
    .filter((sub) => sub !== './package.json' && m.exports[sub] !== null)
    .map((sub) => (sub === '.' ? m.name : `${m.name}${sub.slice(1)}`)),
);

describe('published entry points', () => {
  it('every published package is covered by this gate (listed in devDependencies)', () => {
    expect(manifests.map((m) => m.name).filter((name) => !(name in own.devDependencies))).toEqual([]);
  });

  it.each(entries)('%s imports as ESM and CJS with the same named exports', async (specifier) => {
    const esm = (await import(specifier)) as Record<string, unknown>;
    const cjs = require(specifier) as Record<string, unknown>;
    const esmNames = Object.keys(esm).filter((k) => k !== 'default' && k !== 'module.exports').sort();
    const cjsNames = Object.keys(cjs).filter((k) => k !== '__esModule').sort();
    expect(esmNames.length).toBeGreaterThan(0);
    expect(cjsNames).toEqual(esmNames);
    expect(require.resolve(specifier)).toMatch(/\/dist\/[^/]+\.cjs$/);
  });
});
