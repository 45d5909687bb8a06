import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const STATIC = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
const ANY = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;

/**
 * Every bare (non-relative) specifier a built ESM file imports, following its relative chunks:
 * static imports and re-exports only, or with `dynamic: true` also `import()` and `require()`
 * (what may be loaded later, e.g. an optional peer loaded on first use).
 */
export function importedSpecifiers(file: string, o: { dynamic?: boolean } = {}): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  const visit = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const m of readFileSync(path, 'utf8').matchAll(o.dynamic ? ANY : STATIC)) {
      const specifier = (m[1] ?? m[2]) as string;
      if (specifier.startsWith('.')) visit(join(dirname(path), specifier));
      else out.add(specifier);
    }
  };
  visit(file);
  return out;
}

// Runs in the child: names of the packages (nearest package.json with a name) of every loaded module.
const PROBE = `
const fs = require('node:fs'), path = require('node:path');
const memo = new Map(), names = new Set();
for (const file of Object.keys(require.cache)) {
  const walked = [];
  let dir = path.dirname(file), name;
  for (;;) {
    if (memo.has(dir)) { name = memo.get(dir); break; }
    walked.push(dir);
    try { name = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name; } catch {}
    if (typeof name === 'string') break;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  for (const d of walked) memo.set(d, name);
  if (typeof name === 'string') names.add(name);
}
console.log(JSON.stringify([...names].sort()));
`;

/**
 * Names of the packages whose modules `require(target)` loads in a fresh Node process (`target` is
 * a file path or a package specifier resolved from `cwd`). Each module counts under the name of
 * its nearest `package.json`, so workspace packages (linked, outside `node_modules`) and packages
 * in pnpm's store are both reported by their real names.
 */
export function cjsLoadedPackages(target: string, o: { cwd?: string } = {}): string[] {
  const script = `require(${JSON.stringify(target)});${PROBE}`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', ...(o.cwd ? { cwd: o.cwd } : {}) })) as string[];
}
