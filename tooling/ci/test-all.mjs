#!/usr/bin/env node
// The README's test command (`pnpm test`): build + typecheck + lint (boundaries, publint, attw) + test
// of every workspace package through turbo, then one closing line `N passed, N failed, N skipped` summed
// from each package's vitest JSON report (a test file that fails to load counts as failed; see
// src/summarise.mjs). Exits non-zero on any failure or when no test ran.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closingLine, failedFileLines, summarise } from './src/summarise.mjs';

const started = Date.now();
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const workspaceDirs = ['packages', 'tooling', 'examples']
  .flatMap((group) => (existsSync(join(root, group)) ? readdirSync(join(root, group)).map((d) => join(root, group, d)) : []))
  .filter((dir) => existsSync(join(dir, 'package.json')));
const reports = workspaceDirs.map((dir) => join(dir, '.vitest-results.json'));
for (const file of reports) rmSync(file, { force: true });

const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { TURBO_TELEMETRY_DISABLED: '1', ...process.env } }).status ?? 1;

const turbo = run('pnpm', ['exec', 'turbo', 'run', 'build', 'typecheck', 'lint', 'test', '--continue', '--concurrency=2', ...process.argv.slice(2)]);

const found = [];
const missing = [];
for (const file of reports) {
  const pkg = JSON.parse(readFileSync(join(dirname(file), 'package.json'), 'utf8'));
  if (!pkg.scripts?.test) continue;
  if (!existsSync(file)) {
    missing.push(pkg.name);
    continue;
  }
  found.push(JSON.parse(readFileSync(file, 'utf8')));
}
const summary = summarise(found);
for (const line of failedFileLines(summary)) console.error(line);
if (missing.length) console.error(`no test report from: ${missing.join(', ')}`);
if (turbo !== 0) console.error('turbo run failed (see the task output above)');
console.log(`test wall time: ${Math.round((Date.now() - started) / 1000)}s`);
console.log(closingLine(summary));
process.exit(turbo === 0 && summary.failed === 0 && missing.length === 0 && summary.passed > 0 ? 0 : 1);
