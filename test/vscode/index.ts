/**
 * Entry point of the extension-host suite: VS Code (desktop or code-server) loads this module
 * through extensionTestsPath and awaits `run()`; a rejection makes the host exit non-zero.
 *
 * Environment (the extension host inherits it from whoever started VS Code; see the runners):
 *   LYNC_VSCODE_TEST_RESULTS     write {passed, failed, skipped, failures, vscodeVersion, durationMs} here
 *   LYNC_VSCODE_TEST_GREP        run only the tests whose full title matches this regular expression
 *   LYNC_VSCODE_TEST_TIMEOUT_MS  per-test timeout (default 20000)
 *   LYNC_VSCODE_TEST_TRUST       `trusted` (default): run suite/*; `untrusted`: run restricted/*, the
 *                                Restricted Mode checks. Either way the host's actual workspace trust
 *                                must match, or the run fails before any test (a harness that silently
 *                                opened the wrong mode would otherwise pass the wrong checks).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export interface SuiteFailure {
  readonly title: string;
  readonly error: string;
}

export interface SuiteResults {
  passed: number;
  failed: number;
  skipped: number;
  failures: SuiteFailure[];
  vscodeVersion: string;
  durationMs: number;
}

function writeResults(results: SuiteResults): void {
  const file = process.env.LYNC_VSCODE_TEST_RESULTS;
  if (!file) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(results, null, 2));
}

const errorText = (err: unknown): string => (err instanceof Error ? (err.stack ?? err.message) : String(err));

export function run(): Promise<void> {
  const started = Date.now();
  const results: SuiteResults = { passed: 0, failed: 0, skipped: 0, failures: [], vscodeVersion: vscode.version, durationMs: 0 };
  const grep = process.env.LYNC_VSCODE_TEST_GREP;
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: Number(process.env.LYNC_VSCODE_TEST_TIMEOUT_MS) || 20_000,
    ...(grep ? { grep: new RegExp(grep) } : {}),
  });
  const untrusted = process.env.LYNC_VSCODE_TEST_TRUST === 'untrusted';
  const suiteDir = path.join(__dirname, untrusted ? 'restricted' : 'suite');
  for (const file of fs.readdirSync(suiteDir).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(suiteDir, file));
  }

  return new Promise<void>((resolve, reject) => {
    const finish = (): void => {
      results.durationMs = Date.now() - started;
      writeResults(results);
      if (results.failed > 0) reject(new Error(`${results.failed} extension-host test(s) failed`));
      else resolve();
    };
    if (vscode.workspace.isTrusted === untrusted) {
      results.failed++;
      results.failures.push({
        title: 'workspace trust of the host',
        error: `the runner asked for a${untrusted ? 'n untrusted' : ' trusted'} workspace, but vscode.workspace.isTrusted is ${vscode.workspace.isTrusted}`,
      });
      finish();
      return;
    }
    try {
      const runner = mocha.run(() => finish());
      runner.on('pass', () => results.passed++);
      runner.on('pending', () => results.skipped++);
      // Also fires for failing hooks (suiteSetup, ...): those count as failures too.
      runner.on('fail', (test, err) => {
        results.failed++;
        results.failures.push({ title: test.fullTitle(), error: errorText(err) });
      });
    } catch (err) {
      // A test file that throws while loading.
      results.failed++;
      results.failures.push({ title: 'loading the extension-host suite', error: errorText(err) });
      finish();
    }
  });
}
