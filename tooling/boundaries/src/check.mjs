// Mechanical check of design.md's package boundaries. Plain JS so it runs before anything is built.
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';

const SOURCE = /\.(?:[cm]?ts|[cm]?js|tsx)$/;
const STATIC = /(?:^|[^\w$.])(?:import|export)\s*(?:type\s+)?(?:[\w$*{}\s,]+?\s*from\s*)?['"]([^'"\n]+)['"]/g;
const DYNAMIC = /\b(?:import|require)\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g;
const BUILTINS = new Set(builtinModules);

/** @typedef {{ cache: string[]; runtime: string[]; optionalPeers?: string[] }} Rule */
/** @typedef {{ pkg: string; file: string; line: number; message: string }} Violation */

function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? (name === 'node_modules' ? [] : walk(path)) : SOURCE.test(name) ? [path] : [];
  });
}

/** Every import specifier in `text`, with its 1-based line. */
export function importsOf(text) {
  const found = [];
  for (const re of [STATIC, DYNAMIC]) {
    for (const m of text.matchAll(re)) {
      const offset = m.index + m[0].lastIndexOf(m[1]);
      found.push({ specifier: m[1], line: text.slice(0, offset).split('\n').length });
    }
  }
  return found;
}

function packageNameOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function exportedSubpaths(pkgJson) {
  const exp = pkgJson.exports;
  if (!exp || typeof exp !== 'object') return new Set(['.']);
  return new Set(Object.keys(exp).filter((k) => k.startsWith('.') && exp[k] !== null));
}

/**
 * Checks every package under `<root>/packages` against `rules` (design.md's table).
 * @param {string} root repository root
 * @param {Record<string, Rule>} rules
 * @returns {Violation[]}
 */
export function checkBoundaries(root, rules) {
  /** @type {Violation[]} */
  const violations = [];
  const packagesDir = join(root, 'packages');
  const dirs = readdirSync(packagesDir).filter((d) => existsSync(join(packagesDir, d, 'package.json')));
  const rootManifest = existsSync(join(root, 'package.json')) ? JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) : {};
  const workspaceDevDeps = Object.keys(rootManifest.devDependencies ?? {});
  const manifests = new Map(dirs.map((d) => [d, JSON.parse(readFileSync(join(packagesDir, d, 'package.json'), 'utf8'))]));

  for (const dir of dirs) {
    const pkgDir = join(packagesDir, dir);
    const manifest = manifests.get(dir);
    const report = (file, line, message) => violations.push({ pkg: `@cache/${dir}`, file: relative(root, file), line, message });
    const rule = rules[dir];
    if (!rule) {
      report(join(pkgDir, 'package.json'), 1, `packages/${dir} is not in design.md's dependency table (tooling/boundaries/rules.json)`);
      continue;
    }
    if (manifest.name !== `@cache/${dir}`) report(join(pkgDir, 'package.json'), 1, `name must be @cache/${dir}, found ${manifest.name}`);

    const allowedCache = new Set(rule.cache.map((n) => `@cache/${n}`));
    const allowedThirdParty = new Set([...rule.runtime, ...(rule.optionalPeers ?? [])]);
    const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
    const declaredAny = new Set([...declared, ...Object.keys(manifest.devDependencies ?? {}), ...workspaceDevDeps]);

    for (const dep of declared) {
      const ok = dep.startsWith('@cache/') ? allowedCache.has(dep) : allowedThirdParty.has(dep);
      if (!ok) report(join(pkgDir, 'package.json'), 1, `runtime dependency ${dep} is not allowed for @cache/${dir} by design.md`);
    }

    const checkFile = (file, isSource) => {
      for (const { specifier, line } of importsOf(readFileSync(file, 'utf8'))) {
        if (specifier.startsWith('.')) {
          const target = resolve(file, '..', specifier);
          if (!(target + sep).startsWith(pkgDir + sep)) report(file, line, `relative import ${specifier} leaves the package; import the public entry instead`);
          continue;
        }
        if (specifier.startsWith('node:') || BUILTINS.has(specifier)) continue;
        const name = packageNameOf(specifier);
        if (name.startsWith('@cache/')) {
          const target = manifests.get(name.slice('@cache/'.length));
          const subpath = `.${specifier.slice(name.length)}`;
          if (target && !exportedSubpaths(target).has(subpath)) {
            report(file, line, `${specifier} is not a public entry of ${name} (its exports map has no "${subpath}")`);
          }
          if (name === `@cache/${dir}`) continue;
        }
        if (!isSource) {
          if (!declaredAny.has(name)) report(file, line, `${name} is imported by a test but declared neither in package.json nor in the root devDependencies`);
          continue;
        }
        const allowed = name.startsWith('@cache/') ? allowedCache.has(name) : allowedThirdParty.has(name);
        if (!allowed) {
          report(file, line, `@cache/${dir} may not import ${name} (design.md allows: ${[...allowedCache, ...allowedThirdParty].join(', ') || 'nothing'})`);
        } else if (!declared.has(name)) {
          report(file, line, `${name} is imported but not declared in dependencies/peerDependencies`);
        }
      }
    };
    for (const file of walk(join(pkgDir, 'src'))) checkFile(file, true);
    for (const file of [...walk(join(pkgDir, 'test')), ...walk(join(pkgDir, 'bench'))]) checkFile(file, false);
  }
  return violations;
}
