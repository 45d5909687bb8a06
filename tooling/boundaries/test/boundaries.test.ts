import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBoundaries, importsOf } from '../src/check.mjs';
import rules from '../rules.json' with { type: 'json' };

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const cli = resolve(here, '../src/cli.mjs');
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A throw-away repository with the given packages: { dir: { manifest extras, files } }. */
function fixture(pkgs: Record<string, { deps?: Record<string, string>; files: Record<string, string> }>): string {
  const root = mkdtempSync(join(tmpdir(), 'boundaries-'));
  temps.push(root);
  for (const [dir, { deps, files }] of Object.entries(pkgs)) {
    mkdirSync(join(root, 'packages', dir, 'src'), { recursive: true });
    writeFileSync(
      join(root, 'packages', dir, 'package.json'),
      JSON.stringify({ name: `@cache/${dir}`, dependencies: deps ?? {}, exports: { '.': './dist/index.js' } }),
    );
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, 'packages', dir, file)), { recursive: true });
      writeFileSync(join(root, 'packages', dir, file), text);
    }
  }
  return root;
}

describe('boundaries check', () => {
  it('the real repository passes', () => {
    expect(checkBoundaries(repoRoot, rules)).toEqual([]);
  });

  it("fails when core imports @cache/redis (against design.md's table)", () => {
    const root = fixture({
      core: { files: { 'src/index.ts': "import { GenericRedisCache } from '@cache/redis';\nexport const x = GenericRedisCache;\n" } },
      redis: { files: { 'src/index.ts': 'export {};\n' } },
    });
    const violations = checkBoundaries(root, rules);
    expect(violations).toEqual([
      expect.objectContaining({ pkg: '@cache/core', file: 'packages/core/src/index.ts', line: 1, message: expect.stringContaining('may not import @cache/redis') }),
    ]);
    expect(() => execFileSync(process.execPath, [cli, root], { stdio: 'pipe' })).toThrow(/violation/);
  });

  it('fails on a forbidden third-party runtime import and dependency', () => {
    const root = fixture({
      memory: { deps: { '@cache/core': 'workspace:^', ioredis: '6.0.0' }, files: { 'src/index.ts': "import Redis from 'ioredis';\n" } },
      core: { files: { 'src/index.ts': '' } },
    });
    const messages = checkBoundaries(root, rules).map((v) => v.message);
    expect(messages).toEqual(
      expect.arrayContaining([expect.stringContaining('runtime dependency ioredis is not allowed'), expect.stringContaining('may not import ioredis')]),
    );
  });

  it('fails on an allowed import that package.json does not declare', () => {
    const root = fixture({
      memory: { files: { 'src/index.ts': "export { CacheError } from '@cache/core';\n" } },
      core: { files: { 'src/index.ts': '' } },
    });
    expect(checkBoundaries(root, rules)).toEqual([expect.objectContaining({ message: expect.stringContaining('not declared') })]);
  });

  it("fails on reaching into another package's internals, by path or by deep import", () => {
    const root = fixture({
      memory: {
        deps: { '@cache/core': 'workspace:^' },
        files: {
          'src/a.ts': "import { x } from '../../core/src/errors.js';\n",
          'src/b.ts': "import type { Codec } from '@cache/core/dist/codec.js';\n",
        },
      },
      core: { files: { 'src/index.ts': '' } },
    });
    const messages = checkBoundaries(root, rules).map((v) => v.message);
    expect(messages).toEqual([expect.stringContaining('leaves the package'), expect.stringContaining('not a public entry')]);
  });

  it('passes a clean fixture with node built-ins and allowed imports', () => {
    const root = fixture({
      presets: { deps: { '@cache/core': 'workspace:^', zod: '^4' }, files: { 'src/index.ts': "import { z } from 'zod';\nimport { readFileSync } from 'node:fs';\nimport type { Logger } from '@cache/core';\nimport './local.js';\n" } },
      core: { files: { 'src/index.ts': "import { createHash } from 'node:crypto';\n" } },
    });
    expect(checkBoundaries(root, rules)).toEqual([]);
  });

  it('an unknown package directory is itself a violation', () => {
    const root = fixture({ cachetastic: { files: { 'src/index.ts': '' } } });
    expect(checkBoundaries(root, rules)[0]?.message).toMatch(/not in design.md's dependency table/);
  });

  it('finds static, type-only, re-export, side-effect, multi-line, dynamic and require imports', () => {
    const text = [
      "import a from 'a';",
      "import type { B } from 'b';",
      "export { c } from 'c';",
      "import 'd';",
      'import {',
      '  e,',
      "} from 'e';",
      "const f = await import('f');",
      "const g = require('g');",
      "export * from 'h';",
    ].join('\n');
    expect(importsOf(text).map((i) => `${i.specifier}@${i.line}`).sort()).toEqual(['a@1', 'b@2', 'c@3', 'd@4', 'e@7', 'f@8', 'g@9', 'h@10']);
  });
});
