/** The recovery report: Markdown from journal records. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JournalRecord } from '../../../src/core/recovery/journal';
import { cell, code, renderReport, type ReportInput } from '../../../src/extension/report/model';

let seq = 0;
const at = (s: number) => `2024-05-01T02:${String(s).padStart(2, '0')}:00.000Z`;
const r = (runId: string, s: number, rest: Record<string, unknown>): JournalRecord => ({ v: 1, seq: seq++, at: at(s), runId, ...rest }) as JournalRecord;

const RECORDS: JournalRecord[] = [
  r('run-1', 1, { type: 'run-started', runbook: '/w/pc.runbook.md', mode: 'rehearsal', user: 'alice', host: 'ws01', pid: 1 }),
  r('run-1', 2, { type: 'action-started', key: 'k1', stepId: 'capture', index: 0, text: 'snapshot-log-shipping database=mgc on=backup' }),
  r('run-1', 2, { type: 'data-recorded', key: 'k1', stepId: 'capture', name: 'log-shipping-snapshot', data: {} }),
  r('run-1', 3, { type: 'action-finished', key: 'k1', stepId: 'capture', index: 0, outcome: 'ok', outputDigest: 'sha256:00' }),
  r('run-1', 4, { type: 'action-started', key: 'k2', stepId: 'remove', index: 0, text: "EXEC sp_delete_log_shipping_secondary_database @secondary_database = N'mgc' | x" }),
  r('run-1', 5, { type: 'action-finished', key: 'k2', stepId: 'remove', index: 0, outcome: 'failed', error: 'SQL Server error 32011: no secondary' }),
  r('run-1', 6, { type: 'run-finished', outcome: 'failed', error: 'Step remove failed (line 20)' }),
  r('run-2', 7, { type: 'run-started', runbook: '/w/pc.runbook.md', mode: 'rehearsal', user: 'bob', host: 'ws02', pid: 2 }),
  r('run-2', 8, { type: 'action-started', key: 'k2', stepId: 'remove', index: 0, text: "EXEC sp_delete_log_shipping_secondary_database @secondary_database = N'mgc' | x" }),
  r('run-2', 9, { type: 'action-finished', key: 'k2', stepId: 'remove', index: 0, outcome: 'ok' }),
  r('run-2', 10, { type: 'step-marked', stepId: 'notify', mark: 'skipped', reason: 'nobody to tell at 2 a.m.' }),
  r('run-2', 11, { type: 'action-started', key: 'k3', stepId: 'pool', index: 0, text: 'Set-CsPersistentChatState -Identity "service:atl-gc-001" -PoolState FailedOver' }),
];

const INPUT: ReportInput = {
  runbook: 'litware/persistent-chat-failover.runbook.md',
  title: 'Fail over Persistent Chat from Atlanta to Dallas',
  kind: 'persistent-chat-failover',
  target: 'REHEARSAL: lab pchat-dc-loss',
  journal: '/home/alice/.lync-recovery/journals/pc-1234.jsonl',
  generatedAt: '2024-05-01T03:00:00.000Z',
  generatedBy: 'alice on ws01',
  steps: [
    { id: 'capture', title: 'Capture the log-shipping state' },
    { id: 'remove', title: 'Remove log shipping' },
    { id: 'notify', title: 'Tell the users' },
    { id: 'pool', title: 'Fail the pool over' },
    { id: 'later', title: 'Not yet' },
  ],
  records: RECORDS,
  targetOf: (stepId) => (stepId === 'remove' || stepId === 'capture' ? 'backup dal-pcbak (dal-pcbak-001.litwareinc.com\\pchat)' : 'Lync Server Management Shell'),
  outputs: new Map([['remove', Array.from({ length: 20 }, (_, i) => `line ${i + 1}`)]]),
};

describe('renderReport', () => {
  const md = renderReport(INPUT);

  it('heads with the runbook, the target, the runs, the journal, who generated it', () => {
    assert.match(md, /^# Recovery report — Fail over Persistent Chat from Atlanta to Dallas\n/);
    assert.match(md, /\*\*REHEARSAL\*\* — every run below went to a simulated estate/);
    assert.match(md, /\| Runbook \| `litware\/persistent-chat-failover\.runbook\.md` \|/);
    assert.match(md, /\| Target \| REHEARSAL: lab pchat-dc-loss \|/);
    assert.match(md, /\| Runs \| 2 \|/);
    assert.match(md, /\| Generated \| 2024-05-01T03:00:00\.000Z — alice on ws01 \|/);
  });

  it('a step table with the latest outcome of each step', () => {
    assert.match(md, /\| 1\. Capture the log-shipping state \| completed \| 2024-05-01T02:03:00\.000Z \|/);
    assert.match(md, /\| 2\. Remove log shipping \| completed \| 2024-05-01T02:09:00\.000Z \|/);
    assert.match(md, /\| 3\. Tell the users \| marked skipped \|/);
    assert.match(md, /\| 4\. Fail the pool over \| INTERRUPTED \|/);
    assert.match(md, /\| 5\. Not yet \| not run \| +\|/);
  });

  it('each run: mode, when, by whom, outcome; every action with where and outcome', () => {
    assert.match(md, /### Run 1 — REHEARSAL, 2024-05-01T02:01:00\.000Z, by alice on ws01 — failed/);
    assert.match(md, /### Run 2 — REHEARSAL, 2024-05-01T02:07:00\.000Z, by bob on ws02 — did not record its end/);
    assert.match(md, /`snapshot-log-shipping database=mgc on=backup` \| backup dal-pcbak \(dal-pcbak-001\.litwareinc\.com\\pchat\) \| completed \|/);
    assert.match(md, /FAILED: SQL Server error 32011: no secondary/);
    // A pipe in a command does not break the table.
    assert.match(md, /N'mgc' \\\| x`/);
    assert.match(md, /marked skipped \| {2}\| nobody to tell at 2 a\.m\. \|/);
    assert.match(md, /`Set-CsPersistentChatState -Identity "service:atl-gc-001" -PoolState FailedOver` \| Lync Server Management Shell \| INTERRUPTED: started, never finished \|/);
    assert.match(md, /recorded log-shipping-snapshot \| journal \| kept for later steps/);
  });

  it('key output: the last lines of each step that has some', () => {
    assert.match(md, /## Key output\n\n### 2\. Remove log shipping\n\n_the last 15 of 20 lines_\n\n```text\nline 6\n/);
    assert.doesNotMatch(md, /\nline 5\n/);
  });

  it('an empty journal says nothing ran; torn lines are warned about', () => {
    const empty = renderReport({ ...INPUT, records: [], problems: 1, outputs: new Map() });
    assert.match(empty, /Nothing has run yet: the journal is empty\./);
    assert.match(empty, /Warning: 1 journal line\(s\) could not be read/);
    assert.doesNotMatch(empty, /REHEARSAL\*\* — every run/);
  });

  it('lists the checks a person overrode in each run: which, where, what it found, why', () => {
    const records = [
      ...RECORDS.slice(0, 1),
      r('run-1', 1, { type: 'check-overridden', check: 'plan/checks-unavailable', message: 'lync-estate.yaml:17: the preconditions … cannot be built | here', reason: 'primary confirmed down by phone' }),
      r('run-1', 2, { type: 'check-overridden', check: 'precondition/instance-unreachable', stepId: 'remove', message: 'the primary answers\u001b[2K' }),
      ...RECORDS.slice(1),
    ];
    const md2 = renderReport({ ...INPUT, records });
    assert.match(md2, /### Run 1 — [^\n]*\n\n> Step remove failed \(line 20\)\n\n\*\*Checks overridden\*\*\n\n\| Time \| Check \| Step \| What it found \| Reason given \|/);
    assert.match(md2, /\| 2024-05-01T02:01:00\.000Z \| `plan\/checks-unavailable` \| whole run \| lync-estate\.yaml:17: the preconditions … cannot be built \\\| here \| primary confirmed down by phone \|/);
    assert.match(md2, /\| `precondition\/instance-unreachable` \| 2\. Remove log shipping \| the primary answers\\x1b\[2K \| confirmed by the operator \|/);
    assert.doesNotMatch(md, /Checks overridden/);
  });

  it('a live run is not labelled rehearsal', () => {
    const live = renderReport({ ...INPUT, records: RECORDS.map((x) => (x.type === 'run-started' ? { ...x, mode: 'live' as const } : x)) });
    assert.doesNotMatch(live, /simulated estate/);
    assert.match(live, /### Run 1 — LIVE,/);
  });
});

describe('Markdown escaping', () => {
  it('cells escape pipes and keep line breaks', () => {
    assert.equal(cell('a|b\nc'), 'a\\|b<br>c');
  });

  it('code spans survive backticks', () => {
    assert.equal(code('Get-X `\n -Y'), '``Get-X ` ⏎  -Y``');
    assert.equal(code('`tick'), '`` `tick ``');
    assert.equal(code('plain'), '`plain`');
  });
});
