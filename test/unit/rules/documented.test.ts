/**
 * Acceptance (issue 13 item 5): `lync-runbook lint` reports no error on the samples, on a runbook
 * made of every command of the Lync Server 2013 pages the domain reference cites, and on the
 * managing page's "fail back P1, then fail over P2" sequence.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { lint } from '../../../src/cli/lint';
import { procedureFor, renderRunbook, PROCEDURE_KINDS, type ProcedureKind } from '../../../src/core/procedures';
import { check, litware, ROOT } from './harness';

const run = async (...files: string[]) => {
  const out: string[] = [];
  const code = await lint(['--format', 'json', ...files], { out: (l) => out.push(l), err: (l) => out.push(l) });
  return { code, problems: JSON.parse(out.join('\n')) as { rule: string; severity: string; line: number; message: string }[] };
};
const errors = <T extends { severity: string }>(problems: T[]): T[] => problems.filter((p) => p.severity === 'error');

test('no error on the five samples', async () => {
  const samples = fs.readdirSync(path.join(ROOT, 'samples/litware')).filter((f) => f.endsWith('.runbook.md'));
  assert.equal(samples.length, 5);
  const r = await run(...samples.map((f) => path.join(ROOT, 'samples/litware', f)));
  assert.deepEqual(errors(r.problems), []);
  assert.equal(r.code, 0);
});

test('no error on every documented command of the Lync Server 2013 pages', async () => {
  const r = await run(path.join(ROOT, 'test/fixtures/runbooks/documented-commands.runbook.md'));
  assert.deepEqual(errors(r.problems), []);
  assert.equal(r.code, 0);
});

test('no error on "fail back P1, then fail over P2" (managing page, IMPORTANT box)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'p1p2-'));
  const file = path.join(dir, 'p1-p2.runbook.md');
  const estate = path.join(ROOT, 'samples/litware/lync-estate.yaml');
  fs.writeFileSync(file, [
    '---', 'runbook: pool-failback', `estate: ${estate}`, 'pool: atl-cs-001.litwareinc.com', '---', '',
    '# Move everyone onto Dallas', '',
    '## Fail back Atlanta\'s users', '', '```powershell', 'Invoke-CsPoolFailback -PoolFqdn atl-cs-001.litwareinc.com -Verbose', '```', '',
    '## Restore their conference content', '', '```powershell', 'Invoke-CsBackupServiceSync -PoolFqdn dal-cs-001.litwareinc.com -BackupModule ConfServices.DataConf', '```', '',
    '```lync', 'wait-backup-sync pool=dal-cs-001.litwareinc.com module=ConfServices.DataConf timeout=30m', '```', '',
    '## Fail over Dallas\'s users', '', '```powershell', 'Invoke-CsPoolFailover -PoolFqdn dal-cs-001.litwareinc.com -DisasterMode -Verbose', '```', '',
  ].join('\n'));
  try {
    const r = await run(file);
    assert.deepEqual(errors(r.problems), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('no error on the runbooks the built-in procedures generate (a run lints them first)', async () => {
  const pools: Record<ProcedureKind, string> = {
    'persistent-chat-failover': 'atl-gc-001.litwareinc.com',
    'persistent-chat-failback': 'atl-gc-001.litwareinc.com',
    'conference-restore': 'atl-cs-001.litwareinc.com',
    'pool-failover': 'atl-cs-001.litwareinc.com',
    'pool-failback': 'atl-cs-001.litwareinc.com',
  };
  for (const kind of PROCEDURE_KINDS) {
    const text = renderRunbook(procedureFor(kind, litware(), pools[kind]), { estatePath: './lync-estate.yaml' });
    assert.deepEqual(errors(await check(text)).map((p) => [kind, p.rule]), []);
  }
});
