// Sums vitest JSON reports into the closing line of `pnpm test`.
//
// A test file can fail without any failed test: it fails to import, throws at the top level, or a
// beforeAll/afterAll hook throws (its tests are then skipped or passed). Vitest marks such a file
// `status: "failed"` with a `message` and counts it in numFailedTestSuites, but not in
// numFailedTests. Each such file counts as one failure here, so the closing line never reads
// "0 failed" for a run that failed.

/**
 * @typedef {{ name: string, status: string, message?: string, assertionResults?: Array<{ status: string }> }} FileResult
 * @typedef {{ numPassedTests: number, numFailedTests: number, numPendingTests: number, numTodoTests: number, testResults?: FileResult[] }} VitestReport
 * @typedef {{ passed: number, failed: number, skipped: number, failedFiles: Array<{ file: string, message: string }> }} Summary
 */

/**
 * Sums the reports. `failed` = failed tests + files that failed with no failed test in them.
 * @param {VitestReport[]} reports
 * @returns {Summary}
 */
export function summarise(reports) {
  const summary = { passed: 0, failed: 0, skipped: 0, failedFiles: [] };
  for (const report of reports) {
    summary.passed += report.numPassedTests;
    summary.failed += report.numFailedTests;
    summary.skipped += report.numPendingTests + report.numTodoTests;
    for (const file of report.testResults ?? []) {
      if (file.status !== 'failed') continue;
      if ((file.assertionResults ?? []).some((test) => test.status === 'failed')) continue;
      summary.failed += 1;
      summary.failedFiles.push({ file: file.name, message: firstLine(file.message) });
    }
  }
  return summary;
}

/**
 * The closing line: `N passed, N failed, N skipped`.
 * @param {Summary} summary
 */
export function closingLine(summary) {
  return `${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`;
}

/**
 * One line per file that failed outside any test, for the log above the closing line.
 * @param {Summary} summary
 */
export function failedFileLines(summary) {
  return summary.failedFiles.map(({ file, message }) => `failed outside any test: ${file}: ${message}`);
}

/** @param {string | undefined} message */
function firstLine(message) {
  const line = (message ?? '').split('\n')[0]?.trim() ?? '';
  return line === '' ? 'a hook or the file itself failed (see the output above)' : line;
}
