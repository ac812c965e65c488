/**
 * An action sent and then cut off (shell timeout or crash, SQL connection lost or request timed
 * out) has an unknown outcome: the engine journals it `interrupted`, stops saying so, and the next
 * run resolves it through the step's verification or the operator — never by re-sending blindly.
 * Definite failures (an error the server or shell answered, a connection refused before sending)
 * stay `failed` and are simply sent again. In-process fakes of the ports; nothing sleeps.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJournalText } from '../../../src/adapters/journal/file-journal';
import { runRunbook, type ConfirmRequest, type RunEvent, type RunOptions } from '../../../src/core/recovery';
import { classifyFailure } from '../../../src/core/recovery/classify';
import { ActionError } from '../../../src/core/recovery/errors';
import { journalState } from '../../../src/core/recovery/journal';
import { CancelledError, ConnectionError, ShellError, SqlError, TimeoutError, type SqlRow } from '../../../src/core/recovery/ports';
import { FakeShell, FakeSql, MemoryJournal, ports, type SentSql } from '../engine/fakes';
import { FENCE, plan, runbookText } from '../engine/support';

const POOL = 'atl-gc-001.litwareinc.com';
const SET_STATE = `Set-CsPersistentChatState -Identity "PersistentChatServer:${POOL}" -PoolState FailedOver`;
const PC_FAILOVER = { runbook: 'persistent-chat-failover', estate: './lync-estate.yaml', pool: POOL };
/** Matched to the procedure's fail-over-pool step: precondition mgc ONLINE, verification PoolState FailedOver. */
const FAIL_OVER = runbookText(`## Fail the pool over {#fail-over-pool}\n${FENCE}powershell\n${SET_STATE}\n${FENCE}`, PC_FAILOVER);
/** The same command in a custom runbook: no procedure step, so nothing verifies it. */
const UNVERIFIED = runbookText(`## Fail the pool over {#fail-over-pool}\n${FENCE}powershell\n${SET_STATE}\n${FENCE}`);

const shellTimeout = () => new TimeoutError('The shell did not answer within 50 ms; it was stopped and the next command starts a new one.', 'PowerShell (pwsh)', 50, { outcomeUnknown: true });
const connectionLost = () => new ConnectionError("Lost the connection to SQL instance 'dal-pcbak': the connection dropped.", 'dal-pcbak', '127.0.0.1', 1433, 'closed', { outcomeUnknown: true });

type Fault = 'none' | 'reply-lost' | 'not-applied' | 'error-record' | 'verify-times-out';

/**
 * A Lync shell holding one pool's state. `fault` decides what the next Set does: apply and lose the
 * reply (timeout), time out without applying, or answer with a PowerShell error; `verify-times-out`
 * makes reads time out.
 */
function lyncShell() {
  const lab = { poolState: 'Normal', fault: 'none' as Fault };
  const shell = new FakeShell((command) => {
    if (command.startsWith('Set-CsPersistentChatState')) {
      const fault = lab.fault;
      lab.fault = 'none';
      if (fault === 'not-applied') throw shellTimeout();
      if (fault === 'error-record') throw new ShellError('Command execution failed: Unable to access the Central Management Store. (InvalidOperation)', 'PowerShell (pwsh)', 'command-failed');
      lab.poolState = 'FailedOver';
      if (fault === 'reply-lost') throw shellTimeout();
      return [];
    }
    if (command.startsWith('Get-CsPersistentChatState')) {
      if (lab.fault === 'verify-times-out') throw shellTimeout();
      return [{ Identity: `PersistentChatServer:${POOL}`, PoolState: lab.poolState }];
    }
    throw new Error(`unexpected command: ${command}`);
  });
  return { lab, shell, sets: () => shell.sent.filter((c) => c.startsWith('Set-CsPersistentChatState')).length };
}

/** mgc on the backup is ONLINE (the fail-over step's precondition). */
const onlineSql = () => new FakeSql((s: SentSql): SqlRow[] => (/state_desc/.test(s.text) ? [{ name: 'mgc', state_desc: 'ONLINE' }] : []));

function options(journal: MemoryJournal, shell: FakeShell, sql: FakeSql, answer: (r: ConfirmRequest) => boolean = () => true, extra: Partial<RunOptions> = {}) {
  const events: RunEvent[] = [];
  const asked: ConfirmRequest[] = [];
  const o: RunOptions = {
    ports: ports(sql, shell),
    journal,
    mode: 'rehearsal',
    confirm: async (r) => (asked.push(r), answer(r)),
    onEvent: (e) => events.push(e),
    ...extra,
  };
  return { o, events, asked };
}

const finishes = (journal: MemoryJournal) => journal.records.filter((r) => r.type === 'action-finished');

describe('an action whose outcome is unknown (engine, fakes)', () => {
  it('a shell timeout after sending: journaled interrupted, the step is interrupted, the run says the outcome is unknown', async () => {
    const { lab, shell } = lyncShell();
    const journal = new MemoryJournal();
    lab.fault = 'not-applied';
    const { o, events } = options(journal, shell, onlineSql());
    const result = await runRunbook(await plan(FAIL_OVER), o);

    assert.equal(result.outcome, 'failed');
    assert.deepEqual(result.steps.map((s) => `${s.stepId}:${s.outcome}`), ['fail-over-pool:interrupted']);
    assert.equal(result.failure?.outcomeUnknown, true);
    assert.match(result.failure!.message, /^Step fail-over-pool was interrupted \(line \d+\) on Lync Server Management Shell \(Set-CsPersistentChatState\) and its outcome is unknown: The shell did not answer within 50 ms/);
    assert.match(result.failure!.hint!, /verification is checked first.*not sent again.*asked before it is sent again/);
    assert.ok(events.some((e) => e.type === 'step-finished' && e.outcome === 'interrupted'));
    const [finished] = finishes(journal);
    assert.equal(finished?.type === 'action-finished' && finished.outcome, 'interrupted');
    assert.match(finished?.type === 'action-finished' ? (finished.error ?? '') : '', /did not answer within 50 ms/);
    // Resumed like a crash: started, not failed; the reason is kept.
    const [state] = [...(await journal.state()).actions.values()];
    assert.equal(state?.status, 'started');
    assert.match(state?.error ?? '', /did not answer/);
    const last = journal.records.at(-1);
    assert.equal(last?.type === 'run-finished' && last.outcome, 'failed');
  });

  it('re-run: the verification shows it took effect, so it is recorded complete and not sent again', async () => {
    const { lab, shell, sets } = lyncShell();
    const journal = new MemoryJournal();
    lab.fault = 'reply-lost';
    const first = await runRunbook(await plan(FAIL_OVER), options(journal, shell, onlineSql()).o);
    assert.equal(first.steps[0]?.outcome, 'interrupted');
    assert.equal(lab.poolState, 'FailedOver', 'the command took effect; only its reply was lost');

    const { o, asked, events } = options(journal, shell, onlineSql());
    const second = await runRunbook(await plan(FAIL_OVER), o);
    assert.equal(second.outcome, 'completed', JSON.stringify(second.failure));
    assert.equal(sets(), 1, 'Set-CsPersistentChatState was not sent again');
    assert.deepEqual(asked, [], 'nothing to ask: the verification decided');
    assert.ok(events.some((e) => e.type === 'action-skipped' && /interrupted earlier, verified complete \(PoolState FailedOver\)/.test(e.reason)));
    const verified = finishes(journal).at(-1);
    assert.equal(verified?.type === 'action-finished' && verified.outcome, 'ok');
  });

  it('re-run: the verification does not hold, so the operator is asked, with what was recorded and seen, before it is sent again', async () => {
    const { lab, shell, sets } = lyncShell();
    const journal = new MemoryJournal();
    lab.fault = 'not-applied';
    await runRunbook(await plan(FAIL_OVER), options(journal, shell, onlineSql()).o);

    const declined = options(journal, shell, onlineSql(), (r) => r.kind !== 'interrupted');
    const refused = await runRunbook(await plan(FAIL_OVER), declined.o);
    assert.equal(sets(), 1, 'not sent again without the operator');
    assert.deepEqual(declined.asked.map((r) => r.kind), ['interrupted']);
    const request = declined.asked[0]!;
    assert.ok(request.kind === 'interrupted');
    assert.equal(request.text, SET_STATE);
    assert.match(request.detail ?? '', /last run: The shell did not answer within 50 ms/);
    assert.match(request.detail ?? '', /verification does not show it took effect: PoolState Normal, expected FailedOver/);
    assert.deepEqual(refused.steps.map((s) => s.outcome), ['interrupted']);
    assert.match(refused.failure!.hint!, /mark the step done.*confirm sending it again/);

    const accepted = options(journal, shell, onlineSql());
    const second = await runRunbook(await plan(FAIL_OVER), accepted.o);
    assert.equal(second.outcome, 'completed', JSON.stringify(second.failure));
    assert.deepEqual(accepted.asked.map((r) => r.kind), ['interrupted', 'destructive']);
    assert.equal(sets(), 2);
    assert.equal(lab.poolState, 'FailedOver');
  });

  it('re-run without verification: the operator is asked before it is sent again', async () => {
    const { lab, shell, sets } = lyncShell();
    const journal = new MemoryJournal();
    lab.fault = 'reply-lost';
    const first = await runRunbook(await plan(UNVERIFIED), options(journal, shell, onlineSql()).o);
    assert.equal(first.steps[0]?.outcome, 'interrupted');
    assert.match(first.failure!.hint!, /Check whether it took effect before you run again: nothing can verify it/);

    const { o, asked } = options(journal, shell, onlineSql(), (r) => r.kind !== 'interrupted');
    const second = await runRunbook(await plan(UNVERIFIED), o);
    assert.equal(second.outcome, 'failed');
    assert.deepEqual(asked.map((r) => r.kind), ['interrupted']);
    assert.equal(sets(), 1);
  });

  it('re-run while the verification cannot be made: stops, sends nothing and asks nothing', async () => {
    const { lab, shell, sets } = lyncShell();
    const journal = new MemoryJournal();
    lab.fault = 'reply-lost';
    await runRunbook(await plan(FAIL_OVER), options(journal, shell, onlineSql()).o);
    lab.fault = 'verify-times-out';
    const { o, asked } = options(journal, shell, onlineSql());
    const second = await runRunbook(await plan(FAIL_OVER), o);
    assert.equal(second.outcome, 'failed');
    assert.deepEqual(second.steps.map((s) => s.outcome), ['interrupted']);
    assert.match(second.failure!.message, /interrupted earlier during "Set-CsPersistentChatState .*" on Lync Server Management Shell, and whether it took effect cannot be checked now: .*did not answer within 50 ms/);
    assert.deepEqual(asked, []);
    assert.equal(sets(), 1);
  });

  it('a definite failure (a PowerShell error record) stays failed, and the re-run sends it again without asking', async () => {
    const { lab, shell, sets } = lyncShell();
    const journal = new MemoryJournal();
    lab.fault = 'error-record';
    const first = await runRunbook(await plan(FAIL_OVER), options(journal, shell, onlineSql()).o);
    assert.deepEqual(first.steps.map((s) => s.outcome), ['failed']);
    assert.equal(first.failure?.outcomeUnknown, undefined);
    assert.match(first.failure!.message, /^Step fail-over-pool failed \(line \d+\) .*Central Management Store/);
    const failed = finishes(journal)[0];
    assert.equal(failed?.type === 'action-finished' && failed.outcome, 'failed');

    const { o, asked } = options(journal, shell, onlineSql());
    const second = await runRunbook(await plan(FAIL_OVER), o);
    assert.equal(second.outcome, 'completed', JSON.stringify(second.failure));
    assert.deepEqual(asked.map((r) => r.kind), ['destructive']);
    assert.equal(sets(), 2);
  });

  it('SQL: a connection lost mid-statement is interrupted; refused before sending or a server error is failed and re-sent', async () => {
    const text = runbookText(`## Update {#update}\n${FENCE}sql on=backup\nUPDATE dbo.t SET x = 1;\n${FENCE}`);
    const cases: { error: () => Error; outcome: string }[] = [
      { error: connectionLost, outcome: 'interrupted' },
      { error: () => new ConnectionError("Cannot connect to SQL instance 'dal-pcbak': nothing accepts connections there.", 'dal-pcbak', '127.0.0.1', 1433, 'refused'), outcome: 'failed' },
      { error: () => new SqlError('Msg 208: Invalid object name', 'dal-pcbak', [{ number: 208, class: 16, state: 1, message: "Invalid object name 'dbo.t'." }]), outcome: 'failed' },
    ];
    for (const c of cases) {
      let fail = true;
      const sql = new FakeSql(() => {
        if (fail) {
          fail = false;
          throw c.error();
        }
        return [];
      });
      const journal = new MemoryJournal();
      const first = await runRunbook(await plan(text), options(journal, new FakeShell(), sql).o);
      assert.deepEqual(first.steps.map((s) => s.outcome), [c.outcome], c.error().message);
      const { o, asked } = options(journal, new FakeShell(), sql);
      assert.equal((await runRunbook(await plan(text), o)).outcome, 'completed');
      // Interrupted: the operator decides (nothing verifies a custom step); failed: just sent again.
      assert.deepEqual(asked.map((r) => r.kind), c.outcome === 'interrupted' ? ['interrupted', 'destructive'] : ['destructive'], c.outcome);
      assert.equal(sql.sent.length, 2);
    }
  });

  it('a built-in cut off mid-command is interrupted, and re-run it re-reads the state instead of sending again', async () => {
    let state = 'RESTORING';
    let cutOff = true;
    const sql = new FakeSql((s) => {
      if (/state_desc/.test(s.text)) return [{ name: 'mgc', state_desc: state }];
      if (/RESTORE DATABASE/i.test(s.text)) {
        state = 'ONLINE';
        if (cutOff) {
          cutOff = false;
          throw connectionLost();
        }
      }
      return [];
    });
    const text = runbookText(`## Recover {#recover}\n${FENCE}lync\nrecover-database database=mgc on=backup\n${FENCE}`);
    const journal = new MemoryJournal();
    const first = await runRunbook(await plan(text), options(journal, new FakeShell(), sql).o);
    assert.deepEqual(first.steps.map((s) => s.outcome), ['interrupted']);
    assert.match(first.failure!.hint!, /re-reads the state it acts on/);
    assert.deepEqual(finishes(journal).map((r) => r.type === 'action-finished' && r.outcome), ['interrupted', 'interrupted'], 'the command and its fence');

    const second = await runRunbook(await plan(text), options(journal, new FakeShell(), sql).o);
    assert.equal(second.outcome, 'completed', JSON.stringify(second.failure));
    assert.equal(sql.sent.filter((s) => /RESTORE DATABASE/i.test(s.text)).length, 1, 'already ONLINE: not restored again');
  });

  it('cancellation keeps its behaviour: the action is left started (no finish record) and the step is cancelled', async () => {
    const abort = new AbortController();
    const shell = new FakeShell(() => {
      abort.abort();
      throw new CancelledError('Cancelled: the shell was stopped; the command may or may not have run.', 'PowerShell (pwsh)');
    });
    const journal = new MemoryJournal();
    const result = await runRunbook(await plan(FAIL_OVER), options(journal, shell, onlineSql(), () => true, { signal: abort.signal }).o);
    assert.equal(result.outcome, 'cancelled');
    assert.deepEqual(result.steps.map((s) => s.outcome), ['cancelled']);
    assert.deepEqual(finishes(journal), []);
    assert.equal([...(await journal.state()).actions.values()][0]?.status, 'started');
  });
});

describe('classifyFailure', () => {
  it('reads the adapters’ marker, through a built-in’s ActionError cause; cancellation and definite errors are not unknown', () => {
    assert.equal(classifyFailure(shellTimeout()), 'outcome-unknown');
    assert.equal(classifyFailure(connectionLost()), 'outcome-unknown');
    assert.equal(classifyFailure(new ShellError('ended mid-command', 'pwsh', 'crashed', undefined, undefined, { outcomeUnknown: true })), 'outcome-unknown');
    assert.equal(classifyFailure(new ActionError('RESTORE LOG … was cut off', 'run again', { cause: connectionLost() })), 'outcome-unknown');
    assert.equal(classifyFailure(new TimeoutError('no connection within 50 ms; not sent', 'dal-pcbak', 50)), 'failed');
    assert.equal(classifyFailure(new ShellError('ended before the command was sent', 'pwsh', 'crashed')), 'failed');
    assert.equal(classifyFailure(new ActionError('gap', 'fix it')), 'failed');
    assert.equal(classifyFailure(new Error('boom')), 'failed');
    assert.equal(classifyFailure(new CancelledError('cancelled', 'pwsh')), 'cancelled');
  });
});

describe('journal: the interrupted outcome', () => {
  const line = (o: Record<string, unknown>) => JSON.stringify({ v: 1, at: '2024-01-01T00:00:00.000Z', runId: 'r1', stepId: 's', index: 0, ...o });

  it('folds into an unfinished action, with its error; journals written before it read as they did', () => {
    const text = [
      line({ seq: 0, type: 'action-started', key: 'a', text: 'one' }),
      line({ seq: 1, type: 'action-finished', key: 'a', outcome: 'ok' }),
      line({ seq: 2, type: 'action-started', key: 'b', text: 'two' }),
      line({ seq: 3, type: 'action-finished', key: 'b', outcome: 'failed', error: 'Msg 208' }),
      line({ seq: 4, type: 'action-started', key: 'c', text: 'three' }),
      line({ seq: 5, type: 'action-started', key: 'd', text: 'four' }),
      line({ seq: 6, type: 'action-finished', key: 'd', outcome: 'interrupted', error: 'The shell did not answer within 50 ms' }),
      '',
    ].join('\n');
    const contents = parseJournalText(text);
    assert.deepEqual(contents.problems, []);
    const state = journalState(contents);
    assert.deepEqual(
      [...state.actions.values()].map((a) => [a.key, a.status, a.error]),
      [
        ['a', 'completed', undefined],
        ['b', 'failed', 'Msg 208'],
        ['c', 'started', undefined],
        ['d', 'started', 'The shell did not answer within 50 ms'],
      ],
    );
  });
});
