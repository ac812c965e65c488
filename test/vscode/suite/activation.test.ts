/** The extension in a real VS Code extension host: version, activation, API, manifest. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { assertIsApi, ESTATE_COMMANDS, ESTATE_VIEW, extension, manifest } from './helpers';

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

  test('every command contributed in package.json is registered', async () => {
    await extension().activate();
    const contributed = (manifest().contributes?.commands ?? []).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), [], 'contributed but not registered');
  });
});
