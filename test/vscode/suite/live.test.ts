/**
 * Live estate against a running rehearsal lab (scenario pchat-dc-loss), through the real
 * extension: the target switched with the API, the status read with `api.live.refresh()`, and
 * the result checked on the tree as the view shows it. The lab runs as a child process
 * (`src/lab/cli.ts` through tsx, from the repository = the extension's folder); its state is
 * changed through the real protocols (mssql, the shell stand-in), as an operator would.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PowerShellSession } from '../../../src/adapters/shell/session';
import { MssqlGateway } from '../../../src/adapters/sql/gateway';
import { setPersistentChatState } from '../../../src/core/commands/powershell';
import { recoverDatabase } from '../../../src/core/commands/tsql';
import { parseDatabaseName, parseFqdn, persistentChatIdentity } from '../../../src/core/commands/values';
import type { LyncRecoveryApi } from '../../../src/extension/api';
import { rehearsalShellOptions, rehearsalSqlSettings } from '../../../src/extension/connections/settings';
import { parseLabInfo, type RehearsalLabInfo } from '../../../src/extension/connections/target';
import { activateApi, beforeDeadline, EventCounter, extension, REACTION_TIMEOUT_MS, renderTree, walkTree, type TreeRow } from './helpers';

const PC_POOL = 'atl-gc-001.litwareinc.com';
const FE_POOL = 'atl-cs-001.litwareinc.com';
const BACKUP = 'dal-pcbak';
const TIMEOUT_SECONDS = 2;

interface RunningLab {
  readonly info: RehearsalLabInfo;
  readonly raw: unknown;
  stop(): Promise<void>;
}

/** Starts `src/lab/cli.ts` on the workspace's estate and reads the info JSON it prints. */
async function startLabProcess(estateFile: string, scenario: string): Promise<RunningLab> {
  const repo = extension().extensionPath;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'lab', 'cli.ts'), '--estate', estateFile, '--scenario', scenario, '--quiet'], {
    cwd: repo,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const raw = await beforeDeadline(
    new Promise<unknown>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        try {
          resolve(JSON.parse(stdout));
        } catch {
          // not complete yet
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.once('exit', (code) => reject(new Error(`the lab exited (${code}) before printing its info: ${stderr}`)));
      child.once('error', reject);
    }),
    Date.now() + 30_000,
    () => `the lab's info JSON (stderr: ${stderr})`,
  );
  return {
    info: parseLabInfo(raw),
    raw,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

const rowsLabelled = (rows: readonly TreeRow[], pattern: RegExp) => rows.filter((r) => pattern.test(r.label));
function row(rows: readonly TreeRow[], pattern: RegExp, parent?: RegExp): TreeRow {
  const found = rowsLabelled(rows, pattern).filter((r) => !parent || r.path.some((p) => parent.test(p)));
  assert.ok(found.length > 0, `no row ${pattern} in:\n${renderTree(rows)}`);
  return found[0]!;
}
const storeRow = (rows: readonly TreeRow[], db: string, role: string) =>
  rows.find((r) => r.path.includes(db) && new RegExp(`^${role} — `).test(r.label) && r.path[r.path.length - 2] === db);
const iconId = (r: TreeRow) => (r.item.iconPath instanceof vscode.ThemeIcon ? r.item.iconPath.id : '');
const tooltipText = (r: TreeRow) => (r.item.tooltip instanceof vscode.MarkdownString ? r.item.tooltip.value : String(r.item.tooltip ?? ''));

suite('Live estate against the rehearsal lab', () => {
  let api: LyncRecoveryApi;
  let lab: RunningLab;

  suiteSetup(async function () {
    this.timeout(60_000);
    api = await activateApi();
    await api.estateReady();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the runner opens a workspace folder');
    await vscode.workspace.getConfiguration('lyncRecovery.live').update('timeoutSeconds', TIMEOUT_SECONDS, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('lyncRecovery.live').update('autoRefreshSeconds', 0, vscode.ConfigurationTarget.Global);
    lab = await startLabProcess(path.join(folder.uri.fsPath, 'lync-estate.yaml'), 'pchat-dc-loss');
  });

  suiteTeardown(async function () {
    this.timeout(30_000);
    await api?.target.useLive();
    await vscode.workspace.getConfiguration('lyncRecovery.live').update('timeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('lyncRecovery.live').update('autoRefreshSeconds', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('lyncRecovery.sql').update('connections', undefined, vscode.ConfigurationTarget.Global);
    await lab?.stop();
  });

  test('REHEARSAL: backup up with mgc RESTORING, primary down within the timeout, PC pool Normal, FE Backup Service read', async function () {
    this.timeout(30_000);
    await api.target.useRehearsal(lab.raw, 'live.test.ts');
    assert.equal(api.target.kind, 'rehearsal');
    const started = Date.now();
    const { ms } = await api.live.refresh();
    const elapsed = Date.now() - started;
    console.log(`live refresh of the sample against the lab: ${ms} ms (first, including logins and the shell's start); call ${elapsed} ms`);
    assert.ok(elapsed < TIMEOUT_SECONDS * 1000 + 3000, `the refresh took ${elapsed} ms with a ${TIMEOUT_SECONDS} s timeout`);
    const warm = await api.live.refresh();
    console.log(`live refresh of the sample against the lab, warm: ${warm.ms} ms`);

    const rows = await walkTree(api.estateTree);
    const backup = storeRow(rows, 'mgc', 'backup');
    assert.ok(backup, renderTree(rows));
    assert.match(backup.description, /RESTORING/, renderTree(rows));
    assert.match(backup.contextValue, /;live;status=standby;$/);
    assert.equal(iconId(backup), 'history');
    assert.match(tooltipText(backup), /REHEARSAL/);
    assert.match(tooltipText(backup), /DAL-PCBAK-001/);

    const primary = storeRow(rows, 'mgc', 'primary')!;
    assert.match(primary.description, /down/, renderTree(rows));
    assert.equal(iconId(primary), 'error');

    const pc = row(rows, new RegExp(`^${PC_POOL.replace(/\./g, '\\.')}$`));
    // Normal, but its primary SQL instances are down: the row rolls the failure up (not failed over yet).
    assert.match(pc.description, /SQL instances down .*· Normal$/, renderTree(rows));
    assert.equal(iconId(pc), 'error');
    const fe = row(rows, new RegExp(`^${FE_POOL.replace(/\./g, '\\.')}$`));
    assert.match(fe.description, /Backup Service: /, renderTree(rows));
  });

  test('after the failover steps in the lab, refreshing the pool row alone shows ONLINE and FailedOver', async function () {
    this.timeout(30_000);
    await api.target.useRehearsal(lab.raw, 'live.test.ts');
    // Steps 4 and 5 of the failover, sent as an operator would (mssql, the Lync shell).
    const caPem = fs.readFileSync(lab.info.caFile, 'utf8');
    const gateway = new MssqlGateway({ settings: (id) => rehearsalSqlSettings(lab.info.instances[id]!, { caPem, timeoutMs: 5000 }) });
    const shell = new PowerShellSession(rehearsalShellOptions(lab.info.shell!, 10_000));
    try {
      await gateway.query(BACKUP, recoverDatabase(parseDatabaseName('mgc')));
      await shell.run(setPersistentChatState(persistentChatIdentity(parseFqdn(PC_POOL)), 'FailedOver'));
    } finally {
      await Promise.all([gateway.close(), shell.close()]);
    }

    await walkTree(api.estateTree); // the view has the rows
    const changes: unknown[] = [];
    const counter = new EventCounter(api.estateTree.onDidChangeTreeData!);
    const sub = api.estateTree.onDidChangeTreeData!((e) => changes.push(e));
    try {
      const seen = counter.count;
      await api.live.refresh({ nodeId: `pool:${PC_POOL}` });
      await counter.after(seen, Date.now() + REACTION_TIMEOUT_MS, () => 'a tree change after the row refresh');
    } finally {
      sub.dispose();
      counter.dispose();
    }
    assert.ok(changes.length > 0 && changes.every((e) => e !== undefined), `only rows were refreshed, not the whole tree: ${JSON.stringify(changes.map((c) => (c === undefined ? 'ALL' : 'rows')))}`);
    const ids = changes.flatMap((e) => (Array.isArray(e) ? e : [e])).map((n) => (n as { id: string }).id);
    assert.ok(ids.includes(`pool:${PC_POOL}`), ids.join(', '));
    assert.ok(!ids.includes(`pool:${FE_POOL}`), `the Front End pool was not re-read: ${ids.join(', ')}`);

    const rows = await walkTree(api.estateTree);
    assert.match(storeRow(rows, 'mgc', 'backup')!.description, /ONLINE/, renderTree(rows));
    const pc = row(rows, new RegExp(`^${PC_POOL.replace(/\./g, '\\.')}$`));
    assert.match(pc.description, /FailedOver/, renderTree(rows));
    assert.equal(iconId(pc), 'warning');
  });

  test('Test Connections: a readable report of every instance and the shell, without passwords', async function () {
    this.timeout(30_000);
    await api.target.useRehearsal(lab.raw, 'live.test.ts');
    const report = await api.connections.testConnections();
    assert.ok(report, 'the report was produced (trusted workspace)');
    assert.match(report, /REHEARSAL/);
    assert.match(report, /\| dal\\-pcbak \| 127\\\.0\\\.0\\\.1:\d+ \| yes \| yes/);
    assert.match(report, /\| atl\\-pcsql \| 127\\\.0\\\.0\\\.1:\d+ \| no \|/);
    assert.match(report, /Get-CsPool answers: OK — \d+ pool/);
    for (const i of Object.values(lab.info.instances)) assert.ok(!report.includes(i.password), 'no password in the report');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('LIVE: the SQL password is asked for once, saved, used from the secret storage, then forgotten', async function () {
    this.timeout(30_000);
    const endpoint = lab.info.instances[BACKUP]!;
    // The backup server "live", reached through a tunnel-like host/port override; TLS verified against the lab CA.
    await vscode.workspace.getConfiguration('lyncRecovery.sql').update('connections', {
      [BACKUP]: { authentication: 'sql', user: endpoint.user, host: endpoint.host, port: endpoint.port, caFile: lab.info.caFile },
    }, vscode.ConfigurationTarget.Global);
    await api.target.useLive();
    assert.equal(api.target.kind, 'live');
    let asked = 0;
    const answering = api.connections.answerPasswordPrompts(async (request) => {
      asked++;
      assert.equal(request.instanceId, BACKUP);
      return endpoint.password;
    });
    try {
      const rowsBefore = await walkTree(api.estateTree);
      const backupId = storeRow(rowsBefore, 'mgc', 'backup')!.item.id!;
      // A background read never asks.
      await api.live.refresh({ nodeId: backupId });
      assert.equal(asked, 0);
      assert.match(storeRow(await walkTree(api.estateTree), 'mgc', 'backup')!.description, /password needed/);

      await api.live.refresh({ nodeId: backupId, interactive: true });
      assert.equal(asked, 1);
      let rows = await walkTree(api.estateTree);
      assert.match(storeRow(rows, 'mgc', 'backup')!.description, /ONLINE|RESTORING/, renderTree(rows));
      assert.match(tooltipText(storeRow(rows, 'mgc', 'backup')!), /LIVE/);
      assert.deepEqual(await api.connections.savedPasswords(), [BACKUP]);
      // A full read: instances without settings are never contacted.
      await api.live.refresh();
      rows = await walkTree(api.estateTree);
      assert.match(storeRow(rows, 'mgc', 'primary')!.description, /not configured/, renderTree(rows));
      assert.match(storeRow(rows, 'mgc', 'backup')!.description, /ONLINE|RESTORING/, renderTree(rows));

      // New clients (as after a reload): the saved password is used, nobody is asked.
      await api.target.useLive();
      await api.live.refresh({ nodeId: backupId, interactive: true });
      assert.equal(asked, 1);
      rows = await walkTree(api.estateTree);
      assert.match(storeRow(rows, 'mgc', 'backup')!.description, /ONLINE|RESTORING/, renderTree(rows));

      await vscode.commands.executeCommand('lyncRecovery.forgetPassword', BACKUP);
      assert.deepEqual(await api.connections.savedPasswords(), []);
      await api.live.refresh({ nodeId: backupId });
      assert.match(storeRow(await walkTree(api.estateTree), 'mgc', 'backup')!.description, /password needed/);
    } finally {
      answering.dispose();
    }

    // The log channel's file never holds a password.
    const logFile = vscode.Uri.joinPath(api.connections.logUri, 'Lync Recovery.log');
    const text = Buffer.from(await vscode.workspace.fs.readFile(logFile)).toString('utf8');
    assert.match(text, /Connection target: LIVE/);
    for (const i of Object.values(lab.info.instances)) assert.ok(!text.includes(i.password), 'the log has no password');
  });

  test('the connection and live commands are registered', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of ['lyncRecovery.testConnections', 'lyncRecovery.forgetPassword', 'lyncRecovery.useRehearsalLab', 'lyncRecovery.useLiveEstate', 'lyncRecovery.chooseTarget', 'lyncRecovery.refreshStatus', 'lyncRecovery.refreshAllStatus']) {
      assert.ok(registered.has(id), id);
    }
  });
});
