import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closingLine, failedFileLines, summarise } from '../src/summarise.mjs';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'suites');
const vitestBin = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

let dir: string;
let report: Parameters<typeof summarise>[0][number];

// A real vitest run of the fixture suites, reported as `pnpm test` reports every package.
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ci-summarise-'));
  const output = join(dir, 'report.json');
  const run = spawnSync(process.execPath, [vitestBin, 'run', '--root', fixtures, '--reporter=json', `--outputFile.json=${output}`], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.status).toBe(1);
  report = JSON.parse(readFileSync(output, 'utf8'));
}, 90_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the closing line of pnpm test', () => {
  it('vitest itself counts the file that failed to load as a failed suite but not as a failed test', () => {
    expect(report.numFailedTests).toBe(1);
    expect((report as { numFailedTestSuites: number }).numFailedTestSuites).toBeGreaterThanOrEqual(3);
  });

  it('counts a file that fails to load and a file whose setup throws as failed, besides the failed test', () => {
    const summary = summarise([report]);
    expect(closingLine(summary)).toBe('2 passed, 3 failed, 1 skipped');
  });

  it('names each file that failed outside any test, with the reason', () => {
    const lines = failedFileLines(summarise([report]));
    expect(lines).toHaveLength(2);
    expect(lines).toContainEqual(expect.stringMatching(/fails-to-load\.suite\.ts: .*no-such-module/));
    expect(lines).toContainEqual(expect.stringMatching(/failing-hook\.suite\.ts: /));
  });

  it('sums several packages, and a report with only passing files has nothing failed', () => {
    const passing = { numPassedTests: 4, numFailedTests: 0, numPendingTests: 1, numTodoTests: 1, testResults: [{ name: 'a.test.ts', status: 'passed', message: '', assertionResults: [] }] };
    expect(closingLine(summarise([passing]))).toBe('4 passed, 0 failed, 2 skipped');
    expect(closingLine(summarise([report, passing]))).toBe('6 passed, 3 failed, 3 skipped');
  });
});
