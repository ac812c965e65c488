// @ts-check
// Runs the extension-host suite (out/test/vscode, bundled by build.mjs) inside the REMOTE
// extension host of a throw-away code-server, the way microsoft/vscode's
// test/integration/browser does: the workbench URL's `payload` carries extensionDevelopmentPath
// (the repository root: package.json + dist/extension.js) and extensionTestsPath; the workbench
// relays the host's console through window.codeAutomationLog and reports the end through
// window.codeAutomationExit(code), both exposed to the page with Playwright's exposeBinding.
//
//   node test/vscode/run-in-code-server.mjs [--results FILE] [--pass trusted|untrusted]
//
// Two passes, each a fresh code-server on a fresh copy of samples/litware: `trusted` (workspace
// trust disabled) runs test/vscode/suite; `untrusted` (trust enabled, the folder left untrusted:
// Restricted Mode) runs test/vscode/restricted. The extension host inherits code-server's
// environment, which is how LYNC_VSCODE_TEST_* variables reach test/vscode/index.ts.
// Env: LYNC_VSCODE_RUN_TIMEOUT_MS  whole run (default 180000)
//      LYNC_VSCODE_KEEP=1          keep the server's temporary folder (logs, workspace)
//      LYNC_VSCODE_VERBOSE=1       also relay the browser console
//      and those of test/e2e/tooling.mjs (where code-server and Chromium are).
// Artifacts: .artifacts/vscode/ (results; per pass, on failure, a screenshot and the server's logs).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../e2e/browser.mjs';
import { startCodeServer } from '../e2e/code-server.mjs';
import { groupPids, PeakMemory, stopProcessGroups } from '../e2e/processes.mjs';
import { codeServerLocation, INSTALL_HINT, missingTools } from '../e2e/tooling.mjs';
import { combineResults, reportResults, settleResults } from './results.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const testsEntry = path.join(root, 'out', 'test', 'vscode', 'index');
const artifacts = path.join(root, '.artifacts', 'vscode');
const runTimeoutMs = Number(process.env.LYNC_VSCODE_RUN_TIMEOUT_MS) || 180_000;

const argv = process.argv.slice(2);
/** @param {string} flag */
const option = (flag) => { const i = argv.indexOf(flag); return i >= 0 ? argv[i + 1] : undefined; };
const resultsFile = path.resolve(option('--results') ?? path.join(artifacts, 'results.json'));
const PASSES = /** @type {const} */ (['trusted', 'untrusted']);
const onlyPass = option('--pass');
if (onlyPass !== undefined && !PASSES.includes(/** @type {any} */ (onlyPass))) {
  console.error(`[vscode] --pass ${onlyPass}: expected ${PASSES.join(' or ')}`);
  process.exit(2);
}

const started = Date.now();
/** @param {string} message */
const log = (message) => console.log(`[vscode ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

const missing = missingTools();
if (missing.length > 0) {
  console.error(`[vscode] missing ${missing.join(', ')}: run ${INSTALL_HINT}`);
  process.exit(2);
}
for (const [file, how] of [[`${testsEntry}.js`, 'node test/vscode/build.mjs'], [path.join(root, 'dist', 'extension.js'), 'npm run build']]) {
  if (!fs.existsSync(file)) {
    console.error(`[vscode] ${path.relative(root, file)} is missing: run ${how} (npm run test:vscode does both)`);
    process.exit(2);
  }
}

/** "4.100.3 <commit> with Code 1.100.3" → "1.100" */
function vscodeMajorMinor() {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-code-server-version-'));
  try {
    const out = execFileSync(codeServerLocation().bin, ['--config', '/dev/null', '--version'], {
      encoding: 'utf8', env: { ...process.env, XDG_DATA_HOME: scratch, XDG_CONFIG_HOME: scratch },
    });
    return /with Code (\d+\.\d+)/.exec(out)?.[1];
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** @type {(() => Promise<void>) | undefined} */
let stopCurrentPass;
for (const [signal, code] of /** @type {const} */ ([['SIGINT', 130], ['SIGTERM', 143]])) {
  process.on(signal, () => { void (stopCurrentPass?.() ?? Promise.resolve()).finally(() => process.exit(code)); });
}

/**
 * One pass: a fresh code-server (workspace trust as `trust` says), Chromium on its workbench, the
 * suite in its extension host; returns the settled results.
 * @param {'trusted' | 'untrusted'} trust
 */
async function runPass(trust) {
  const passArtifacts = path.join(artifacts, trust);
  fs.mkdirSync(passArtifacts, { recursive: true });
  const rawResults = path.join(passArtifacts, 'suite-results.json');
  const memory = new PeakMemory();
  /** @type {import('../e2e/code-server.mjs').CodeServer | undefined} */
  let server;
  /** @type {import('../e2e/browser.mjs').LaunchedBrowser | undefined} */
  let browser;
  /** @type {Promise<void> | undefined} */
  let cleaning;
  /** Stops the browser and the server once; a signal and the main flow may both ask for it. */
  const cleanUp = () => (cleaning ??= stopEverything());
  async function stopEverything() {
    memory.sample();
    memory.stop();
    await browser?.close();
    // Playwright stops Chromium's process group itself; this only sweeps up stragglers.
    const browserGroup = browser?.pid ? [browser.pid] : [];
    const killed = [...(await server?.stop() ?? []), ...(await stopProcessGroups(browserGroup, 2000))];
    const left = [...browserGroup, ...(server ? [server.pgid] : [])].flatMap(groupPids);
    log(`${trust}: stopped code-server and Chromium${killed.length ? ` (SIGKILLed ${killed.join(', ')})` : ''}; ` +
      `${left.length ? `LEFT RUNNING: ${left.join(', ')}` : 'no process left'}; peak PSS MiB: ${memory}`);
    if (server && process.env.LYNC_VSCODE_KEEP === '1') log(`kept ${server.root}`);
  }
  stopCurrentPass = cleanUp;

  let hostExitCode = 1;
  try {
    server = await startCodeServer({
      workspaceFrom: path.join(root, 'samples', 'litware'),
      workspaceTrust: trust === 'untrusted',
      env: {
        LYNC_VSCODE_TEST_RESULTS: rawResults,
        LYNC_VSCODE_TEST_TRUST: trust,
        ...(expectedVersion ? { LYNC_VSCODE_EXPECTED_VERSION: expectedVersion } : {}),
      },
      keep: process.env.LYNC_VSCODE_KEEP === '1',
    });
    memory.track('code-server', server.pgid);
    log(`${trust}: code-server (VS Code ${expectedVersion ?? '?'}) ready at ${server.url}`);

    browser = await launchChromium();
    if (browser.pid) memory.track('chromium', browser.pid);
    const { context } = browser;

    /** @type {(code: number) => void} */
    let finish = () => {};
    /** @type {Promise<number>} */
    const finished = new Promise((resolve) => { finish = resolve; });
    const timer = setTimeout(() => { log(`${trust}: no result after ${runTimeoutMs} ms`); finish(124); }, runTimeoutMs);
    await context.exposeBinding('codeAutomationLog', (_source, /** @type {string} */ type, /** @type {unknown} */ args) => {
      const write = type === 'error' ? console.error : type === 'warn' ? console.warn : console.log;
      write(...(Array.isArray(args) ? args : [args]));
    });
    await context.exposeBinding('codeAutomationExit', (_source, /** @type {unknown} */ code) => {
      finish(typeof code === 'number' ? code : 1);
    });

    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`[vscode page error] ${e.message}`));
    page.on('crash', () => { log(`${trust}: the workbench page crashed`); finish(3); });
    if (process.env.LYNC_VSCODE_VERBOSE === '1') page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text()}`));

    await page.goto(server.workbenchUrl([
      ['extensionDevelopmentPath', server.remoteUri(root)],
      ['extensionTestsPath', server.remoteUri(testsEntry)],
      ['skipWelcome', 'true'],
    ]));
    hostExitCode = await finished;
    clearTimeout(timer);
    log(`${trust}: extension host finished with code ${hostExitCode}`);

    if (hostExitCode !== 0) {
      await page.screenshot({ path: path.join(passArtifacts, 'workbench.png') }).catch(() => {});
      fs.cpSync(path.join(server.userDataDir, 'logs'), path.join(passArtifacts, 'logs'), { recursive: true });
      fs.copyFileSync(server.logFile, path.join(passArtifacts, 'logs', 'code-server.log'));
      log(`${trust}: workbench screenshot and code-server logs in ${path.relative(root, passArtifacts)}/`);
    }
  } catch (e) {
    console.error(`[vscode] ${trust}: ${e instanceof Error ? (e.stack ?? e.message) : e}`);
  } finally {
    await cleanUp();
  }
  return settleResults(rawResults, hostExitCode);
}

fs.rmSync(artifacts, { recursive: true, force: true });
fs.mkdirSync(artifacts, { recursive: true });
const expectedVersion = vscodeMajorMinor();

/** @type {import('./results.mjs').SuiteResults[]} */
const passes = [];
for (const trust of PASSES.filter((p) => onlyPass === undefined || p === onlyPass)) {
  const results = await runPass(trust);
  log(`${trust}: ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
  passes.push({ ...results, failures: results.failures.map((f) => ({ ...f, title: `[${trust}] ${f.title}` })) });
}
const results = combineResults(passes);
reportResults(results, resultsFile);
process.exit(results.failed > 0 ? 1 : 0);
