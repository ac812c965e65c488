import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dryRun, formatDryRun, PlanError, planProcedure, powershellStatements } from '../../../src/core/recovery';
import { FakeShell, FakeSql } from './fakes';
import { parseRunbook } from '../../../src/core/runbook';
import { powershellParser } from '../runbook/grammar';
import { estate, FENCE, plan, runbookText } from './support';

describe('planning a runbook', () => {
  it('resolves store roles through the front-matter pool and instance ids directly', async () => {
    const p = await plan(runbookText(`## One\n${FENCE}sql on=backup\nSELECT 1;\n${FENCE}\n${FENCE}sql on=atl-sql\nSELECT 2;\n${FENCE}\n${FENCE}lync\napply-log-backups database=mgc on=backup:mgccomp\n${FENCE}`));
    const [a, b, c] = p.steps[0]!.actions;
    assert.equal(a!.kind === 'sql' && a.target.instanceId, 'dal-pcbak');
    assert.equal(a!.kind === 'sql' && a.target.role, 'backup');
    assert.equal(b!.kind === 'sql' && b.target.instanceId, 'atl-sql');
    assert.equal(c!.kind === 'lync' && c.commands[0]!.target?.store, 'mgccomp');
    assert.equal(a!.destructive, false);
  });

  it('lists every unresolvable target and bad built-in with its line', async () => {
    const text = runbookText(`## One\n${FENCE}sql\nSELECT 1;\n${FENCE}\n${FENCE}sql on=nowhere\nSELECT 1;\n${FENCE}\n${FENCE}lync\nwait-backup-sync pool=dal-cs-001.litwareinc.com module=DataConf\ncheck-pool-state pool=atl-gc-001.litwareinc.com state=Failover\nrecover-database database=mgc\n${FENCE}`);
    await assert.rejects(plan(text), (e: unknown) => {
      assert.ok(e instanceof PlanError);
      const messages = e.problems.map((p) => `${p.line}: ${p.message}`).join('\n');
      assert.match(messages, /a sql block needs a target/);
      assert.match(messages, /on=nowhere is neither a store role/);
      assert.match(messages, /module=DataConf/);
      assert.match(messages, /state=Failover/);
      assert.match(messages, /recover-database needs a SQL target/);
      assert.ok(e.problems.every((p) => p.line > 0));
      return true;
    });
  });

  it('refuses a role target without a pool in the front matter', async () => {
    await assert.rejects(plan(runbookText(`## One\n${FENCE}sql on=backup\nSELECT 1;\n${FENCE}`, { runbook: 'custom', estate: './x.yaml' })), /names no pool/);
  });

  it('classifies destructive text: RESTORE and Set- ask, SELECT and Get- do not', async () => {
    const p = await plan(runbookText(`## One\n${FENCE}sql on=backup\nRESTORE DATABASE mgc WITH RECOVERY;\n${FENCE}\n${FENCE}powershell\nGet-CsPool\n${FENCE}\n${FENCE}powershell\nSet-CsPersistentChatState -Identity "PersistentChatServer:atl-gc-001.litwareinc.com" -PoolState FailedOver\n${FENCE}`));
    assert.deepEqual(p.steps[0]!.actions.map((a) => a.destructive), [true, false, true]);
  });

  it('attaches the procedure checks to the matching runbook steps, re-pointing step-done', async () => {
    const text = runbookText(
      `## Copy {#my-copy}\n${FENCE}lync\ncopy-log-backups database=mgc\n${FENCE}\n## Apply {#my-apply}\n${FENCE}lync\napply-log-backups database=mgc on=backup\n${FENCE}`,
      { runbook: 'persistent-chat-failover', estate: './lync-estate.yaml', pool: 'atl-gc-001.litwareinc.com' },
    );
    const p = await plan(text);
    const apply = p.steps[1]!.checks;
    assert.equal(apply.procedureStep, 'apply-log-backups');
    assert.deepEqual(apply.before.map((c) => (c.kind === 'step-done' ? c.stepId : c.kind)), ['my-copy', 'database-state']);
  });

  it('joins backtick continuations and drops comments in PowerShell', () => {
    assert.deepEqual(powershellStatements('# comment\nGet-CsPool `\n  -Identity x\n\n$a = 1'), ['Get-CsPool -Identity x', '$a = 1']);
  });

  it('plans a built-in procedure through its rendered runbook', async () => {
    const powershell = await powershellParser();
    const p = planProcedure('persistent-chat-failover', estate(), 'atl-gc-001.litwareinc.com', { runbookPath: '/x', parse: (t) => parseRunbook(t, { powershell }) });
    assert.equal(p.steps[0]!.id, 'back-up-tail-log');
    assert.ok(p.steps.every((s) => s.checks.procedureStep === s.id));
  });
});

describe('dry run', () => {
  it('shows the exact text and target of every action without touching a port', async () => {
    const sql = new FakeSql(() => assert.fail('dry run must not send SQL'));
    const shell = new FakeShell(() => assert.fail('dry run must not use the shell'));
    const p = await plan(
      runbookText(`## Remove {#rm}\n${FENCE}sql on=backup\nEXEC master.dbo.sp_delete_log_shipping_secondary_database @secondary_database = N'mgc';\n${FENCE}\n## Recover\n${FENCE}lync\nrecover-database database=mgc on=backup\n${FENCE}`),
    );
    const steps = dryRun(p);
    assert.equal(steps[0]!.actions[0]!.text, "EXEC master.dbo.sp_delete_log_shipping_secondary_database @secondary_database = N'mgc';");
    assert.match(steps[0]!.actions[0]!.target, /dal-pcbak \(dal-pcbak-001\.litwareinc\.com\\pchat\)/);
    assert.match(steps[1]!.actions[0]!.text, /^RESTORE DATABASE \[mgc\] WITH RECOVERY;/);
    assert.match(formatDryRun(p), /DRY RUN — nothing is sent/);
    assert.equal(sql.sent.length + shell.sent.length, 0);
  });
});
