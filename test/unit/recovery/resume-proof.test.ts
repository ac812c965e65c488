/**
 * Issue 17 item 5: resume only on proof. An interrupted action is recorded done only when a check
 * that reads the state shows it took effect; an operator checkpoint (auto-confirmed by `--yes` or
 * answered by a person who was not told what it decides) never is. Without proof, a command that
 * leaves the same state however often it is sent (an explicit active-server list) is sent again;
 * anything else is put to the operator as "send it again?", which `--yes` refuses.
 * In-process fakes of the ports; nothing sleeps.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runRunbook, type ConfirmRequest, type RunEvent, type RunOptions } from '../../../src/core/recovery';
import { TimeoutError } from '../../../src/core/recovery/ports';
import { isRepeatable } from '../../../src/core/recovery/repeatable';
import { FakeShell, FakeSql, MemoryJournal, ports } from '../engine/fakes';
import { FENCE, plan, runbookText } from '../engine/support';

const POOL = 'atl-gc-001.litwareinc.com';
const ATLANTA = ['atl-pc-001.litwareinc.com', 'atl-pc-002.litwareinc.com'];
const DALLAS = ['dal-pc-001.litwareinc.com', 'dal-pc-002.litwareinc.com'];
const REPLACE = `Set-CsPersistentChatActiveServer -Identity "global" -ActiveServers @{Replace=${DALLAS.map((s) => `"${s}"`).join(',')}}`;
const SWAP = 'Set-CsPersistentChatActiveServer -Identity "global" -Swap';
const PC_FAILOVER = { runbook: 'persistent-chat-failover', estate: './lync-estate.yaml', pool: POOL };
/** Matched to the procedure's activate step: its only verification is an operator checkpoint. */
const activate = (command: string) => runbookText(`## Activate the Dallas servers {#activate-dallas}\n${FENCE}powershell\n${command}\n${FENCE}`, PC_FAILOVER);

/** A Lync shell with the pool failed over; the first Set times out before it takes effect. */
function lyncShell() {
  const lab = { active: [...ATLANTA], lose: true };
  const shell = new FakeShell((command) => {
    if (command.startsWith('Get-CsPersistentChatState')) return [{ Identity: `PersistentChatServer:${POOL}`, PoolState: 'FailedOver' }];
    if (command.startsWith('Set-CsPersistentChatActiveServer')) {
      if (lab.lose) {
        lab.lose = false;
        throw new TimeoutError('The shell did not answer within 50 ms.', 'PowerShell (pwsh)', 50, { outcomeUnknown: true });
      }
      lab.active = command.includes('-Swap') ? (lab.active[0] === ATLANTA[0] ? [...DALLAS] : [...ATLANTA]) : [...DALLAS];
      return [];
    }
    throw new Error(`unexpected command: ${command}`);
  });
  return { lab, shell, sets: () => shell.sent.filter((c) => c.startsWith('Set-CsPersistentChatActiveServer')).length };
}

/** As `run --yes` answers: destructive actions and checkpoints yes, "send an interrupted action again" no. */
const unattended = (r: ConfirmRequest) => r.kind !== 'interrupted';

function options(journal: MemoryJournal, shell: FakeShell, answer: (r: ConfirmRequest) => boolean) {
  const events: RunEvent[] = [];
  const asked: ConfirmRequest[] = [];
  const o: RunOptions = { ports: ports(new FakeSql(() => []), shell), journal, mode: 'rehearsal', confirm: async (r) => (asked.push(r), answer(r)), onEvent: (e) => events.push(e) };
  return { o, events, asked };
}

describe('resume only on proof', () => {
  it('unattended resume of an interrupted explicit active-server list: the checkpoint is no proof, and the command is sent again', async () => {
    const { lab, shell, sets } = lyncShell();
    const journal = new MemoryJournal();
    const first = await runRunbook(await plan(activate(REPLACE)), options(journal, shell, unattended).o);
    assert.deepEqual(first.steps.map((s) => s.outcome), ['interrupted']);
    assert.deepEqual(lab.active, ATLANTA);

    const { o, asked, events } = options(journal, shell, unattended);
    const second = await runRunbook(await plan(activate(REPLACE)), o);
    assert.equal(second.outcome, 'completed', JSON.stringify(second.failure));
    assert.equal(sets(), 2, 'sent again');
    assert.deepEqual(lab.active, DALLAS);
    assert.ok(!asked.some((r) => r.kind === 'interrupted'));
    // The checkpoint is asked once, after the command was sent, as the step's verification.
    assert.deepEqual(asked.map((r) => r.kind), ['destructive', 'checkpoint']);
    assert.ok(events.some((e) => e.type === 'warning' && /interrupted earlier .* sent again: it sets the same state however often it is sent/.test(e.message)), JSON.stringify(events.filter((e) => e.type === 'warning')));
  });

  it('unattended resume of an interrupted command that is not repeatable: not recorded done, not sent, stopped for a person', async () => {
    const { lab, shell, sets } = lyncShell();
    const journal = new MemoryJournal();
    await runRunbook(await plan(activate(SWAP)), options(journal, shell, unattended).o);

    const { o, asked } = options(journal, shell, unattended);
    const second = await runRunbook(await plan(activate(SWAP)), o);
    assert.equal(second.outcome, 'failed');
    assert.deepEqual(second.steps.map((s) => s.outcome), ['interrupted']);
    assert.equal(sets(), 1, 'not sent again');
    assert.deepEqual(lab.active, ATLANTA);
    assert.deepEqual(asked.map((r) => r.kind), ['interrupted'], 'the checkpoint was not taken as proof');
    assert.ok(!journal.records.some((r) => r.type === 'action-finished' && r.outcome === 'ok'), 'nothing recorded complete');
  });

  it('an operator resuming it is asked the real question — send it again? — not the checkpoint', async () => {
    const { lab, shell, sets } = lyncShell();
    const journal = new MemoryJournal();
    await runRunbook(await plan(activate(SWAP)), options(journal, shell, unattended).o);

    const { o, asked } = options(journal, shell, () => true);
    const second = await runRunbook(await plan(activate(SWAP)), o);
    assert.equal(second.outcome, 'completed', JSON.stringify(second.failure));
    assert.deepEqual(asked.map((r) => r.kind), ['interrupted', 'destructive', 'checkpoint']);
    assert.equal(sets(), 2);
    assert.deepEqual(lab.active, DALLAS);
  });
});

describe('repeatable commands', () => {
  it('only exact literal desired-state forms are repeatable', () => {
    const yes = [
      REPLACE,
      `Set-CsPersistentChatActiveServer -Identity 'global' -ActiveServers 'dal-pc-001.litwareinc.com', 'dal-pc-002.litwareinc.com'`,
      `set-cspersistentchatactiveserver -Identity "global" -ActiveServers @{ Replace = "dal-pc-001.litwareinc.com" } -Force`,
    ];
    const no = [
      SWAP,
      'Set-CsPersistentChatActiveServer -Identity "global" -ActiveServers @{Add="dal-pc-001.litwareinc.com"}',
      'Set-CsPersistentChatActiveServer -Identity "global" -ActiveServers $servers',
      'Set-CsPersistentChatActiveServer -Identity "global" -ActiveServers "$(Remove-Item C:\\x)"',
      'Set-CsPersistentChatActiveServer -Identity "global" -ActiveServers "a"; Stop-Computer',
      'Set-CsPersistentChatActiveServer -Identity "global"\n-ActiveServers "a"',
      'Set-CsPersistentChatState -Identity "PersistentChatServer:atl-gc-001.litwareinc.com" -PoolState FailedOver',
    ];
    assert.deepEqual(yes.filter((s) => !isRepeatable(s)), []);
    assert.deepEqual(no.filter((s) => isRepeatable(s)), []);
  });
});
