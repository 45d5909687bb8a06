#!/usr/bin/env node
// `pnpm lint` entry: fails when any package breaks design.md's dependency table.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBoundaries } from './check.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(process.argv[2] ?? join(here, '../../..'));
const rules = JSON.parse(readFileSync(join(here, '../rules.json'), 'utf8'));
const violations = checkBoundaries(root, rules);
for (const v of violations) console.error(`${v.file}:${v.line}  ${v.pkg}: ${v.message}`);
if (violations.length > 0) {
  console.error(`\nboundaries: ${violations.length} violation(s) of design.md's dependency table`);
  process.exit(1);
}
console.log('boundaries: every package imports only what design.md allows');
