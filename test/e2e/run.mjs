// @ts-check
// The end-to-end scenarios (test/e2e/scenarios/*.mjs): the packaged VSIX (dist/lync-recovery.vsix,
// the shipped bundle without node_modules) installed in a throw-away code-server, a copy of
// samples/litware as the workspace, the rehearsal lab started beside it the way `npm run demo`
// does (its own process group; LYNC_RECOVERY_LAB points the extension at its info JSON), and the
// workbench driven in Chromium through playwright-core.
//
//   npm run test:e2e                          (packages the VSIX first)
//   node test/e2e/run.mjs [--results FILE] [--grep REGEXP]
//
// Scenarios run in file order; consecutive scenarios on the same lab scenario share one lab,
// one code-server and one page (scenario 3 rehearses the runbook scenario 2 repaired).
// Artifacts: .artifacts/e2e/ (a screenshot of each state, the lab's log; on failure a screenshot
// and the server's logs). Results: .artifacts/results/e2e.json ({ passed, failed, skipped, … }).
// E2E_UPDATE_SCREENSHOTS=1 copies the README's screenshots of the passing scenarios to media/readme/.
// Env: LYNC_E2E_GREP (as --grep), LYNC_E2E_KEEP=1 (keep the servers' folders), LYNC_E2E_VERBOSE=1
// (relay the browser console), and those of test/e2e/tooling.mjs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium } from './browser.mjs';
import { languagePackVsix } from './language-pack.mjs';
import { startCodeServer } from './code-server.mjs';
import { startLabChild } from './lab.mjs';
import { groupPids, PeakMemory, stopProcessGroups } from './processes.mjs';
import { INSTALL_HINT, missingTools } from './tooling.mjs';
import { Workbench } from './workbench.mjs';

/**
 * @typedef {object} ScenarioContext
 * @property {Workbench} wb
 * @property {import('playwright-core').Page} page
 * @property {import('./code-server.mjs').CodeServer} server
 * @property {import('./lab.mjs').LabChild} lab
 * @property {(file: string) => string} pristine   a file of samples/litware as shipped
 * @property {(name: string, options?: { readme?: boolean }) => Promise<void>} shot  a screenshot of the state reached
 */

/**
 * @typedef {object} Scenario
 * @property {string} title
 * @property {'steady' | 'pchat-dc-loss' | 'pool-loss'} lab  the lab scenario it needs
 * @property {string} [locale]  VS Code's display language (a stub language pack makes it take effect)
 * @property {(ctx: ScenarioContext) => Promise<void>} run
 * @property {number} [timeoutMs]
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const artifacts = path.join(root, '.artifacts', 'e2e');
const readmeMedia = path.join(root, 'media', 'readme');
const vsix = path.join(root, 'dist', 'lync-recovery.vsix');
const scenarioTimeoutMs = Number(process.env.LYNC_E2E_SCENARIO_TIMEOUT_MS) || 240_000;

const argv = process.argv.slice(2);
const argValue = (/** @type {string} */ flag) => {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
};
const resultsFile = path.resolve(argValue('--results') ?? path.join(root, '.artifacts', 'results', 'e2e.json'));
const grep = argValue('--grep') ?? process.env.LYNC_E2E_GREP;

const started = Date.now();
/** @param {string} message */
const log = (message) => console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

const missing = missingTools();
if (missing.length > 0) {
  console.error(`[e2e] missing ${missing.join(', ')}: run ${INSTALL_HINT}`);
  process.exit(2);
}
if (!fs.existsSync(vsix)) {
  console.error(`[e2e] ${path.relative(root, vsix)} is missing: run npm run package (npm run test:e2e does both)`);
  process.exit(2);
}

/** @type {{ file: string, scenario: Scenario }[]} */
const all = [];
const scenarioDir = path.join(root, 'test', 'e2e', 'scenarios');
for (const file of fs.readdirSync(scenarioDir).filter((f) => f.endsWith('.mjs')).sort()) {
  const scenario = /** @type {Scenario} */ ((await import(pathToFileURL(path.join(scenarioDir, file)).href)).default);
  all.push({ file, scenario });
}
const selected = grep ? all.filter(({ file, scenario }) => new RegExp(grep, 'i').test(`${file} ${scenario.title}`)) : all;

fs.rmSync(artifacts, { recursive: true, force: true });
fs.mkdirSync(artifacts, { recursive: true });

/**
 * @typedef {object} Outcome
 * @property {string} file
 * @property {string} title
 * @property {'passed' | 'failed' | 'skipped'} status
 * @property {number} ms
 * @property {string} [error]
 * @property {string[]} screenshots
 * @property {string[]} readmeShots
 */
/** @type {Outcome[]} */
const outcomes = all.filter((s) => !selected.includes(s)).map(({ file, scenario }) => ({ file, title: scenario.title, status: 'skipped', ms: 0, screenshots: [], readmeShots: [] }));

/** Everything started for one lab scenario, stopped together. */
/** @type {{ lab?: import('./lab.mjs').LabChild, labRoot?: string, server?: import('./code-server.mjs').CodeServer, browser?: import('./browser.mjs').LaunchedBrowser } | undefined} */
let session;
const memory = new PeakMemory();

/** Stops the current session: browser, code-server, lab; says whether anything was left running. */
async function stopSession() {
  const s = session;
  session = undefined;
  if (!s) return;
  memory.sample();
  await s.browser?.close();
  const browserGroup = s.browser?.pid ? [s.browser.pid] : [];
  const killed = [
    ...(await s.server?.stop() ?? []),
    ...(await s.lab?.stop() ?? []),
    ...(await stopProcessGroups(browserGroup, 2000)),
  ];
  if (s.labRoot) fs.rmSync(s.labRoot, { recursive: true, force: true });
  const left = [...browserGroup, ...(s.server ? [s.server.pgid] : []), ...(s.lab ? [s.lab.pgid] : [])].flatMap(groupPids);
  log(`stopped Chromium, code-server and the lab${killed.length ? ` (SIGKILLed ${killed.join(', ')})` : ''}; ${left.length ? `LEFT RUNNING: ${left.join(', ')}` : 'no process left'}`);
}
for (const [signal, code] of /** @type {const} */ ([['SIGINT', 130], ['SIGTERM', 143]])) {
  process.on(signal, () => { void stopSession().finally(() => process.exit(code)); });
}

/** @param {Scenario['lab']} labScenario @param {string} [locale] */
async function startSession(labScenario, locale) {
  session = {};
  session.labRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-e2e-lab-'));
  session.lab = await startLabChild({ root: session.labRoot, scenario: labScenario, log: path.join(artifacts, `lab-${labScenario}.log`) });
  memory.track(`lab(${labScenario})`, session.lab.pgid);
  log(`lab ${labScenario} running (process group ${session.lab.pgid}), info in ${session.lab.infoFile}`);
  session.server = await startCodeServer({
    workspaceFrom: path.join(root, 'samples', 'litware'),
    installExtensions: [vsix, ...(locale ? [languagePackVsix(locale, artifacts)] : [])],
    ...(locale ? { locale } : {}),
    env: { LYNC_RECOVERY_LAB: session.lab.infoFile },
    settings: {
      // Live status only when asked (and once when the view opens): the assertions see a stable tree.
      'lyncRecovery.live.autoRefreshSeconds': 0,
      'lyncRecovery.live.timeoutSeconds': 3,
      // The modal confirmations are part of what is tested: every one is answered in the UI.
      'lyncRecovery.rehearsal.confirmDestructive': true,
      'workbench.editor.enablePreview': false,
      'editor.minimap.enabled': false,
      // The lab's ports are not for the Ports view.
      'remote.autoForwardPorts': false,
    },
    keep: process.env.LYNC_E2E_KEEP === '1',
  });
  memory.track(`code-server(${labScenario})`, session.server.pgid);
  log(`code-server ready at ${session.server.url}, workspace ${session.server.workspace}`);
  session.browser = await launchChromium({ viewport: { width: 1440, height: 900 } });
  if (session.browser.pid) memory.track(`chromium(${labScenario})`, session.browser.pid);
  const page = await session.browser.context.newPage();
  page.on('pageerror', (e) => console.error(`[e2e page error] ${e.message}`));
  if (process.env.LYNC_E2E_VERBOSE === '1') page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text()}`));
  await page.goto(session.server.workbenchUrl());
  const wb = new Workbench(page, { shotsDir: artifacts, log: (m) => log(`  ${m}`) });
  await wb.ready();
  log('workbench ready, extension active');
  return { page, wb, server: session.server, lab: session.lab };
}

/** @param {string} file */
const pristine = (file) => fs.readFileSync(path.join(root, 'samples', 'litware', file), 'utf8');

/** @param {Promise<void>} promise @param {number} ms @param {string} what */
function withTimeout(promise, ms, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms); }),
  ]);
}

let index = 0;
while (index < selected.length) {
  const { lab: labScenario, locale } = selected[index].scenario;
  const group = [];
  while (index < selected.length && selected[index].scenario.lab === labScenario && selected[index].scenario.locale === locale) group.push(selected[index++]);
  let ctx;
  try {
    ctx = await startSession(labScenario, locale);
  } catch (e) {
    const error = `could not start the lab, code-server or the workbench: ${e instanceof Error ? (e.stack ?? e.message) : e}`;
    console.error(`[e2e] ${error}`);
    for (const { file, scenario } of group) outcomes.push({ file, title: scenario.title, status: 'failed', ms: 0, error, screenshots: [], readmeShots: [] });
    await stopSession();
    continue;
  }
  let timedOut = false;
  for (const { file, scenario } of group) {
    const prefix = file.replace(/\.mjs$/, '');
    /** @type {Outcome} */
    const outcome = { file, title: scenario.title, status: 'passed', ms: 0, screenshots: [], readmeShots: [] };
    outcomes.push(outcome);
    if (timedOut) {
      outcome.status = 'failed';
      outcome.error = 'not run: an earlier scenario on the same page timed out';
      continue;
    }
    log(`▶ ${prefix}: ${scenario.title}`);
    const t = Date.now();
    let shots = 0;
    try {
      await withTimeout(scenario.run({
        ...ctx,
        pristine,
        shot: async (name, options) => {
          const png = `${prefix}-${String(++shots).padStart(2, '0')}-${name}.png`;
          await ctx.wb.screenshot(png);
          outcome.screenshots.push(png);
          if (options?.readme) outcome.readmeShots.push(png);
          log(`  screenshot ${png}`);
        },
      }), scenario.timeoutMs ?? scenarioTimeoutMs, prefix);
    } catch (e) {
      outcome.status = 'failed';
      outcome.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
      timedOut = /did not finish within/.test(outcome.error) && outcome.error.includes(prefix);
      await ctx.page.screenshot({ path: path.join(artifacts, `${prefix}-failure.png`) }).catch(() => {});
      const logs = path.join(artifacts, `${prefix}-logs`);
      fs.cpSync(path.join(ctx.server.userDataDir, 'logs'), logs, { recursive: true });
      fs.copyFileSync(ctx.server.logFile, path.join(logs, 'code-server.log'));
    }
    outcome.ms = Date.now() - t;
    log(`${outcome.status === 'passed' ? '✓' : '✗'} ${prefix} (${(outcome.ms / 1000).toFixed(1)} s)${outcome.error ? `\n  ${outcome.error.split('\n').join('\n  ')}` : ''}`);
  }
  await stopSession();
}
memory.stop();

if (process.env.E2E_UPDATE_SCREENSHOTS === '1') {
  fs.mkdirSync(readmeMedia, { recursive: true });
  for (const outcome of outcomes.filter((o) => o.status === 'passed')) {
    for (const png of outcome.readmeShots) {
      const name = png.replace(/^\d+-[a-z-]+-\d+-/, '');
      fs.copyFileSync(path.join(artifacts, png), path.join(readmeMedia, name));
      log(`media/readme/${name} ← ${png}`);
    }
  }
}

const count = (/** @type {Outcome['status']} */ status) => outcomes.filter((o) => o.status === status).length;
const results = {
  passed: count('passed'),
  failed: count('failed'),
  skipped: count('skipped'),
  durationMs: Date.now() - started,
  failures: outcomes.filter((o) => o.status === 'failed').map((o) => ({ title: `${o.file}: ${o.title}`, error: o.error ?? '' })),
  scenarios: outcomes.map(({ file, title, status, ms, screenshots }) => ({ file, title, status, ms, screenshots })),
};
if (results.passed + results.failed === 0) {
  results.failed = 1;
  results.failures.push({ title: 'e2e', error: `no scenario ran${grep ? ` (--grep ${grep})` : ''}` });
}
fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));
for (const { title, error } of results.failures) console.log(`\n✗ ${title}\n  ${error.split('\n').join('\n  ')}`);
log(`peak PSS MiB: ${memory}`);
console.log(`\ne2e: ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped in ${(results.durationMs / 1000).toFixed(1)} s (results in ${path.relative(root, resultsFile)}, screenshots in ${path.relative(root, artifacts)}/)`);
process.exit(results.failed > 0 ? 1 : 0);
