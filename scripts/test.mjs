// `npm test`: typecheck, lint, build, then every test suite the repository has.
// Ends with one line "N passed, N failed" summing all suites; exits non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { INSTALL_HINT, missingTools } from '../test/e2e/tooling.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const resultsDir = path.join(root, '.artifacts', 'results');
fs.rmSync(resultsDir, { recursive: true, force: true });
fs.mkdirSync(resultsDir, { recursive: true });

const t0 = Date.now();
const failures = [];
const step = (name, cmd, args, { required = true } = {}) => {
  const t = Date.now();
  console.log(`\n=== ${name}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  const ok = r.status === 0;
  console.log(`=== ${name}: ${ok ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  if (!ok && required) failures.push(name);
  return ok;
};
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// The rehearsal lab's Lync Management Shell is real PowerShell (docs/lab.md): the integration
// suites drive it. Found as the lab finds it (src/lab/shell/pwsh.ts).
const POWERSHELL_HINT = 'bash scripts/install-powershell.sh';
const findPwsh = "import('./src/lab/shell/pwsh.ts').then((m) => process.exit((m.findPowerShell ?? m.default.findPowerShell)() ? 0 : 1))";
if (spawnSync(process.execPath, ['--import', 'tsx', '-e', findPwsh], { cwd: root }).status !== 0) {
  console.log(`\n=== PowerShell: not found (LYNC_PWSH, PATH, ~/.dotnet/tools); the lab's shell needs it: run ${POWERSHELL_HINT}`);
  if (process.env.CI) failures.push('PowerShell for the lab (missing)');
}

step('typecheck', npm, ['run', '-s', 'typecheck']);
step('lint', npm, ['run', '-s', 'lint']);
step('build', npm, ['run', '-s', 'build']);
step('node suites (unit, integration, lsp)', process.execPath, [
  'scripts/run-node-tests.mjs', '--results', path.join(resultsDir, 'node.json'),
  'test/unit', 'test/integration', 'test/lsp',
]);

// Microsoft's parsers and client judge what the product emits (docs/dev/oracles.md); each check's counts follow.
const countsDir = path.join(root, '.artifacts', 'oracles', 'counts');
fs.rmSync(countsDir, { recursive: true, force: true });
step('oracles (PowerShell parser, ScriptDom, SqlClient)', process.execPath, [
  'scripts/run-node-tests.mjs', '--results', path.join(resultsDir, 'oracles.json'), 'test/oracles',
]);
for (const f of fs.existsSync(countsDir) ? fs.readdirSync(countsDir).sort() : []) {
  const c = JSON.parse(fs.readFileSync(path.join(countsDir, f), 'utf8'));
  console.log(`    ${c.check}: ${c.texts} texts checked; parsers ${c.parsers.join(', ')}; disagreements ${c.disagreements}${c.disagreements ? ' (each documented in its corpus)' : ''}`);
}

// The extension in a real VS Code (code-server + Chromium, see README "Testing in a real VS Code").
const missingVscodeTools = missingTools();
if (missingVscodeTools.length === 0) {
  step('vscode harness typecheck', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'test/vscode']);
  if (step('vscode suite bundle', process.execPath, ['test/vscode/build.mjs'])) {
    step('vscode suite (extension host in code-server, trusted and untrusted workspace)', process.execPath, [
      'test/vscode/run-in-code-server.mjs', '--results', path.join(resultsDir, 'vscode.json'),
    ]);
  }
  // The packaged VSIX driven through the workbench in Chromium (README "End-to-end scenarios").
  if (step('package (VSIX for the e2e scenarios)', npm, ['run', '-s', 'package'])) {
    step('e2e scenarios (VSIX in code-server, Chromium, rehearsal lab)', process.execPath, [
      'test/e2e/run.mjs', '--results', path.join(resultsDir, 'e2e.json'),
    ]);
  }
} else if (process.env.CI) {
  console.log(`\n=== vscode suite and e2e scenarios: FAILED: missing ${missingVscodeTools.join(', ')}; .ci/run should have installed them (${INSTALL_HINT})`);
  failures.push('vscode suite and e2e scenarios (tools missing)');
} else {
  console.log(`\n=== vscode suite: skipped: missing ${missingVscodeTools.join(', ')}; run ${INSTALL_HINT}`);
  console.log(`=== e2e scenarios: skipped: missing ${missingVscodeTools.join(', ')}; run ${INSTALL_HINT}`);
}

let passed = 0;
let failed = 0;
for (const f of fs.readdirSync(resultsDir)) {
  const r = JSON.parse(fs.readFileSync(path.join(resultsDir, f), 'utf8'));
  passed += r.passed;
  failed += r.failed;
}
if (failures.length && failed === 0) failed = failures.length;
console.log(`\nnpm test finished in ${((Date.now() - t0) / 1000).toFixed(0)} s${failures.length ? `; failed steps: ${failures.join(', ')}` : ''}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failures.length ? 1 : 0);
