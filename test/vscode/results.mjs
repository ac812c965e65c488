// @ts-check
// Turns what the extension-host suite wrote (test/vscode/index.ts) plus the host's exit code
// into one verdict, shared by both runners. A run that wrote nothing, ran no test, or whose host
// exited non-zero with no failing test still counts as a failure.
import fs from 'node:fs';
import path from 'node:path';

/**
 * @typedef {object} SuiteResults
 * @property {number} passed
 * @property {number} failed
 * @property {number} skipped
 * @property {{ title: string, error: string }[]} failures
 * @property {string} [vscodeVersion]
 * @property {number} [durationMs]
 */

/**
 * @param {string} rawFile       where the suite was told to write (LYNC_VSCODE_TEST_RESULTS)
 * @param {number} hostExitCode  what the extension host / workbench reported
 * @returns {SuiteResults}
 */
export function settleResults(rawFile, hostExitCode) {
  /** @type {SuiteResults} */
  let results;
  try {
    results = JSON.parse(fs.readFileSync(rawFile, 'utf8'));
  } catch {
    results = { passed: 0, failed: 0, skipped: 0, failures: [] };
  }
  const fail = (/** @type {string} */ title, /** @type {string} */ error) => {
    results.failed++;
    results.failures.push({ title, error });
  };
  if (!fs.existsSync(rawFile)) fail('extension-host suite', `wrote no results (host exit code ${hostExitCode}); see the log above`);
  else if (hostExitCode !== 0 && results.failed === 0) fail('extension-host suite', `the host exited with code ${hostExitCode}`);
  else if (results.passed + results.failed === 0) fail('extension-host suite', 'ran no test');
  return results;
}

/**
 * Prints the failures and the closing count line; writes the results to `outFile` if given.
 * @param {SuiteResults} results
 * @param {string | undefined} outFile
 */
export function reportResults(results, outFile) {
  for (const { title, error } of results.failures) console.log(`\n✗ ${title}\n  ${error.split('\n').join('\n  ')}`);
  if (outFile) {
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, JSON.stringify(results, null, 2));
  }
  console.log(`\nvscode: ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
}

/**
 * The results of several passes (hosts) as one: counts summed, failures kept, the version of the first.
 * @param {SuiteResults[]} passes
 * @returns {SuiteResults}
 */
export function combineResults(passes) {
  return {
    passed: passes.reduce((n, r) => n + r.passed, 0),
    failed: passes.reduce((n, r) => n + r.failed, 0),
    skipped: passes.reduce((n, r) => n + r.skipped, 0),
    failures: passes.flatMap((r) => r.failures),
    vscodeVersion: passes[0]?.vscodeVersion,
    durationMs: passes.reduce((n, r) => n + (r.durationMs ?? 0), 0),
  };
}
