#!/usr/bin/env node
// `pnpm demo` (run from the repository root): builds the packages the demo imports with turbo —
// quietly, its output shown only when the build fails — then runs the demo with the given options.
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const demo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(demo, '../..');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };

process.stderr.write('building the packages the demo uses (turbo; a minute or two the first time, cached after that) …\n');
const build = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@cache-examples/demo...', '--output-logs=errors-only'], { cwd: root, env, encoding: 'utf8' });
if (build.status !== 0) {
  process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}${build.error ? `${build.error.message}\n` : ''}the build failed; nothing was run\n`);
  process.exit(build.status ?? 1);
}
const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...process.argv.slice(2)], { cwd: demo, env, stdio: 'inherit' });
process.exit(run.status ?? 1);
