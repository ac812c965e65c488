/**
 * Runbook stepping in a real extension host, against a rehearsal lab started in this test
 * (dist/lab.js, scenario pchat-dc-loss) and pointed at with the API: a step run through the
 * command its code lens carries changes the lab and the gutter; a "reload" restores the state
 * from the journal; the remaining steps run; the exported report shows every action.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseEstate } from '../../../src/core/estate/load';
import type { RunResult } from '../../../src/core/recovery/run-types';
import type { LyncRecoveryApi } from '../../../src/extension/api';
import type { Lab, StartLabOptions } from '../../../src/lab';
import { activateApi, beforeDeadline, EventCounter, extension, REACTION_TIMEOUT_MS } from './helpers';

const RUNBOOK = 'persistent-chat-failover.runbook.md';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace has a folder (a copy of samples/litware)');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Waits until the decorations drawn for `uri` satisfy `accept`; re-checks after every redraw. */
async function waitForDecorations(api: LyncRecoveryApi, uri: vscode.Uri, what: string, accept: (d: Readonly<Record<string, readonly number[]>>) => boolean): Promise<Readonly<Record<string, readonly number[]>>> {
  const draws = new EventCounter(api.stepping.onDidDraw);
  const deadline = Date.now() + REACTION_TIMEOUT_MS;
  try {
    for (;;) {
      const seen = draws.count;
      const drawn = api.stepping.decorations(uri);
      if (drawn && accept(drawn)) return drawn;
      await draws.after(seen, deadline, () => `${what}; drawn: ${JSON.stringify(drawn)}`);
    }
  } finally {
    draws.dispose();
  }
}

function backupHasLogShipping(lab: Lab): boolean {
  const backup = lab.model.instances.get('dal-pcbak');
  assert.ok(backup, 'the lab has the backup instance dal-pcbak');
  return backup.msdb.log_shipping_secondary_databases.some((r) => r.secondary_database.toLowerCase() === 'mgc');
}

suite('Runbook stepping (rehearsal lab)', () => {
  let api: LyncRecoveryApi;
  let lab: Lab;
  let uri: vscode.Uri;
  let editor: vscode.TextEditor;
  let headings: Map<string, number>;

  suiteSetup(async function () {
    this.timeout(60_000);
    api = await activateApi();
    await api.estateReady();
    await vscode.workspace.getConfiguration().update('lyncRecovery.rehearsal.confirmDestructive', false, vscode.ConfigurationTarget.Global);
    const estateFile = workspaceFile('lync-estate.yaml').fsPath;
    const estate = parseEstate(fs.readFileSync(estateFile, 'utf8'), estateFile).estate;
    assert.ok(estate, 'the workspace estate loads');
    // The lab's own bundle, as the Rehearse command loads it (never part of dist/extension.js).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const labModule = require(path.join(extension().extensionPath, 'dist', 'lab.js')) as { startLab(o: StartLabOptions): Promise<Lab> };
    lab = await labModule.startLab({ estate, scenario: 'pchat-dc-loss' });
    await api.target.useRehearsal(lab.info, 'the stepping test');
    assert.equal(api.target.kind, 'rehearsal');
    uri = workspaceFile(RUNBOOK);
    editor = await vscode.window.showTextDocument(uri, { preview: false });
    const text = editor.document.getText().split('\n');
    headings = new Map();
    text.forEach((line, i) => {
      const m = /^## .*\{#([\w-]+)\}\s*$/.exec(line);
      if (m) headings.set(m[1]!, i);
    });
    assert.ok(headings.has('capture-log-shipping') && headings.has('remove-log-shipping'), `step headings of ${RUNBOOK}: ${[...headings.keys()].join(', ')}`);
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration().update('lyncRecovery.rehearsal.confirmDestructive', undefined, vscode.ConfigurationTarget.Global);
    await api?.target.useLive();
    await lab?.stop();
  });

  test('a fresh journal: every step pending, the lenses carry the run command, the status bar counts 0/8', async () => {
    const steps = await api.stepping.steps(uri);
    assert.equal(steps.length, 8);
    assert.deepEqual([...new Set(steps.map((s) => s.status))], ['pending']);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
    const runLens = lenses.find((l) => l.command?.command === 'lyncRecovery.runStep' && l.range.start.line === headings.get('capture-log-shipping'));
    assert.ok(runLens, `a Run step lens on the first heading; lenses: ${lenses.map((l) => `${l.range.start.line}:${l.command?.title}`).join(', ')}`);
    assert.deepEqual(runLens.command!.arguments?.map(String), [uri.toString(), 'capture-log-shipping']);
    assert.ok(lenses.some((l) => l.command?.title.includes('REHEARSAL: lab pchat-dc-loss')), 'the top lens names the rehearsal target');
    const status = await beforeDeadline(
      new Promise<string>((resolve) => {
        const check = () => {
          const text = api.stepping.statusBarText();
          if (text?.includes('0/8')) resolve(text);
          else setImmediate(check);
        };
        check();
      }),
      Date.now() + REACTION_TIMEOUT_MS,
      () => `the status bar to count 0/8 (it shows ${api.stepping.statusBarText()})`,
    );
    assert.match(status, /REHEARSAL PC Failover 0\/8/);
  });

  test('a dry run shows the RESTORE HEADERONLY of the server version the live status read, in a view that closes without a save prompt', async function () {
    this.timeout(30_000);
    const dryRunOfApply = async () => {
      const text = await vscode.commands.executeCommand<string | undefined>('lyncRecovery.dryRunStep', uri.toString(), 'apply-logs');
      assert.ok(text, 'the dry run returns its text');
      return text;
    };
    // (Before any reading the dry run shows the default, SQL Server 2014, columns: test/unit/recovery/dry-run-headeronly.test.ts.
    // Here the live status may already have been read, since it refreshes after every journal change.)
    // The lab answers as SQL Server 2012 (11.0.7001.0): after a live read the dry run has its columns, as the real run will.
    await api.live.refresh();
    const read = await dryRunOfApply();
    assert.match(read, /-- 11\.0\.7001\.0: the #headers columns of SQL Server 11/);
    assert.doesNotMatch(read, /KeyAlgorithm/);
    const view = vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'lync-view' && e.document.getText() === read);
    assert.ok(view, `the dry run is shown; visible: ${vscode.window.visibleTextEditors.map((e) => e.document.uri.toString()).join(', ')}`);
    assert.equal(view.document.isDirty, false, 'a read-only view: closing it asks nothing');
  });

  test('running steps through the lens command changes the lab and the gutter', async function () {
    this.timeout(60_000);
    assert.ok(backupHasLogShipping(lab), 'before: dal-pcbak is a log-shipping secondary of mgc');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
    for (const stepId of ['capture-log-shipping', 'remove-log-shipping']) {
      const lens = lenses.find((l) => l.command?.command === 'lyncRecovery.runStep' && l.command.arguments?.[1] === stepId);
      assert.ok(lens?.command, `a Run step lens for ${stepId}`);
      const result = await vscode.commands.executeCommand<RunResult | undefined>(lens.command.command, ...(lens.command.arguments ?? []));
      assert.equal(result?.outcome, 'completed', `step ${stepId}: ${JSON.stringify(result?.failure)}`);
    }
    assert.ok(!backupHasLogShipping(lab), 'after: log shipping of mgc is removed from dal-pcbak (read from the lab)');
    const steps = await api.stepping.steps(uri);
    assert.deepEqual(steps.slice(0, 3).map((s) => s.status), ['done', 'done', 'pending']);
    await waitForDecorations(api, uri, 'both first steps drawn done', (d) => (d.done ?? []).includes(headings.get('capture-log-shipping')!) && (d.done ?? []).includes(headings.get('remove-log-shipping')!));
    const output = await api.stepping.output(uri, 'remove-log-shipping');
    assert.ok(output.some((l) => l.includes('sp_delete_log_shipping_secondary_database')), `the step output shows the command:\n${output.join('\n')}`);
    assert.ok(fs.existsSync(api.stepping.journalFile(uri)), 'the journal is written in the lab folder');
    assert.ok(api.stepping.journalFile(uri).startsWith(lab.info.root), 'rehearsal journals live with the lab, never with live ones');
  });

  test('a reload restores the state from the journal', async () => {
    api.stepping.reload();
    const steps = await api.stepping.steps(uri);
    assert.deepEqual(steps.slice(0, 3).map((s) => s.status), ['done', 'done', 'pending']);
    // Closing and reopening the runbook draws the same gutter.
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    editor = await vscode.window.showTextDocument(uri, { preview: false });
    await waitForDecorations(api, uri, 'the reopened runbook drawn from the journal', (d) => (d.done ?? []).length === 2 && !d.failed);
    // Running step 2 again skips it: a completed action never runs twice.
    const again = await vscode.commands.executeCommand<RunResult | undefined>('lyncRecovery.runStep', uri, 'remove-log-shipping');
    assert.equal(again?.steps[0]?.outcome, 'skipped');
  });

  test('the remaining steps run, and the exported report shows every action', async function () {
    this.timeout(120_000);
    // Another view has the focus during the run (as the guided preflight preview may): the status bar keeps following the runbook.
    const elsewhere = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: 'notes' }), { viewColumn: vscode.ViewColumn.Beside });
    assert.notEqual(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
    const result = await vscode.commands.executeCommand<RunResult | undefined>('lyncRecovery.runRemaining', uri);
    assert.equal(result?.outcome, 'completed', JSON.stringify(result?.failure));
    const steps = await api.stepping.steps(uri);
    assert.deepEqual([...new Set(steps.map((s) => s.status))], ['done']);
    assert.equal(vscode.window.activeTextEditor, elsewhere, 'the other view still has the focus');
    const draws = new EventCounter(api.stepping.onDidDraw);
    try {
      const deadline = Date.now() + REACTION_TIMEOUT_MS;
      for (let seen = draws.count; !/REHEARSAL PC Failover 8\/8/.test(api.stepping.statusBarText() ?? ''); seen = draws.count) {
        await draws.after(seen, deadline, () => `the status bar to count 8/8 (it shows ${api.stepping.statusBarText()})`);
      }
    } finally {
      draws.dispose();
    }
    const pc = lab.model.instances.get('dal-pcbak')!.databases.find((d) => d.name === 'mgc');
    assert.equal(pc?.state, 'ONLINE', 'mgc is online on the backup instance');
    const report = await vscode.commands.executeCommand<string | undefined>('lyncRecovery.exportRecoveryReport', uri);
    assert.ok(report, 'the report is returned');
    const text = fs.readFileSync(uri.fsPath, 'utf8');
    const actions = [...text.matchAll(/^```(?:lync|sql|powershell)[^\n]*\n([\s\S]*?)^```/gm)].flatMap((m) => m[1]!.split('\n').filter((l) => l.trim() !== ''));
    assert.ok(actions.length >= 10, `found the runbook's actions: ${actions.length}`);
    for (const action of actions) assert.ok(report.includes(action.trim().split('|').join('\\|')), `the report shows ${action}`);
    assert.match(report, /\*\*REHEARSAL\*\*/);
    assert.match(report, /\| 8\. Activate the Dallas Persistent Chat servers \| completed \|/);
  });

  test('Rehearse Runbook starts its own lab (its own journal), runs every step, and Stop Rehearsal goes back to LIVE', async function () {
    this.timeout(120_000);
    const runbook = workspaceFile(RUNBOOK);
    await vscode.window.showTextDocument(runbook, { preview: false });
    const result = await vscode.commands.executeCommand<RunResult | undefined>('lyncRecovery.rehearseRunbook', runbook);
    assert.equal(result?.outcome, 'completed', JSON.stringify(result?.failure));
    assert.equal(api.target.kind, 'rehearsal');
    const info = api.rehearsal.info as { scenario?: string; root?: string } | undefined;
    assert.equal(info?.scenario, 'pchat-dc-loss');
    assert.notEqual(info?.root, lab.info.root, 'a lab of its own, not the test\'s');
    assert.ok(result.steps.every((s) => s.outcome === 'completed'), 'a new lab, a new journal: every step ran again');
    const steps = await api.stepping.steps(runbook);
    assert.deepEqual([...new Set(steps.map((s) => s.status))], ['done']);
    await vscode.commands.executeCommand('lyncRecovery.stopRehearsal');
    assert.equal(api.target.kind, 'live');
    assert.equal(api.rehearsal.info, undefined);
  });
});
