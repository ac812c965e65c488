/**
 * The conference restore's precondition that the pool which lost its content answers again
 * (its own Backup Service), with the engine's in-process fakes: it stops the run before anything
 * is sent, says what, where and what to do, and holds once the pool is failed back.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { planProcedure, runRunbook, type RunEvent, type RunOptions, type RunPlan } from '../../../src/core/recovery';
import { parseFqdn } from '../../../src/core/commands/values';
import type { Check } from '../../../src/core/procedures';
import { poolAnswers } from '../../../src/core/recovery/lync-status';
import { ShellError } from '../../../src/core/recovery/ports';
import { parseRunbook } from '../../../src/core/runbook';
import { FakeShell, FakeSql, MemoryJournal, ports } from '../engine/fakes';
import { estate, plan } from '../engine/support';
import { powershellParser } from '../runbook/grammar';

const LOST = 'atl-cs-001.litwareinc.com';
const PARTNER = 'dal-cs-001.litwareinc.com';
const SAMPLES = path.resolve(__dirname, '../../../samples/litware');

/** The Lync side as the fakes see it: the lost pool's Backup Service answers only when `up()`. */
function lyncShell(up: () => boolean, onSend: (command: string) => void = () => {}): FakeShell {
  return new FakeShell((command) => {
    onSend(command);
    if (command.startsWith('Get-CsPoolBackupRelationship')) return [{ PoolFqdn: LOST, BackupPoolFqdn: PARTNER }];
    // The Central Management Store answers (it is hosted elsewhere in this estate).
    if (command.startsWith('Get-CsManagementStoreReplicationStatus')) return [{ ActiveMasterFqdn: PARTNER }];
    if (command.startsWith(`Get-CsBackupServiceStatus -PoolFqdn '${LOST}'`)) {
      // What the cmdlet writes for a pool whose Front Ends do not run (the adapter's ShellError).
      if (!up()) throw new ShellError(`Unable to contact the Backup Service on pool "${LOST}". Verify that the pool is running and reachable. (ConnectionError)`, 'shell', 'command-failed');
      return [{ Identity: 'ConfServices.DataConf', ExportStatus: 'SteadyState', ImportStatus: 'NormalState' }];
    }
    if (command.startsWith(`Get-CsBackupServiceStatus -PoolFqdn '${PARTNER}'`)) return [{ Identity: 'ConfServices.DataConf', ExportStatus: 'SteadyState', ImportStatus: 'NormalState' }];
    return [];
  });
}

function options(shell: FakeShell, journal = new MemoryJournal()): RunOptions & { events: RunEvent[]; journal: MemoryJournal } {
  const events: RunEvent[] = [];
  return {
    ports: ports(new FakeSql(() => []), shell),
    journal,
    mode: 'rehearsal',
    confirm: async () => true,
    onEvent: (e) => events.push(e),
    pollIntervalMs: 1,
    wait: async () => {},
    events,
  };
}

const sample = async (name: string): Promise<RunPlan> => plan(fs.readFileSync(path.join(SAMPLES, name), 'utf8'));

async function builtIn(kind: 'conference-restore' | 'pool-failback', pool: string): Promise<RunPlan> {
  const powershell = await powershellParser();
  return planProcedure(kind, estate(), pool, { runbookPath: `/runbooks/${kind}.runbook.md`, parse: (text) => parseRunbook(text, { powershell }) });
}

/** Commands that are not reads: what a stopped run must not have sent. */
const changes = (shell: FakeShell) => shell.sent.filter((c) => !/^Get-Cs/.test(c));

describe('conference restore: the lost pool must answer again', () => {
  it('the sample runbook stops before its first step when the lost pool does not answer: what, where, what to do', async () => {
    const shell = lyncShell(() => false);
    const o = options(shell);
    const result = await runRunbook(await sample('conference-restore.runbook.md'), o);

    assert.equal(result.outcome, 'failed');
    assert.equal(result.failure?.stepId, 'sync');
    assert.ok(result.failure!.line > 0);
    const message = result.failure!.message;
    assert.match(message, /^Before step sync: expected atl-cs-001\.litwareinc\.com answers again/);
    assert.match(message, /atl-cs-001\.litwareinc\.com does not answer — Get-CsBackupServiceStatus -PoolFqdn atl-cs-001\.litwareinc\.com: Unable to contact the Backup Service/);
    assert.match(message, /still down, or failed over to dal-cs-001\.litwareinc\.com/);
    assert.match(message, /Fail the pool back first \(Lync: Fail Back Front End Pool…, or Invoke-CsPoolFailBack -PoolFqdn atl-cs-001\.litwareinc\.com\), then run the conference restore again/);
    assert.ok(result.failure!.hint);
    // Nothing was sent: no action started (journal and events), only the reads of the checks.
    assert.deepEqual(changes(shell), []);
    assert.ok(!o.journal.records.some((r) => r.type === 'action-started'));
    assert.ok(!o.events.some((e) => e.type === 'action-started'));
    const check = o.events.find((e) => e.type === 'check' && e.check.kind === 'pool-answers');
    assert.ok(check && check.type === 'check' && check.phase === 'before' && !check.ok);
  });

  it('the built-in procedure stops at its first step, before the pairing is even read', async () => {
    const shell = lyncShell(() => false);
    const result = await runRunbook(await builtIn('conference-restore', LOST), options(shell));
    assert.equal(result.outcome, 'failed');
    assert.equal(result.failure?.stepId, 'check-pairing');
    assert.match(result.failure!.message, /atl-cs-001\.litwareinc\.com does not answer.*Lync: Fail Back Front End Pool…/);
    assert.deepEqual(shell.sent.map((c) => c.split(' |')[0]), [`Get-CsBackupServiceStatus -PoolFqdn '${LOST}'`]);
  });

  it('once the pool answers the same runbook passes the precondition and completes', async () => {
    let up = false;
    const plan_ = await sample('conference-restore.runbook.md');
    const journal = new MemoryJournal();
    const shell = lyncShell(() => up);
    assert.equal((await runRunbook(plan_, options(shell, journal))).outcome, 'failed');

    up = true;
    const o = options(shell, journal);
    const result = await runRunbook(plan_, o);
    assert.equal(result.outcome, 'completed', JSON.stringify(result.failure));
    assert.deepEqual(result.steps.map((s) => `${s.stepId}:${s.outcome}`), ['sync:completed', 'wait:completed', 'status:completed']);
    const check = o.events.find((e) => e.type === 'check' && e.check.kind === 'pool-answers');
    assert.ok(check && check.type === 'check' && check.ok, JSON.stringify(check));
    assert.match(check.detail, /atl-cs-001\.litwareinc\.com answers \(Backup Service: ConfServices\.DataConf SteadyState\)/);
    assert.equal(changes(shell).filter((c) => c.startsWith('Invoke-CsBackupServiceSync')).length, 1);
  });

  it('a shell that crashes while checking is not taken for a pool that does not answer', async () => {
    const shell = new FakeShell((command) => {
      if (command.startsWith('Get-CsBackupServiceStatus')) throw new ShellError('The shell exited (code 255) during the command.', 'shell', 'crashed');
      return command.startsWith('Get-CsPoolBackupRelationship') ? [{ PoolFqdn: LOST, BackupPoolFqdn: PARTNER }] : [];
    });
    const result = await runRunbook(await sample('conference-restore.runbook.md'), options(shell));
    assert.equal(result.outcome, 'failed');
    assert.match(result.failure!.message, /^Before step sync: could not check that atl-cs-001\.litwareinc\.com answers again .*exited/);
    assert.doesNotMatch(result.failure!.message, /Fail the pool back/);
  });

  it('pool failback: the sync is checked after the failback step, in the documented order', async () => {
    let failedBack = false;
    const shell = lyncShell(
      () => failedBack,
      (command) => {
        if (command.startsWith('Invoke-CsPoolFailBack')) failedBack = true;
      },
    );
    const result = await runRunbook(await builtIn('pool-failback', LOST), options(shell));
    assert.equal(result.outcome, 'completed', JSON.stringify(result.failure));
    const order = shell.sent.map((c) => c.split(' |')[0]!.replace(/ -BackupModule .*/, ''));
    const failback = order.indexOf(`Invoke-CsPoolFailBack -PoolFqdn '${LOST}'`);
    const answers = order.indexOf(`Get-CsBackupServiceStatus -PoolFqdn '${LOST}'`);
    const sync = order.indexOf(`Invoke-CsBackupServiceSync -PoolFqdn '${PARTNER}'`);
    assert.ok(failback >= 0 && failback < answers && answers < sync, order.join('\n'));
  });
});

describe('poolAnswers (reading the lost pool\'s Backup Service)', () => {
  const check: Extract<Check, { kind: 'pool-answers' }> = { kind: 'pool-answers', pool: parseFqdn(LOST), partner: parseFqdn(PARTNER), remedy: 'Do this' };

  it('any reply means the pool answers, even without modules', async () => {
    assert.deepEqual(await poolAnswers(check, async () => []), { ok: true, detail: `${LOST} answers` });
  });

  it("the cmdlet's error is the answer: not ok, with what it said, where the users are, and the remedy", async () => {
    const result = await poolAnswers(check, async () => {
      throw new ShellError('Unable to contact the Backup Service on pool "x". ', 'shell', 'command-failed');
    });
    assert.equal(result.ok, false);
    assert.equal(result.detail, `${LOST} does not answer — Get-CsBackupServiceStatus -PoolFqdn ${LOST}: Unable to contact the Backup Service on pool "x". It is still down, or failed over to ${PARTNER}. Do this`);
  });

  it('a shell that cannot run the command is thrown on (the check could not be made)', async () => {
    await assert.rejects(
      poolAnswers(check, async () => {
        throw new ShellError('pwsh not found', 'shell', 'not-found');
      }),
      /pwsh not found/,
    );
  });
});

describe('pool failover: "the pool is down" is read, never confirmed by a person', () => {
  const failOver = async () => {
    const powershell = await powershellParser();
    return planProcedure('pool-failover', estate(), LOST, { runbookPath: '/runbooks/pool-failover.runbook.md', parse: (text) => parseRunbook(text, { powershell }) });
  };

  it('a healthy pool refuses Invoke-CsPoolFailOver -DisasterMode from its live status, with the evidence; nobody is asked "is it down?"', async () => {
    const asked: string[] = [];
    const shell = lyncShell(() => true);
    const o = { ...options(shell), confirm: async (r: { kind: string; text: string }) => (asked.push(`${r.kind}: ${r.text}`), true) };
    const result = await runRunbook(await failOver(), o);
    assert.equal(result.outcome, 'failed');
    assert.equal(result.failure?.stepId, 'fail-over-pool');
    assert.match(result.failure!.message, /^Before step fail-over-pool: expected atl-cs-001\.litwareinc\.com does not answer .*found: atl-cs-001\.litwareinc\.com answers \(Backup Service: ConfServices\.DataConf SteadyState\)/);
    assert.ok(!asked.some((a) => /is down/.test(a)), asked.join('\n'));
    assert.ok(!shell.sent.some((c) => c.startsWith('Invoke-CsPoolFailOver')));
  });

  it('only an explicit override goes on against a pool that answers; a pool that does not answer passes without a question', async () => {
    const overridden = { ...options(lyncShell(() => true)), override: async () => true };
    const shell = lyncShell(() => true);
    overridden.ports = ports(new FakeSql(() => []), shell);
    const result = await runRunbook(await failOver(), overridden);
    assert.ok(shell.sent.some((c) => c.startsWith('Invoke-CsPoolFailOver')), `sent after the explicit override: ${JSON.stringify(result.failure)}`);

    const downShell = lyncShell(() => false);
    const o = options(downShell);
    await runRunbook(await failOver(), o);
    const check = o.events.find((e) => e.type === 'check' && e.check.kind === 'pool-unreachable');
    assert.ok(check && check.type === 'check' && check.ok, JSON.stringify(check));
    assert.match(check.detail, /atl-cs-001\.litwareinc\.com does not answer — Get-CsBackupServiceStatus/);
    assert.ok(downShell.sent.some((c) => c.startsWith('Invoke-CsPoolFailOver')));
  });
});
