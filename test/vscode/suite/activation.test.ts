/** The extension in a real VS Code extension host: version, activation, API, manifest. */
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateApi, assertIsApi, ESTATE_COMMANDS, ESTATE_VIEW, extension, manifest } from './helpers';

/** `major.minor` of a version or a `^1.100.0`-style range. */
function majorMinor(version: string): [number, number] {
  const m = /(\d+)\.(\d+)/.exec(version);
  assert.ok(m, `not a version: ${version}`);
  return [Number(m[1]), Number(m[2])];
}

suite('Extension host', () => {
  test('is a real VS Code extension host of the expected version', () => {
    console.log(`VS Code ${vscode.version}, appName=${vscode.env.appName}, uiKind=${vscode.UIKind[vscode.env.uiKind]}, remoteName=${vscode.env.remoteName ?? '-'}`);
    // The runner says which VS Code it started (code-server 4.100.3 → 1.100); otherwise any
    // VS Code the manifest accepts will do.
    const expected = process.env.LYNC_VSCODE_EXPECTED_VERSION;
    if (expected) {
      assert.ok(vscode.version === expected || vscode.version.startsWith(`${expected}.`),
        `VS Code ${vscode.version}, expected ${expected}.x`);
    } else {
      const [major, minor] = majorMinor(vscode.version);
      const [minMajor, minMinor] = majorMinor(manifest().engines?.vscode ?? '1.0');
      assert.ok(major > minMajor || (major === minMajor && minor >= minMinor),
        `VS Code ${vscode.version} is older than engines.vscode ${manifest().engines?.vscode}`);
    }
  });

  test('the extension activates', async () => {
    const ext = extension();
    await ext.activate();
    assert.ok(ext.isActive);
  });

  test('activate() returns the LyncRecoveryApi', async () => {
    assertIsApi(await extension().activate());
  });

  test('package.json contributes the Estate view and its commands', () => {
    const contributes = manifest().contributes ?? {};
    const containers = contributes.viewsContainers?.activitybar ?? [];
    assert.ok(containers.some((c) => c.id === ESTATE_VIEW.container),
      `viewsContainers.activitybar has ${ESTATE_VIEW.container}: ${JSON.stringify(containers.map((c) => c.id))}`);
    const views = contributes.views?.[ESTATE_VIEW.container] ?? [];
    assert.ok(views.some((v) => v.id === ESTATE_VIEW.id),
      `views.${ESTATE_VIEW.container} has ${ESTATE_VIEW.id}: ${JSON.stringify(views.map((v) => v.id))}`);
    const commands = (contributes.commands ?? []).map((c) => c.command);
    assert.deepEqual(ESTATE_COMMANDS.filter((c) => !commands.includes(c)), [], 'commands missing from contributes.commands');
  });

  test('activate() returns within 30 ms (measured inside the extension host)', async () => {
    const api = await activateApi();
    const bundleMs = api.bundleEvaluationMs === undefined ? 'n/a' : `${api.bundleEvaluationMs.toFixed(1)} ms`;
    const [load1] = os.loadavg();
    const cpus = os.cpus().length;
    console.log(`activate(): ${api.activationMs.toFixed(1)} ms wall, ${api.activationCpuMs.toFixed(1)} ms CPU; the bundle's module code before it: ${bundleMs}; load average ${load1.toFixed(1)} on ${cpus} CPUs`);
    assert.equal(typeof api.activationMs, 'number');
    // The wall clock is only a fair measure when the machine is not overloaded (a shared CI box at
    // load 10 on 2 CPUs stretches any 10 ms of work); then the host's CPU time over the same span
    // is checked against the same number, and the wall figure is printed above.
    if (load1 <= cpus) assert.ok(api.activationMs <= 30, `activate() took ${api.activationMs.toFixed(1)} ms (the issue's number: ≤ 30 ms)`);
    else assert.ok(api.activationCpuMs <= 30, `activate() used ${api.activationCpuMs.toFixed(1)} ms of CPU (wall ${api.activationMs.toFixed(1)} ms; the issue's number: ≤ 30 ms)`);
  });

  test('activation loads none of the lazy libraries (drivers, language client, parsers)', async () => {
    await activateApi();
    // dist/lib/*.js are required on first use only (esbuild.mjs); what has been required so far:
    const loaded = Object.keys(require.cache).filter((f) => /[\\/]dist[\\/]lib[\\/][^\\/]+\.js$/.test(f)).map((f) => path.basename(f));
    console.log(`lazy libraries loaded so far: ${loaded.join(', ') || 'none'}`);
    // The drivers load on the first connection, which nothing has asked for yet in this suite.
    assert.deepEqual(loaded.filter((f) => f === 'mssql.js' || f === 'node-powershell.js'), []);
  });

  test('every command contributed in package.json is registered', async () => {
    await extension().activate();
    const contributed = (manifest().contributes?.commands ?? []).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), [], 'contributed but not registered');
  });
});
