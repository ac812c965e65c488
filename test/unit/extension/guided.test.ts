/** Guided procedures, the pure part, and package.json's per-step commands against the procedures. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseEstate } from '../../../src/core/estate/load';
import { PROCEDURE_KINDS, type ProcedureKind } from '../../../src/core/procedures';
import type { DryRunStep } from '../../../src/core/recovery/dry-run';
import {
  CONFIRMATION_TEXT_LIMITS,
  confirmationText,
  guidedNext,
  guidedRunbookPath,
  newRunbookFileName,
  parseStepCommandId,
  poolCandidates,
  preflightMarkdown,
  PROCEDURES,
  relativeEstatePath,
  showPreflight,
  stepCommandId,
  stepConfirmation,
} from '../../../src/extension/guided/model';
import type { StepView } from '../../../src/extension/stepping/model';
import { expectedStepCommands, ROOT } from './guided-step-commands';

const estateFile = path.join(ROOT, 'samples', 'litware', 'lync-estate.yaml');
const estate = parseEstate(fs.readFileSync(estateFile, 'utf8'), estateFile).estate!;
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { commands: { command: string; title: string; category?: string }[] } };
const nls = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;

describe('per-step commands in package.json', () => {
  it('match the procedures: one per step, in order, with their titles (regenerate: node --import tsx test/unit/extension/guided-step-commands.ts)', () => {
    const contributed = pkg.contributes.commands.filter((c) => c.command.startsWith('lyncRecovery.step.'));
    const expected = expectedStepCommands();
    assert.deepEqual(contributed.map((c) => c.command), expected.map((c) => c.command));
    for (const c of expected) {
      const entry = contributed.find((x) => x.command === c.command)!;
      assert.equal(entry.title, `%${c.titleKey}%`);
      assert.equal(entry.category, '%command.category%');
      assert.equal(nls[c.titleKey], c.title, `package.nls.json ${c.titleKey}`);
    }
    assert.equal(nls['command.step.persistent-chat-failover.apply-log-backups.title'], 'Persistent Chat Failover — 5. Apply the unapplied log backups');
  });

  it('every contributed command has its title in package.nls.json, and the guided ones exist', () => {
    for (const c of pkg.contributes.commands) {
      const key = /^%(.+)%$/.exec(c.title)?.[1];
      if (key) assert.ok(nls[key], `package.nls.json lacks ${key}`);
    }
    for (const p of PROCEDURES) assert.ok(pkg.contributes.commands.some((c) => c.command === p.command), p.command);
  });

  it('ids round-trip', () => {
    for (const kind of PROCEDURE_KINDS) assert.deepEqual(parseStepCommandId(stepCommandId(kind, 'a-step')), { kind, stepId: 'a-step' });
    assert.equal(parseStepCommandId('lyncRecovery.runStep'), undefined);
    assert.equal(parseStepCommandId('lyncRecovery.step.unknown.x'), undefined);
  });
});

describe('pools, files, scenarios', () => {
  it('the pools each procedure applies to', () => {
    const fqdns = (kind: ProcedureKind) => poolCandidates(estate, kind).map((p) => p.fqdn);
    assert.deepEqual(fqdns('persistent-chat-failover'), ['atl-gc-001.litwareinc.com']);
    assert.deepEqual(fqdns('conference-restore'), ['atl-cs-001.litwareinc.com', 'dal-cs-001.litwareinc.com']);
    assert.deepEqual(fqdns('pool-failback'), ['atl-cs-001.litwareinc.com', 'dal-cs-001.litwareinc.com']);
  });

  it('guided runbook path, new runbook names, the estate path written in the front matter', () => {
    assert.equal(guidedRunbookPath('persistent-chat-failover', 'ATL-GC-001.litwareinc.com'), '.lync-recovery/runbooks/persistent-chat-failover-atl-gc-001.litwareinc.com.runbook.md');
    const taken = new Set(['pool-failover.runbook.md']);
    assert.equal(newRunbookFileName('pool-failback', 'atl-cs-001.litwareinc.com', (n) => taken.has(n)), 'pool-failback.runbook.md');
    assert.equal(newRunbookFileName('pool-failover', 'atl-cs-001.litwareinc.com', (n) => taken.has(n)), 'pool-failover-atl-cs-001.runbook.md');
    taken.add('pool-failover-atl-cs-001.runbook.md');
    assert.equal(newRunbookFileName('pool-failover', 'atl-cs-001.litwareinc.com', (n) => taken.has(n)), 'pool-failover-atl-cs-001-2.runbook.md');
    assert.equal(relativeEstatePath('.lync-recovery/runbooks', 'litware/lync-estate.yaml'), '../../litware/lync-estate.yaml');
    assert.equal(relativeEstatePath('', 'lync-estate.yaml'), './lync-estate.yaml');
    assert.equal(relativeEstatePath('litware', 'litware/lync-estate.yaml'), './lync-estate.yaml');
  });
});

const DRY: DryRunStep[] = [
  { id: 'remove', title: 'Remove log shipping', before: ['mgc on backup dal-pcbak is RESTORING'], actions: [{ line: 20, target: 'backup dal-pcbak (dal-pcbak-001.litwareinc.com\\pchat)', destructive: true, text: "EXEC sp_delete_log_shipping_secondary_database N'mgc';" }], after: ['log shipping of mgc is removed'] },
  { id: 'read', title: 'Read the notes', before: [], actions: [], after: [] },
];

describe('guided flow', () => {
  it('the preflight report lists steps, checks, exact commands and targets, and marks destructive ones', () => {
    const md = preflightMarkdown({ title: 'PC failover', target: 'REHEARSAL: lab pchat-dc-loss', runbook: '.lync-recovery/runbooks/x.runbook.md', notes: ['default share taken'], steps: DRY });
    assert.match(md, /^# Preflight — PC failover/);
    assert.match(md, /\*\*Target:\*\* REHEARSAL: lab pchat-dc-loss/);
    assert.match(md, /> \*\*Note:\*\* default share taken/);
    assert.match(md, /## 1\. Remove log shipping\n\n- Before: mgc on backup dal-pcbak is RESTORING\n- After: log shipping of mgc is removed/);
    assert.match(md, /On \*\*backup dal-pcbak \(dal-pcbak-001\.litwareinc\.com\\pchat\)\*\* — ⚠ destructive: asks first \(line 20\):\n\n```\nEXEC sp_delete_log_shipping_secondary_database N'mgc';\n```/);
    assert.match(md, /## 2\. Read the notes\n\n_No command: read and confirm\._/);
  });

  it('each step\'s confirmation shows the exact commands and their target, REHEARSAL when it is one', () => {
    const c = stepConfirmation(DRY[0]!, 2, 8, { kind: 'rehearsal', label: 'REHEARSAL: lab pchat-dc-loss' });
    assert.equal(c.message, 'REHEARSAL — Step 2 of 8: Remove log shipping');
    assert.match(c.detail, /^REHEARSAL: lab pchat-dc-loss\n/);
    assert.match(c.detail, /On backup dal-pcbak \(dal-pcbak-001\.litwareinc\.com\\pchat\) — DESTRUCTIVE:\nEXEC sp_delete_log_shipping_secondary_database N'mgc';/);
    assert.match(c.detail, /Verified after: log shipping of mgc is removed$/);
    assert.equal(stepConfirmation(DRY[1]!, 3, 8, { kind: 'live', label: 'LIVE: Litware' }).message, 'Step 3 of 8: Read the notes');
  });

  it('a step\'s confirmation fits a dialog: long non-destructive texts are shortened, destructive ones shown in full', () => {
    // apply-log-backups' dry-run text: 13 lines, one of them the 2,500-character #headers table.
    const query = ["DECLARE @db sysname = N'mgc';", 'SELECT redo_start_lsn FROM master.sys.master_files;', '-- for each *.trn:', `CREATE TABLE #headers (${'BackupName nvarchar(128) NULL, '.repeat(80)});`, ...Array.from({ length: 7 }, (_, i) => `-- line ${i + 5}`), '-- for each file not yet applied, in LSN order:', "RESTORE LOG [mgc] FROM DISK = N'D:\\LogShipping\\mgc\\{file}' WITH NORECOVERY;"].join('\n');
    const destructive = Array.from({ length: 12 }, (_, i) => `EXEC step_${i} @note = N'${'x'.repeat(150)}';`).join('\n');
    const step: DryRunStep = {
      id: 'apply',
      title: 'Apply the unapplied log backups',
      before: [],
      actions: [{ line: 70, target: 'backup dal-pcbak', destructive: false, text: query }, { line: 80, target: 'backup dal-pcbak', destructive: true, text: destructive }],
      after: [],
    };
    const { detail } = stepConfirmation(step, 4, 8, { kind: 'rehearsal', label: 'REHEARSAL: lab pchat-dc-loss' });
    const { head, tail, lineChars } = CONFIRMATION_TEXT_LIMITS;
    const shown = confirmationText(query).split('\n');
    assert.equal(shown.length, head + 1 + tail);
    assert.deepEqual(shown.slice(0, 3), query.split('\n').slice(0, 3), 'short lines as they are');
    assert.equal(shown[3], `${query.split('\n')[3]!.slice(0, lineChars - 1)}…`, 'a long line cut, marked');
    assert.equal(shown[4], '… 7 more lines: the preflight report has the whole text');
    assert.equal(shown[6], "RESTORE LOG [mgc] FROM DISK = N'D:\\LogShipping\\mgc\\{file}' WITH NORECOVERY;", 'the last lines kept: what is sent in the end');
    assert.ok(shown.every((l) => l.length <= lineChars));
    assert.ok(detail.includes(`On backup dal-pcbak:\n${shown.join('\n')}\n`));
    assert.ok(detail.includes(`On backup dal-pcbak — DESTRUCTIVE:\n${destructive}`), 'the destructive text whole: it is approved by this dialog');
    // Short texts are untouched.
    assert.equal(confirmationText("EXEC sp_delete_log_shipping_secondary_database N'mgc';"), "EXEC sp_delete_log_shipping_secondary_database N'mgc';");
    const seven = Array.from({ length: head + tail + 1 }, (_, i) => `line ${i}`).join('\n');
    assert.equal(confirmationText(seven), seven, 'no elision when it would hide a single line');
  });

  it('the preflight report opens beside the runbook, which stays the active editor (its status bar item shows the run)', async () => {
    const calls: string[] = [];
    const display = (preview: boolean) => ({
      previewBeside: async () => (calls.push('preview beside'), preview),
      textBeside: async () => void calls.push('text beside'),
      focusRunbook: async () => void calls.push('focus runbook'),
    });
    await showPreflight(display(true));
    assert.deepEqual(calls, ['preview beside', 'focus runbook'], 'the preview takes the focus: the runbook gets it back last');
    calls.length = 0;
    await showPreflight(display(false));
    assert.deepEqual(calls, ['preview beside', 'text beside', 'focus runbook'], 'without a Markdown preview, the text beside');
  });

  it('the next step is the first not done or skipped; none when all are', () => {
    const v = (id: string, status: StepView['status']): StepView => ({ id, title: id, line: 0, status, completed: 0, total: 1 });
    assert.deepEqual(guidedNext([v('a', 'done'), v('b', 'skipped'), v('c', 'failed'), v('d', 'pending')]), { view: v('c', 'failed'), position: 3 });
    assert.equal(guidedNext([v('a', 'done'), v('b', 'skipped')]), undefined);
  });
});
