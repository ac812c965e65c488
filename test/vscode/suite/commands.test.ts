/**
 * Every command in a real extension host: contributed, registered, and classified for Restricted
 * Mode by the one table the command registration enforces (src/extension/commands/policy.ts).
 * This host is trusted; the refusals themselves are checked in an untrusted host
 * (test/vscode/restricted).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { commandPolicy, needsTrust } from '../../../src/extension/commands/policy';
import { activateApi, manifest } from './helpers';

suite('Commands and workspace trust', () => {
  const contributed = () => (manifest().contributes?.commands ?? []).map((c) => c.command);

  test('every contributed command is registered and classified (needs trust or not)', async () => {
    await activateApi();
    const registered = new Set(await vscode.commands.getCommands(true));
    const ids = contributed();
    assert.ok(ids.length > 30, `${ids.length} commands contributed`);
    assert.deepEqual(ids.filter((id) => !registered.has(id)), [], 'contributed but not registered');
    assert.deepEqual(ids.filter((id) => commandPolicy(id) === undefined), [], 'contributed but not classified');
    const guarded = ids.filter((id) => needsTrust(id));
    console.log(`${ids.length} commands: ${guarded.length} refuse in Restricted Mode, ${ids.length - guarded.length} work everywhere`);
    for (const id of ['lyncRecovery.runStep', 'lyncRecovery.runRemaining', 'lyncRecovery.rehearseRunbook', 'lyncRecovery.testConnections', 'lyncRecovery.refreshAllStatus', 'lyncRecovery.failOverPersistentChat']) {
      assert.ok(guarded.includes(id), `${id} needs trust`);
    }
  });

  test('every registered lyncRecovery command is contributed (none hidden from the manifest)', async () => {
    await activateApi();
    const ids = new Set(contributed());
    const registered = (await vscode.commands.getCommands(true)).filter((id) => id.startsWith('lyncRecovery.'));
    // VS Code registers `<view id>.focus` and similar for contributed views.
    const own = registered.filter((id) => !/^lyncRecovery\.(estate|getStarted)\b/.test(id) && !id.startsWith('lyncRecovery.runProcedure'));
    assert.deepEqual(own.filter((id) => !ids.has(id)), []);
  });
});
