// `npm run demo`: the extension in a real VS Code against the rehearsal lab, on 127.0.0.1.
//
// Builds and packages the extension, installs code-server and Chromium if missing, starts the lab
// with the `pchat-dc-loss` scenario (Atlanta is dark: Persistent Chat must fail over to Dallas),
// starts code-server with the VSIX installed and a copy of samples/litware as the workspace, and
// prints the URL. Ctrl+C (or SIGTERM) stops the lab and code-server by process group.
//
//   npm run demo [-- --scenario NAME] [-- --fault NAME]...
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCodeServer } from '../test/e2e/code-server.mjs';
import { startLabChild } from '../test/e2e/lab.mjs';
import { stopProcessGroups } from '../test/e2e/processes.mjs';
import { codeServerLocation } from '../test/e2e/tooling.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const scenario = valueOf('--scenario') ?? 'pchat-dc-loss';
const faults = args.flatMap((a, i) => (a === '--fault' && args[i + 1] ? [args[i + 1]] : []));

/** @param {string} flag */
function valueOf(flag) {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

/** @param {string} what @param {string} cmd @param {string[]} cmdArgs */
function run(what, cmd, cmdArgs) {
  console.log(`demo: ${what}…`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal})`);
}

const groups = [];
let server;
let labRoot;
let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  console.log('\ndemo: stopping code-server and the lab…');
  if (server) await server.stop();
  const killed = await stopProcessGroups(groups);
  if (labRoot) fs.rmSync(labRoot, { recursive: true, force: true });
  console.log(`demo: stopped${killed.length ? ` (had to SIGKILL ${killed.join(', ')})` : ''}`);
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  run('building the extension', process.execPath, ['esbuild.mjs']);
  run('packaging the VSIX', 'npx', ['--no-install', 'vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', 'dist/lync-recovery.vsix']);
  if (!fs.existsSync(codeServerLocation().bin)) run('installing code-server and Chromium (once)', 'bash', ['scripts/install-code-server.sh']);
  // The lab's Lync Management Shell is real PowerShell; the script installs it only when none is found.
  run('finding PowerShell for the lab (installed once)', 'bash', ['scripts/install-powershell.sh']);

  labRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-demo-lab-'));
  // The lab CLI in its own process group; its info JSON goes to <labRoot>/lab-info.json.
  const lab = await startLabChild({ root: labRoot, scenario, faults });
  groups.push(lab.pgid);
  console.log(`demo: rehearsal lab running (scenario ${scenario}), connection details in ${lab.infoFile}`);

  server = await startCodeServer({
    workspaceFrom: path.join(root, 'samples', 'litware'),
    installExtensions: [path.join(root, 'dist', 'lync-recovery.vsix')],
    // The extension host inherits the server's environment: this points it at the lab.
    env: { LYNC_RECOVERY_LAB: lab.infoFile },
  });
  console.log(`\nLync Recovery demo ready — open this URL in a browser:\n\n  ${server.workbenchUrl()}\n`);
  console.log(`workspace (a copy of samples/litware): ${server.workspace}`);
  console.log('Ctrl+C stops everything.');
} catch (e) {
  console.error(`demo: ${e instanceof Error ? e.message : e}`);
  await stop(1);
}
