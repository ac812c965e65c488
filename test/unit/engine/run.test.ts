import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markStep, PlanError, runRunbook, runStep, type ConfirmRequest, type RunEvent, type RunOptions, type RunPlan } from '../../../src/core/recovery';
import { SqlError } from '../../../src/core/recovery/ports';
import { FakeShell, FakeSql, MemoryJournal, ports, type SqlHandler } from './fakes';
import { FENCE, plan, runbookText } from './support';

function options(sql: FakeSql, journal: MemoryJournal, extra: Partial<RunOptions> = {}, shell = new FakeShell()): RunOptions & { events: RunEvent[]; asked: ConfirmRequest[] } {
  const events: RunEvent[] = [];
  const asked: ConfirmRequest[] = [];
  return {
    ports: ports(sql, shell),
    journal,
    mode: 'rehearsal',
    confirm: async (r) => {
      asked.push(r);
      return true;
    },
    onEvent: (e) => events.push(e),
    events,
    asked,
    ...extra,
  };
}

const TWO_STEPS = runbookText(`## First {#first}\n${FENCE}sql on=backup\nSELECT 1;\n${FENCE}\n## Second {#second}\n${FENCE}sql on=backup\nSELECT 2;\n${FENCE}\n${FENCE}sql on=backup\nSELECT 3;\n${FENCE}`);

describe('running a plan', () => {
  it('runs steps and actions in order and journals each start and finish', async () => {
    const sql = new FakeSql(() => [{ one: 1 }]);
    const journal = new MemoryJournal();
    const result = await runRunbook(await plan(TWO_STEPS), options(sql, journal));
    assert.equal(result.outcome, 'completed');
    assert.deepEqual(sql.sent.map((s) => s.text), ['SELECT 1;', 'SELECT 2;', 'SELECT 3;']);
    assert.deepEqual(
      journal.records.map((r) => r.type),
      ['run-started', 'action-started', 'action-finished', 'action-started', 'action-finished', 'action-started', 'action-finished', 'run-finished'],
    );
  });

  it('stops at the first failure and says where and what to do', async () => {
    const sql = new FakeSql((s) => {
      if (s.text === 'SELECT 2;') throw new SqlError('Msg 208: Invalid object name', 'dal-pcbak', [{ number: 208, class: 16, state: 1, message: 'Invalid object name' }]);
      return [];
    });
    const result = await runRunbook(await plan(TWO_STEPS), options(sql, new MemoryJournal()));
    assert.equal(result.outcome, 'failed');
    assert.equal(result.failure?.stepId, 'second');
    assert.match(result.failure!.message, /line \d+\) on .*dal-pcbak.*208/);
    assert.ok(result.failure!.hint);
    assert.equal(sql.sent.length, 2);
  });

  it('never re-runs a completed action; force runs a step again', async () => {
    const sql = new FakeSql(() => []);
    const journal = new MemoryJournal();
    const p = await plan(TWO_STEPS);
    await runRunbook(p, options(sql, journal));
    const again = await runRunbook(p, options(sql, journal));
    assert.deepEqual(again.steps.map((s) => s.outcome), ['skipped', 'skipped']);
    assert.equal(sql.sent.length, 3);
    await runStep(p, 'second', options(sql, journal, { force: new Set(['second']) }));
    assert.equal(sql.sent.length, 5);
  });

  it('an edited action is a new action', async () => {
    const sql = new FakeSql(() => []);
    const journal = new MemoryJournal();
    await runRunbook(await plan(TWO_STEPS), options(sql, journal));
    await runRunbook(await plan(TWO_STEPS.replace('SELECT 3;', 'SELECT 4;')), options(sql, journal));
    assert.deepEqual(sql.sent.slice(3).map((s) => s.text), ['SELECT 4;']);
  });

  it('asks before a destructive action, shows its exact text and target, and sends nothing when declined', async () => {
    const sql = new FakeSql(() => []);
    const p = await plan(runbookText(`## Recover {#recover}\n${FENCE}sql on=backup\nRESTORE DATABASE mgc WITH RECOVERY;\n${FENCE}`));
    const o = options(sql, new MemoryJournal(), { confirm: async (r) => (o.asked.push(r), false) });
    const result = await runRunbook(p, o);
    assert.equal(result.outcome, 'cancelled');
    assert.equal(sql.sent.length, 0);
    assert.deepEqual(o.asked[0], { kind: 'destructive', stepId: 'recover', target: 'backup dal-pcbak (dal-pcbak-001.litwareinc.com\\pchat)', text: 'RESTORE DATABASE mgc WITH RECOVERY;' });
  });

  it('a step marked done or skipped is not run', async () => {
    const sql = new FakeSql(() => []);
    const journal = new MemoryJournal();
    const p = await plan(TWO_STEPS);
    await markStep(p, journal, 'first', 'skipped', 'done by hand');
    await runRunbook(p, options(sql, journal));
    assert.deepEqual(sql.sent.map((s) => s.text), ['SELECT 2;', 'SELECT 3;']);
  });

  it('an interrupted action with no verification is sent again only if the operator says so', async () => {
    const sql = new FakeSql(() => []);
    const journal = new MemoryJournal();
    const p = await plan(TWO_STEPS);
    const first = p.steps[0]!.actions[0]!;
    await journal.append({ type: 'action-started', ref: first.ref }); // the crash
    const o = options(sql, journal, { confirm: async (r) => (o.asked.push(r), r.kind !== 'interrupted') });
    const result = await runRunbook(p, o);
    assert.equal(result.outcome, 'failed');
    assert.equal(o.asked[0]?.kind, 'interrupted');
    assert.equal(sql.sent.length, 0);
  });

  it('an interrupted action whose step verification holds is recorded complete, not sent again', async () => {
    // A persistent-chat-failover step matching "remove-log-shipping": verified by the msdb row count and the state.
    const text = runbookText(`## Remove {#rm}\n${FENCE}sql on=backup\nEXEC master.dbo.sp_delete_log_shipping_secondary_database @secondary_database = N'mgc';\n${FENCE}`, {
      runbook: 'persistent-chat-failover',
      estate: './lync-estate.yaml',
      pool: 'atl-gc-001.litwareinc.com',
    });
    const p: RunPlan = await plan(text);
    const handler: SqlHandler = (s) => (/secondary_rows/.test(s.text) ? [{ secondary_rows: 0 }] : /state_desc/.test(s.text) ? [{ state_desc: 'RESTORING' }] : []);
    const sql = new FakeSql(handler);
    const journal = new MemoryJournal();
    await journal.append({ type: 'action-started', ref: p.steps[0]!.actions[0]!.ref });
    const result = await runRunbook(p, options(sql, journal));
    assert.equal(result.outcome, 'completed');
    assert.ok(!sql.sent.some((s) => /sp_delete_log_shipping/.test(s.text)));
  });

  it('cancellation stops the run and leaves the action to be verified on resume', async () => {
    const abort = new AbortController();
    const shell = new FakeShell(() => [{ PoolFqdn: 'dal-cs-001.litwareinc.com', BackupModules: [{ Identity: 'ConfServices.DataConf', ExportStatus: 'NonSteadyState', ImportStatus: 'NormalState' }] }]);
    const p = await plan(runbookText(`## Wait {#wait}\n${FENCE}lync\nwait-backup-sync pool=dal-cs-001.litwareinc.com module=ConfServices.DataConf timeout=30m\n${FENCE}`));
    const journal = new MemoryJournal();
    const o = options(new FakeSql(() => []), journal, { signal: abort.signal, wait: async () => abort.abort() }, shell);
    const result = await runRunbook(p, o);
    assert.equal(result.outcome, 'cancelled');
    assert.ok(o.events.some((e) => e.type === 'progress' && /NonSteadyState/.test(e.message)));
    const state = await journal.state();
    assert.ok([...state.actions.values()].some((a) => a.status === 'started'));
  });

  it('wait-backup-sync reads the module statuses by name (cast to [string] in PowerShell): SteadyState succeeds, ErrorState fails', async () => {
    let calls = 0;
    const replies = ['NonSteadyState', 'NonSteadyState', 'SteadyState'];
    const commands: string[] = [];
    // The flat shape of getBackupModuleStatus: one object per module.
    const shell = new FakeShell((command) => {
      commands.push(command);
      return [{ Identity: 'UserServices.PresenceFocus', ExportStatus: 'SteadyState', ImportStatus: 'NormalState' }, { Identity: 'ConfServices.DataConf', ExportStatus: replies[Math.min(calls++, 2)], ImportStatus: 'NormalState' }];
    });
    const p = await plan(runbookText(`## Wait {#wait}\n${FENCE}lync\nwait-backup-sync pool=dal-cs-001.litwareinc.com module=ConfServices.DataConf\n${FENCE}`));
    assert.equal((await runRunbook(p, options(new FakeSql(() => []), new MemoryJournal(), { wait: async () => undefined }, shell))).outcome, 'completed');
    assert.equal(calls, 3);
    assert.match(commands[0]!, /Select-Object -ExpandProperty BackupModules \| Select-Object @\{n='Identity';e=\{\[string\]\$_\.Identity\}\}, @\{n='ExportStatus';e=\{\[string\]\$_\.ExportStatus\}\}/);
    const failing = new FakeShell(() => [{ Identity: 'ConfServices.DataConf', ExportStatus: 'ErrorState', ImportStatus: 'NormalState' }]);
    const result = await runRunbook(p, options(new FakeSql(() => []), new MemoryJournal(), { wait: async () => undefined }, failing));
    assert.match(result.failure!.message, /ErrorState/);
  });

  it('wait-backup-sync never maps an enum number (undocumented numbering): it is unknown, and the wait times out naming it', async () => {
    let now = 0;
    const shell = new FakeShell(() => [{ Identity: 'ConfServices.DataConf', ExportStatus: 1, ImportStatus: 0 }]);
    const p = await plan(runbookText(`## Wait {#wait}\n${FENCE}lync\nwait-backup-sync pool=dal-cs-001.litwareinc.com module=ConfServices.DataConf timeout=90s\n${FENCE}`));
    const result = await runRunbook(p, options(new FakeSql(() => []), new MemoryJournal(), { now: () => now, wait: async (ms: number) => void (now += ms) }, shell));
    assert.equal(result.outcome, 'failed');
    assert.match(result.failure!.message, /export unknown \(1: not a name\)/);
  });
});

describe('destructive sql blocks run statement by statement (issue 12 D2)', () => {
  const LOGS_AND_RECOVERY = runbookText(
    `## Restore {#restore}\n${FENCE}sql on=backup\nUSE master;\nRESTORE LOG mgc FROM DISK = N'D:\\LogShipping\\mgc\\mgc_1.trn' WITH NORECOVERY;\nRESTORE LOG mgc FROM DISK = N'D:\\LogShipping\\mgc\\mgc_2.trn' WITH NORECOVERY\nRESTORE LOG mgc FROM DISK = N'D:\\LogShipping\\mgc\\mgc_3.trn' WITH NORECOVERY;\nRESTORE DATABASE mgc WITH RECOVERY;\n${FENCE}`,
  );

  it('sends one request per statement, under the block\'s USE, and stops at the first error: no recovery after a failed log restore', async () => {
    const sql = new FakeSql((s) => {
      if (s.text.includes('mgc_2.trn')) throw new SqlError('Msg 4305: too recent', 'dal-pcbak', [{ number: 4305, class: 16, state: 1, message: 'too recent' }, { number: 3013, class: 16, state: 1, message: 'RESTORE LOG is terminating abnormally.' }]);
      return [];
    });
    const result = await runRunbook(await plan(LOGS_AND_RECOVERY), options(sql, new MemoryJournal()));
    assert.equal(result.outcome, 'failed');
    assert.deepEqual(sql.sent.map((s) => s.text), [
      "USE master;\nRESTORE LOG mgc FROM DISK = N'D:\\LogShipping\\mgc\\mgc_1.trn' WITH NORECOVERY",
      "USE master;\nRESTORE LOG mgc FROM DISK = N'D:\\LogShipping\\mgc\\mgc_2.trn' WITH NORECOVERY",
    ]);
    assert.match(result.failure!.message, /on backup dal-pcbak \(dal-pcbak-001\.litwareinc\.com\\pchat\) \(statement 2 of 4: RESTORE LOG mgc FROM DISK = N'D:\\LogShipping\\mgc\\mgc_2\.trn' WITH NORECOVERY\): .*4305/);
  });

  it('a read-only block is still sent as written, in one request', async () => {
    const sql = new FakeSql(() => []);
    const result = await runRunbook(await plan(runbookText(`## Read {#read}\n${FENCE}sql on=backup\nSELECT 1;\nSELECT 2;\n${FENCE}`)), options(sql, new MemoryJournal()));
    assert.equal(result.outcome, 'completed');
    assert.deepEqual(sql.sent.map((s) => s.text), ['SELECT 1;\nSELECT 2;']);
  });

  it('a destructive block whose meaning spans statements (variables, control flow) is refused at planning, with its line', async () => {
    for (const body of ["DECLARE @f nvarchar(260) = N'D:\\LogShipping\\mgc\\mgc_1.trn';\nRESTORE LOG mgc FROM DISK = @f WITH NORECOVERY;", "IF DB_ID(N'mgc') IS NOT NULL\nBEGIN\n  RESTORE DATABASE mgc WITH RECOVERY;\nEND"]) {
      await assert.rejects(plan(runbookText(`## Restore {#restore}\n${FENCE}sql on=backup\n${body}\n${FENCE}`)), (e: unknown) => {
        assert.ok(e instanceof PlanError, String(e));
        assert.match(e.problems[0]!.message, /step restore: this sql block changes state and uses (DECLARE|IF)[^:]*: .*one statement per request/);
        assert.ok(e.problems[0]!.line > 0);
        return true;
      });
    }
  });
});

describe('starting the shell ahead of its first command', () => {
  /** A shell that notes, among the SQL statements sent, when it was asked to start. */
  function recording(order: string[]): { sql: FakeSql; shell: FakeShell } {
    const sql = new FakeSql((s) => (order.push(s.text), []));
    const shell = new FakeShell((c) => (order.push(c), []));
    Object.assign(shell, { warmUp: () => order.push('(shell start)') });
    return { sql, shell };
  }

  it('asks the shell to start when the run begins if a step runs PowerShell', async () => {
    const order: string[] = [];
    const { sql, shell } = recording(order);
    const text = runbookText(`## Database {#db}\n${FENCE}sql on=backup\nSELECT 1;\n${FENCE}\n## Pool {#pool}\n${FENCE}powershell\nGet-CsPool\n${FENCE}`);
    const result = await runRunbook(await plan(text), options(sql, new MemoryJournal(), {}, shell));
    assert.equal(result.outcome, 'completed');
    assert.deepEqual(order, ['(shell start)', 'SELECT 1;', 'Get-CsPool']);
  });

  it('leaves the shell alone when no step runs PowerShell', async () => {
    const order: string[] = [];
    const { sql, shell } = recording(order);
    await runRunbook(await plan(TWO_STEPS), options(sql, new MemoryJournal(), {}, shell));
    assert.deepEqual(order, ['SELECT 1;', 'SELECT 2;', 'SELECT 3;']);
  });
});
