// @ts-check
// Runs the same extension-host suite (out/test/vscode, bundled by build.mjs) in desktop VS Code
// through @vscode/test-electron, for machines that have VS Code or can download it.
//
//   node test/vscode/run-in-electron.mjs [--results FILE]
//
// Env: VSCODE_EXECUTABLE     an installed VS Code's executable (e.g. /usr/share/code/code, or
//                            "Visual Studio Code.app/Contents/MacOS/Electron"); without it
//                            @vscode/test-electron downloads LYNC_VSCODE_VERSION (default 1.100.3,
//                            the oldest VS Code engines.vscode accepts) into
//                            LYNC_VSCODE_DOWNLOAD_CACHE (default $HOME/.cache/lync-recovery/vscode-test).
//      LYNC_VSCODE_VERSION   see above
// On Linux without a display, run it under xvfb-run. This machine and CI have no desktop VS Code
// and no download: they use run-in-code-server.mjs.
// The workspace is a fresh copy of samples/litware; LYNC_VSCODE_TEST_* reach the extension host
// through runTests' extensionTestsEnv. Only the trusted suite (test/vscode/suite) runs here:
// runTests always passes --disable-workspace-trust, so the Restricted Mode suite
// (test/vscode/restricted) runs in run-in-code-server.mjs's untrusted pass. Results: .artifacts/vscode-electron/results.json.
import { runTests } from '@vscode/test-electron';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportResults, settleResults } from './results.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const artifacts = path.join(root, '.artifacts', 'vscode-electron');
const argv = process.argv.slice(2);
const resultsIndex = argv.indexOf('--results');
const resultsFile = resultsIndex >= 0 ? path.resolve(argv[resultsIndex + 1]) : path.join(artifacts, 'results.json');

const testsEntry = path.join(root, 'out', 'test', 'vscode', 'index');
for (const [file, how] of [[`${testsEntry}.js`, 'node test/vscode/build.mjs'], [path.join(root, 'dist', 'extension.js'), 'npm run build']]) {
  if (!fs.existsSync(file)) {
    console.error(`[vscode-electron] ${path.relative(root, file)} is missing: run ${how} (npm run test:electron does both)`);
    process.exit(2);
  }
}

const executable = process.env.VSCODE_EXECUTABLE;
const version = process.env.LYNC_VSCODE_VERSION || '1.100.3';
const downloadCache = process.env.LYNC_VSCODE_DOWNLOAD_CACHE || path.join(os.homedir(), '.cache', 'lync-recovery', 'vscode-test');
fs.rmSync(artifacts, { recursive: true, force: true });
fs.mkdirSync(artifacts, { recursive: true });
const rawResults = path.join(artifacts, 'suite-results.json');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-vscode-electron-'));
const workspace = path.join(tmp, 'workspace');
fs.cpSync(path.join(root, 'samples', 'litware'), workspace, { recursive: true });

let hostExitCode = 1;
try {
  console.log(`[vscode-electron] ${executable ? `VS Code at ${executable}` : `VS Code ${version} (downloaded by @vscode/test-electron)`}`);
  hostExitCode = await runTests({
    ...(executable ? { vscodeExecutablePath: executable } : { version, cachePath: downloadCache }),
    extensionDevelopmentPath: root,
    extensionTestsPath: testsEntry,
    extensionTestsEnv: {
      LYNC_VSCODE_TEST_RESULTS: rawResults,
      // A downloaded numbered release is the version the host must report (not 'stable', 'insiders').
      ...(!executable && /^\d+\.\d+/.test(version) ? { LYNC_VSCODE_EXPECTED_VERSION: version.replace(/^(\d+\.\d+).*$/, '$1') } : {}),
    },
    launchArgs: [
      workspace,
      '--disable-extensions', // other installed extensions; the one under development still loads
      `--user-data-dir=${path.join(tmp, 'user-data')}`,
      `--extensions-dir=${path.join(tmp, 'extensions')}`,
      '--disable-telemetry',
    ],
  });
} catch (e) {
  // runTests rejects with TestRunFailedError when VS Code exits non-zero, and with a download
  // error when VS Code cannot be fetched (offline: set VSCODE_EXECUTABLE).
  const code = /** @type {{ code?: unknown }} */ (e).code;
  if (typeof code === 'number') hostExitCode = code;
  else console.error(`[vscode-electron] ${e instanceof Error ? e.message : e}${executable ? '' : '\n  no VS Code could be had: set VSCODE_EXECUTABLE to an installed one, or use npm run test:vscode (code-server)'}`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}

const results = settleResults(rawResults, hostExitCode);
reportResults(results, resultsFile);
process.exit(results.failed > 0 ? 1 : 0);
