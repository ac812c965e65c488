/**
 * The recovery report of real runs of the sample failover runbook: the engine runs it against
 * in-memory SQL, shell and files and journals into a real journal file, then the report is
 * rendered from that file. A `lync` fence is journaled as a wrapper plus one unit per built-in;
 * the Runs table must list each action once (the built-ins, never the wrapper as well), and a
 * failure inside a fence must stay on the row of the built-in it belongs to.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { FileJournalStore } from '../../../src/adapters/journal';
import * as tsql from '../../../src/core/commands/tsql';
import { parseDatabaseName } from '../../../src/core/commands/values';
import { planRunbook, runRunbook, type ConfirmRequest, type RunPlan, type RunResult } from '../../../src/core/recovery';
import type { JournalRecord } from '../../../src/core/recovery/journal';
import { SqlError, type SqlRow } from '../../../src/core/recovery/ports';
import { NO_CHECKS } from '../../../src/core/recovery/procedure-checks';
import { code, planLookups, renderReport } from '../../../src/extension/report/model';
import { FakeFiles, FakeShell, FakeSql, type SentSql } from '../engine/fakes';
import { estate, parse } from '../engine/support';

const SAMPLE = path.resolve(import.meta.dirname, '../../../samples/litware/persistent-chat-failover.runbook.md');
const RUNBOOK_PATH = 'samples/litware/persistent-chat-failover.runbook.md';
const MGC = parseDatabaseName('mgc');
const FORK = 'BEFDE3CF-1A59-45D6-9A9C-7CB92A1D77D0';
const SHARE = '\\\\atl-fs-001.litwareinc.com\\pchat-logs';
const COPY_FOLDER = 'D:\\LogShipping\\mgc';
const FILES = ['mgc_20240501020000.trn', 'mgc_20240501020500.trn', 'mgc_20240501021000.trn', 'mgc_20240501021500.trn'];
const lsn = (k: number) => 34000000041600001n + BigInt(k) * 18500000n;

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * The Dallas backup instance after the loss of Atlanta, as far as the sample's actions read it:
 * mgc RESTORING with the first two log backups applied, two more on the share only, one user
 * session. `recoverFails` makes RESTORE … WITH RECOVERY fail once (the database still in use).
 */
function world(options: { recoverFails?: boolean } = {}) {
  let applied = 2;
  let online = false;
  let recoverFails = options.recoverFails === true;
  const indexOf = (text: string) => FILES.findIndex((f) => text.includes(f));
  const sql = new FakeSql((s: SentSql): SqlRow[] => {
    if (s.text === tsql.logShippingSnapshot(MGC).text) {
      return [{ primary_server: 'ATL-PCSQL-001\\PCHAT', primary_database: 'mgc', backup_source_directory: SHARE, backup_destination_directory: COPY_FOLDER, last_copied_file: `${COPY_FOLDER}\\${FILES[1]}`, last_restored_file: `${COPY_FOLDER}\\${FILES[1]}` }];
    }
    if (s.text === tsql.redoLsn(MGC).text) return online ? [] : [{ redo_start_lsn: lsn(applied).toString(), redo_start_fork_guid: FORK }];
    if (s.text === tsql.serverIdentity().text) return [{ server_name: 'DAL-PCBAK-001\\PCHAT', version: 'Microsoft SQL Server 2012', product_version: '11.0.7001.0' }];
    if (/RESTORE HEADERONLY/.test(s.text)) {
      const k = indexOf(s.text);
      return [{ BackupType: 2, Position: 1, DatabaseName: 'mgc', ServerName: 'ATL-PCSQL-001\\PCHAT', FirstLSN: lsn(k).toString(), LastLSN: lsn(k + 1).toString(), DatabaseBackupLSN: '1', FirstRecoveryForkID: FORK, IsDamaged: false, BackupFinishDate: new Date(0) }];
    }
    if (/^RESTORE LOG/.test(s.text)) {
      applied = indexOf(s.text) + 1;
      return [];
    }
    if (s.text === tsql.sessionsInDatabase(MGC).text) return online ? [] : [{ session_id: 61, login_name: 'LITWARE\\rtcservice', host_name: 'DAL-PC-001', program_name: 'ChatServer' }];
    if (s.text === tsql.databaseState(MGC).text) return [{ name: 'mgc', state_desc: online ? 'ONLINE' : 'RESTORING' }];
    if (s.text === tsql.recoverDatabase(MGC).text) {
      if (recoverFails) {
        recoverFails = false;
        throw new SqlError('Exclusive access could not be obtained because the database is in use.', 'dal-pcbak', [{ number: 3101, class: 16, state: 1, message: 'Exclusive access could not be obtained because the database is in use.' }]);
      }
      online = true;
    }
    return [];
  });
  const files = new FakeFiles(new Map([
    [SHARE.toLowerCase(), FILES.map((name) => ({ name, size: 95_344 }))],
    [COPY_FOLDER.toLowerCase(), FILES.slice(0, 2).map((name) => ({ name, size: 95_344 }))],
  ]));
  const shell = new FakeShell((command) => (/Get-CsPersistentChatState/.test(command) ? [{ Identity: 'PersistentChatServer:atl-gc-001.litwareinc.com', PoolState: 'FailedOver' }] : []));
  return { ports: { sql, shell, files } };
}

/**
 * The sample runbook planned onto the sample estate. The procedure's checks read the whole
 * estate and journal nothing; without them the fakes need answer only what the actions send.
 */
async function samplePlan(): Promise<RunPlan> {
  const plan = planRunbook(await parse(fs.readFileSync(SAMPLE, 'utf8')), estate(), RUNBOOK_PATH);
  return { ...plan, steps: plan.steps.map((s) => ({ ...s, checks: NO_CHECKS })) };
}

/** Runs the plan into a journal file of `directory`, as the editor and the CLI do. */
async function runInto(directory: string, plan: RunPlan, ports: ReturnType<typeof world>['ports'], options: { confirm?: (r: ConfirmRequest) => boolean; signal?: AbortSignal } = {}): Promise<RunResult> {
  const journal = await new FileJournalStore({ directory }).open(plan.runbookPath);
  try {
    return await runRunbook(plan, { ports, journal, mode: 'rehearsal', user: 'alice', confirm: async (r) => options.confirm?.(r) ?? true, ...(options.signal ? { signal: options.signal } : {}) });
  } finally {
    await journal.close();
  }
}

function journalDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-report-'));
  dirs.push(dir);
  return dir;
}

async function records(directory: string, plan: RunPlan): Promise<readonly JournalRecord[]> {
  const contents = await new FileJournalStore({ directory }).read(plan.runbookPath);
  assert.deepEqual(contents.problems, []);
  return contents.records;
}

function report(plan: RunPlan, journal: readonly JournalRecord[], lookups = true): string {
  return renderReport({
    runbook: RUNBOOK_PATH,
    title: plan.title,
    target: 'REHEARSAL: lab pchat-dc-loss',
    journal: 'persistent-chat-failover.jsonl',
    generatedAt: '2024-05-01T03:00:00.000Z',
    generatedBy: 'alice on ws01',
    steps: plan.steps.map((s) => ({ id: s.id, title: s.title })),
    records: journal,
    ...(lookups ? planLookups(plan) : {}),
  });
}

interface Row {
  readonly step: string;
  readonly action: string;
  readonly where: string;
  readonly outcome: string;
}

/** The rows of each run's table: Time | Step | Action | Where | Outcome (cells split on unescaped pipes). */
function runTables(markdown: string): Row[][] {
  const runs = markdown.split('\n## ')[2]!.split('\n### ').slice(1);
  return runs.map((run) =>
    run.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Time ') && !l.startsWith('| ---')).map((line) => {
      const cells = line.slice(2, -2).split(/(?<!\\) \| /);
      assert.equal(cells.length, 5, line);
      return { step: cells[1]!, action: cells[2]!, where: cells[3]!, outcome: cells[4]! };
    }),
  );
}

/** The actions of the plan, one per journaled unit of work: each built-in of a `lync` fence, every other fence whole. */
const plannedActions = (plan: RunPlan, steps?: readonly string[]) =>
  plan.steps.filter((s) => !steps || steps.includes(s.id)).flatMap((s) => s.actions.flatMap((a) => (a.kind === 'lync' ? a.commands.map((c) => c.text) : [a.ref.text])));

/** Action rows of a table: not the recorded data, not the units inside an action (one log backup each). */
const actionRows = (rows: readonly Row[]) => rows.filter((r) => !r.action.startsWith('recorded ') && !/` — /.test(r.action));

const RECOVER = 'recover-database database=mgc on=backup';
const KILL = 'kill-sessions database=mgc on=backup';
const BACKUP = 'backup dal-pcbak (dal-pcbak-001.litwareinc.com\\pchat)';

describe('the recovery report of the sample failover', () => {
  it('lists every action of the runbook exactly once: the built-ins of a lync fence, never the fence as a whole', async () => {
    const plan = await samplePlan();
    const dir = journalDir();
    const result = await runInto(dir, plan, world().ports);
    assert.equal(result.outcome, 'completed', JSON.stringify(result.failure));
    const journal = await records(dir, plan);
    // What the report must not repeat: the engine journals the two-line fence of step 5 on its own too.
    const fence = `${KILL}\n${RECOVER}`;
    assert.ok(journal.some((r) => r.type === 'action-finished' && r.stepId === 'recover-mgc' && r.item === undefined), 'the fence itself is journaled');
    assert.ok(journal.some((r) => r.type === 'action-started' && r.item === '1:recover-database' && r.text === fence), 'each built-in is journaled with the fence text');

    for (const lookups of [true, false]) {
      const markdown = report(plan, journal, lookups);
      const [rows, ...more] = runTables(markdown);
      assert.equal(more.length, 0);
      assert.deepEqual(actionRows(rows!).map((r) => r.action), plannedActions(plan).map(code), lookups ? 'with the plan' : 'from the journal alone');
      assert.ok(!markdown.includes(code(fence)), 'no row for the two-line fence');
      assert.ok(rows!.every((r) => r.outcome === 'completed' || r.outcome === 'kept for later steps'));
    }

    const rows = runTables(report(plan, journal))[0]!;
    const row = (text: string) => rows.filter((r) => r.action === code(text));
    assert.deepEqual(row(KILL).map((r) => [r.step, r.where]), [['5. End the sessions and recover mgc', BACKUP]]);
    assert.deepEqual(row(RECOVER).map((r) => r.where), [BACKUP]);
    assert.deepEqual(row('check-pool-state pool=atl-gc-001.litwareinc.com state=FailedOver').map((r) => r.where), ['Lync Server Management Shell']);
    assert.deepEqual(row('confirm "Persistent Chat clients sign in and rooms are readable"').map((r) => r.where), ['the operator']);
    // The two log backups not yet applied, once each, as units of apply-log-backups.
    assert.deepEqual(rows.filter((r) => / — apply:/.test(r.action)).map((r) => r.action), FILES.slice(2).map((f) => `${code('apply-log-backups database=mgc on=backup')} — apply:${f}`));
  });

  it('a fence whose second built-in failed: the failure on that built-in\'s row; the resumed run lists what it ran', async () => {
    const plan = await samplePlan();
    const dir = journalDir();
    const ports = world({ recoverFails: true }).ports;
    const failed = await runInto(dir, plan, ports);
    assert.equal(failed.outcome, 'failed');
    assert.equal(failed.failure?.stepId, 'recover-mgc');
    const resumed = await runInto(dir, plan, ports);
    assert.equal(resumed.outcome, 'completed', JSON.stringify(resumed.failure));

    const markdown = report(plan, await records(dir, plan));
    const [first, second] = runTables(markdown);
    const step5 = (rows: readonly Row[]) => actionRows(rows).filter((r) => r.step === '5. End the sessions and recover mgc').map((r) => [r.action, r.outcome]);
    assert.deepEqual(step5(first!), [
      [code(KILL), 'completed'],
      [code(RECOVER), 'FAILED: SQL Server error 3101: Exclusive access could not be obtained because the database is in use.'],
    ]);
    assert.deepEqual(actionRows(first!).map((r) => r.action), plannedActions(plan, ['capture-log-shipping', 'remove-log-shipping', 'copy-logs', 'apply-logs', 'recover-mgc']).map(code));
    // kill-sessions completed in run 1 and is not sent again: run 2 starts at recover-database.
    assert.deepEqual(step5(second!), [[code(RECOVER), 'completed']]);
    assert.deepEqual(actionRows(second!).map((r) => r.action), [RECOVER, ...plannedActions(plan, ['fail-over-pool', 'mirror-backup', 'activate-dallas'])].map(code));
    assert.match(markdown, /\| 5\. End the sessions and recover mgc \| completed \|/);
  });

  it('a fence declined at its second built-in: the refusal on that built-in\'s row, named and placed', async () => {
    const plan = await samplePlan();
    const dir = journalDir();
    const result = await runInto(dir, plan, world().ports, { confirm: (r) => !(r.kind === 'destructive' && r.text === RECOVER) });
    assert.equal(result.outcome, 'cancelled');
    const rows = actionRows(runTables(report(plan, await records(dir, plan)))[0]!).filter((r) => r.step === '5. End the sessions and recover mgc');
    assert.deepEqual(rows.map((r) => [r.action, r.where]), [[code(KILL), BACKUP], [code(RECOVER), BACKUP]]);
    assert.match(rows[1]!.outcome, /^FAILED: Declined: recover-database database=mgc on=backup on backup dal-pcbak.* was not sent\./);
  });

  it('a run cancelled at a built-in\'s confirmation: that built-in is shown as not sent, the fence not at all', async () => {
    const plan = await samplePlan();
    const dir = journalDir();
    const controller = new AbortController();
    const result = await runInto(dir, plan, world().ports, {
      signal: controller.signal,
      confirm: (r) => {
        if (r.kind === 'destructive' && r.text === RECOVER) controller.abort();
        return !controller.signal.aborted;
      },
    });
    assert.equal(result.outcome, 'cancelled');
    const markdown = report(plan, await records(dir, plan));
    const rows = actionRows(runTables(markdown)[0]!).filter((r) => r.step === '5. End the sessions and recover mgc');
    assert.deepEqual(rows.map((r) => [r.action, r.where, r.outcome]), [
      [code(KILL), BACKUP, 'completed'],
      [code(RECOVER), BACKUP, 'INTERRUPTED: not sent (the run stopped before it)'],
    ]);
    assert.match(markdown, /\| 5\. End the sessions and recover mgc \| INTERRUPTED \|/);
  });
});
