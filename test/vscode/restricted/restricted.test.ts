/**
 * Restricted Mode, in a real extension host whose workspace is NOT trusted (the runner's
 * `untrusted` pass: code-server with workspace trust enabled and the folder left untrusted).
 *
 * The target is a "lab" that must never be reached: every SQL instance and the shell stand-in's
 * callback port are one tripwire listener on 127.0.0.1 that counts connections. Checking keeps
 * working (the tree, the language server's diagnostics and quick fixes, dry runs, marks); every
 * command that connects or executes returns at once, says so in the log, writes no journal and
 * reaches nothing.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseEstate } from '../../../src/core/estate/load';
import { needsTrust } from '../../../src/extension/commands/policy';
import { STEP_COMMAND_PREFIX } from '../../../src/extension/guided/model';
import type { LyncRecoveryApi } from '../../../src/extension/api';
import { ENV_PORT, ENV_TOKEN } from '../../../src/lab/shell/protocol';
import { findPowerShell } from '../../../src/lab/shell/pwsh';
import { activateApi, beforeDeadline, extension, manifest, REACTION_TIMEOUT_MS, walkTree } from '../suite/helpers';

const RUNBOOK = 'persistent-chat-failover.runbook.md';
const FIRST_STEP = 'capture-log-shipping';
/** A refused command returns at once; one that waits (a quick pick, a connection) misses this. */
const REFUSAL_DEADLINE_MS = 5_000;

/** A TCP listener that counts (and drops) every connection made to it. */
class Tripwire {
  connections = 0;
  private constructor(private readonly server: net.Server) {
    server.on('connection', (socket) => {
      this.connections++;
      socket.destroy();
    });
  }

  static async listen(): Promise<Tripwire> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new Tripwire(server);
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Lab info (the JSON `npm run lab` prints) whose every endpoint is the tripwire. */
function tripwireLabInfo(port: number, instanceIds: readonly string[]): unknown {
  return {
    scenario: 'tripwire',
    caFile: path.join(extension().extensionPath, 'no-ca.pem'),
    instances: Object.fromEntries(instanceIds.map((id) => [id, { host: '127.0.0.1', port, user: 'lab', password: 'never-sent' }])),
    // Real PowerShell whose first prelude line connects to the tripwire: any shell start trips it.
    shell: {
      executable: findPowerShell() ?? 'pwsh',
      args: [],
      env: { [ENV_PORT]: String(port), [ENV_TOKEN]: 'never-sent' },
      prelude: [`[void](New-Object System.Net.Sockets.TcpClient('127.0.0.1', ${port}))`],
    },
  };
}

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace has a folder (a copy of samples/litware)');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Waits until the extension's log file satisfies `accept`; re-reads it whenever its folder changes. */
async function waitForLog(api: LyncRecoveryApi, what: string, accept: (text: string) => boolean): Promise<string> {
  const folder = api.connections.logUri.fsPath;
  const file = path.join(folder, 'Lync Recovery.log');
  const read = () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
  let changed: () => void = () => {};
  const watcher = fs.watch(folder, () => changed());
  const deadline = Date.now() + REACTION_TIMEOUT_MS;
  try {
    for (;;) {
      const next = new Promise<void>((resolve) => (changed = resolve));
      const text = read();
      if (accept(text)) return text;
      await beforeDeadline(next, deadline, () => `${what}; the log ends:\n${text.split('\n').slice(-15).join('\n')}`);
    }
  } finally {
    watcher.close();
  }
}

/** Waits for the language server's diagnostics on `uri` to satisfy `accept`. */
async function waitForDiagnostics(uri: vscode.Uri, what: string, accept: (d: readonly vscode.Diagnostic[]) => boolean): Promise<readonly vscode.Diagnostic[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const changed = new Promise<void>((resolve) => {
      const sub = vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => u.toString() === uri.toString())) {
          sub.dispose();
          resolve();
        }
      });
    });
    const current = vscode.languages.getDiagnostics(uri);
    if (accept(current)) return current;
    await beforeDeadline(changed, deadline, () => `${what}; diagnostics now: ${current.map((d) => `${d.range.start.line + 1}: ${d.message}`).join(' | ') || 'none'}`);
  }
}

suite('Restricted Mode (untrusted workspace)', () => {
  let api: LyncRecoveryApi;
  let tripwire: Tripwire;
  let runbook: vscode.Uri;

  suiteSetup(async function () {
    this.timeout(60_000);
    assert.equal(vscode.workspace.isTrusted, false, 'the runner opens this suite in an untrusted workspace');
    api = await activateApi();
    await api.estateReady();
    tripwire = await Tripwire.listen();
    const estateFile = workspaceFile('lync-estate.yaml').fsPath;
    const instanceIds = parseEstate(fs.readFileSync(estateFile, 'utf8'), estateFile).estate?.sqlInstances.map((i) => i.id) ?? [];
    assert.ok(instanceIds.includes('dal-pcbak') && instanceIds.includes('atl-pcsql'), `SQL instance ids of the estate: ${instanceIds.join(', ')}`);
    // Choosing a target only says where guarded commands would connect: allowed here.
    await api.target.useRehearsal(tripwireLabInfo(tripwire.port, instanceIds), 'restricted.test.ts');
    assert.equal(api.target.kind, 'rehearsal');
    runbook = workspaceFile(RUNBOOK);
    await vscode.window.showTextDocument(runbook, { preview: false });
  });

  suiteTeardown(async () => {
    await api?.target.useLive();
    await tripwire?.close();
  });

  test('checking works: the Estate view loads, the language server reports a mistake and its quick fix repairs it', async function () {
    this.timeout(60_000);
    const rows = await walkTree(api.estateTree);
    assert.ok(rows.some((r) => r.label === 'atl-gc-001.litwareinc.com'), 'the Persistent Chat pool is in the tree');

    const broken = workspaceFile('typo.runbook.md');
    const sample = Buffer.from(await vscode.workspace.fs.readFile(runbook)).toString('utf8');
    assert.match(sample, /-DropExistingDatabasesOnMirror/);
    await vscode.workspace.fs.writeFile(broken, Buffer.from(sample.replace(/-DropExistingDatabasesOnMirror/g, '-DropExisitingDatabasesOnMirror')));
    const editor = await vscode.window.showTextDocument(broken, { preview: false });
    const typos = await waitForDiagnostics(broken, 'the doc-typo-parameter errors', (d) => d.filter((x) => /DropExisitingDatabasesOnMirror/.test(x.message)).length === 2);
    const typo = typos.find((d) => /DropExisitingDatabasesOnMirror/.test(d.message))!;
    assert.equal(typo.severity, vscode.DiagnosticSeverity.Error);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', broken, typo.range);
    const fix = actions.find((a) => a.edit && /DropExistingDatabasesOnMirror/.test(a.title));
    assert.ok(fix?.edit, `a quick fix for the typo; actions: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await waitForDiagnostics(broken, 'one typo left after the quick fix', (d) => d.filter((x) => /DropExisitingDatabasesOnMirror/.test(x.message)).length === 1);
    assert.equal(editor.document.getText().match(/-DropExistingDatabasesOnMirror/g)?.length, 1);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.workspace.fs.delete(broken);
  });

  test('every command that connects or executes refuses at once, logs the refusal, writes no journal and reaches nothing', async function () {
    this.timeout(120_000);
    const contributed = (manifest().contributes?.commands ?? []).map((c) => c.command);
    const stepCommands = (await vscode.commands.getCommands(true)).filter((id) => id.startsWith(STEP_COMMAND_PREFIX));
    assert.ok(stepCommands.length >= 20, `one command per procedure step: ${stepCommands.length}`);
    const guarded = [...contributed.filter((id) => needsTrust(id)), ...stepCommands];
    // With the runbook and step a lens would pass, so that a missing guard would really run.
    const argsFor = (id: string): unknown[] => {
      if (id === 'lyncRecovery.runStep' || id === 'lyncRecovery.retryStep') return [runbook.toString(), FIRST_STEP];
      if (id === 'lyncRecovery.runRemaining' || id === 'lyncRecovery.rehearseRunbook') return [runbook.toString()];
      return [];
    };
    for (const id of guarded) {
      const result = await beforeDeadline(
        Promise.resolve(vscode.commands.executeCommand(id, ...argsFor(id))),
        Date.now() + REFUSAL_DEADLINE_MS,
        () => `${id} to refuse (it is waiting: on a prompt, or on a connection)`,
      );
      assert.equal(result, undefined, id);
    }
    await waitForLog(api, `a refusal logged for each of the ${guarded.length} guarded commands`,
      (text) => guarded.every((id) => text.includes(`Command ${id} refused: the workspace is not trusted`)));

    assert.equal(tripwire.connections, 0, 'no SQL connection and no shell stand-in reached the target');
    assert.equal(api.rehearsal.info, undefined, 'no rehearsal lab was started');
    assert.equal(fs.existsSync(api.stepping.journalFile(runbook)), false, 'no journal was written');
    assert.deepEqual([...new Set((await api.stepping.steps(runbook)).map((s) => s.status))], ['pending']);
    console.log(`Restricted Mode: ${guarded.length} guarded commands refused (${stepCommands.length} per-step), 0 connections`);
  });

  test('live reads reject with the explanation and Test Connections gives no report', async () => {
    await assert.rejects(api.live.refresh(), /This workspace is not trusted: Lync Recovery checks runbooks but does not connect to servers or run anything\. Trust the workspace to read the live status\./);
    assert.equal(await api.connections.testConnections(), undefined);
    const rows = await walkTree(api.estateTree);
    assert.ok(rows.some((r) => r.contextValue.endsWith('live;')), 'the rows that would carry a live status are there');
    assert.deepEqual(rows.filter((r) => /(^|;)status=/.test(r.contextValue)).map((r) => r.label), [], 'no row carries a live reading');
    assert.equal(tripwire.connections, 0);
  });

  test('what only reads or records works: a dry run shows what would be sent, Mark done and Skip go to the journal', async function () {
    this.timeout(30_000);
    const dryRun = await vscode.commands.executeCommand<string | undefined>('lyncRecovery.dryRunStep', runbook.toString(), 'remove-log-shipping');
    assert.ok(dryRun, 'the dry run returns its text');
    assert.match(dryRun, /REHEARSAL target/);
    assert.match(dryRun, /sp_delete_log_shipping_secondary_database/);

    // With the reason given, the caller has decided: no modal question.
    await vscode.commands.executeCommand('lyncRecovery.markStepDone', runbook.toString(), FIRST_STEP, 'done by hand (test)');
    await vscode.commands.executeCommand('lyncRecovery.skipStep', runbook.toString(), 'remove-log-shipping', 'skipped (test)');
    const steps = await api.stepping.steps(runbook);
    assert.equal(steps.find((s) => s.id === FIRST_STEP)?.status, 'done');
    assert.equal(steps.find((s) => s.id === 'remove-log-shipping')?.status, 'skipped');
    assert.ok(fs.existsSync(api.stepping.journalFile(runbook)), 'the marks are in the journal');
    assert.equal(tripwire.connections, 0);
  });
});
