/**
 * Differential tests of the incremental paths: parsing with `previous` (the editor path) gives the
 * same runbook as a from-scratch parse, and checkRunbook (which caches findings per action and uses
 * per step) gives exactly the problems of the plain runner — every rule run on the whole runbook —
 * over random edit sequences on the sample runbooks and a 10,000-line runbook.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseEstate } from '../../../src/core/estate/load';
import type { Estate } from '../../../src/core/estate/model';
import { loadPowerShellParser, parseRunbook, type PowerShellParser, type Runbook, type RuleProblem } from '../../../src/core/runbook';
import { checkRunbook, RULES, type EstateInput } from '../../../src/core/rules';
import { argument, calls, computeFacts, contextToken, factsContext, factsOf, isFullBackup, isFullRestore, isLsRemoval, isLsSnapshotQuery, isMirrorRemoval, isRecovery, isRestoreLog, key, literal, milestonesOf, type Facts, type Milestone, type Use } from '../../../src/core/rules/facts';
import type { PcDatabase } from '../../../src/core/estate/model';
import { powershellParser } from './grammar';
import { runbookOf } from './generate';

const ROOT = path.resolve(__dirname, '../../..');
const SAMPLES_DIR = path.join(ROOT, 'samples/litware');
const SAMPLES = fs.readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.runbook.md')).map((f) => fs.readFileSync(path.join(SAMPLES_DIR, f), 'utf8'));
const ESTATE_YAML = fs.readFileSync(path.join(SAMPLES_DIR, 'lync-estate.yaml'), 'utf8');
const FIXTURES_DIR = path.join(ROOT, 'test/fixtures/runbooks');
const FIXTURES = fs.readdirSync(FIXTURES_DIR).map((f) => fs.readFileSync(path.join(FIXTURES_DIR, f), 'utf8'));
const BIG = runbookOf(10_000);

/** A second parser: its caches are separate, so the reference parse shares no objects. */
const require_ = createRequire(__filename);
let reference: Promise<PowerShellParser> | undefined;
const referenceParser = () =>
  (reference ??= loadPowerShellParser({
    runtime: async () => new Uint8Array(fs.readFileSync(require_.resolve('web-tree-sitter/tree-sitter.wasm'))),
    powershell: async () => new Uint8Array(fs.readFileSync(require_.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm'))),
  }));

/** The plain runner: every rule's `check` on the facts of the whole runbook, as before any caching. */
function plainCheck(runbook: Runbook, input: EstateInput): RuleProblem[] {
  const facts = computeFacts(runbook, input.estate);
  const problems: RuleProblem[] = [];
  for (const rule of RULES) {
    const report = (range: RuleProblem['range'], message: string, fixes?: RuleProblem['fixes']) =>
      problems.push({ rule: rule.meta.id, severity: rule.meta.severity, message, range, ...(fixes && fixes.length ? { fixes } : {}) });
    try {
      rule.check({ runbook, ...(input.estate ? { estate: input.estate } : {}), ...(input.error ? { estateError: input.error } : {}), facts, report });
    } catch (err) {
      problems.push({ rule: rule.meta.id, severity: 'info', message: `Rule ${rule.meta.id} failed: ${err instanceof Error ? err.message : String(err)}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    }
  }
  return problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** The milestones as first written (one filter per list), to check the one-pass version against. */
function plainMilestones(facts: Facts, database: PcDatabase) {
  const milestones = (uses: readonly Use[]): Milestone[] => uses.map((use) => ({ order: use.order, use })).sort((a, b) => a.order - b.order);
  const lyncNamed = (name: string) => facts.lync.filter((u) => u.command.name === name);
  const sqlOn = (pred: (s: Parameters<typeof isLsRemoval>[0]) => boolean) => facts.sql.filter((u) => pred(u.statement) && (u.statement.database?.name ?? database) === database);
  const lyncOn = (name: string) => lyncNamed(name).filter((u) => (key(u.command, 'database')?.value ?? database) === database);
  const poolState = (value: string) => calls(facts, 'Set-CsPersistentChatState').filter((u) => literal(argument(u.command, 'PoolState'))?.toLowerCase() === value.toLowerCase());
  const activeServers = calls(facts, 'Set-CsPersistentChatActiveServer');
  const clears = activeServers.filter((u) => argument(u.command, 'ActiveServers')?.text.toLowerCase() === '$null');
  return {
    snapshot: milestones([...lyncOn('snapshot-log-shipping'), ...facts.sql.filter((u) => isLsSnapshotQuery(u.statement))]),
    lsRemoval: milestones(sqlOn(isLsRemoval)),
    restoreLog: milestones([...sqlOn(isRestoreLog), ...lyncOn('apply-log-backups')]),
    recovery: milestones([...sqlOn(isRecovery), ...lyncOn('recover-database')]),
    fullBackup: milestones(sqlOn(isFullBackup)),
    fullRestore: milestones(sqlOn(isFullRestore)),
    mirrorRemoval: milestones([...sqlOn(isMirrorRemoval), ...calls(facts, 'Uninstall-CsMirrorDatabase')]),
    mirrorInstall: milestones(calls(facts, 'Install-CsMirrorDatabase')),
    failedOver: milestones(poolState('FailedOver')),
    normal: milestones(poolState('Normal')),
    activeSet: milestones(activeServers.filter((u) => !clears.includes(u))),
    activeCleared: milestones(clears),
    sync: milestones(calls(facts, 'Invoke-CsBackupServiceSync')),
    statusCheck: milestones([...calls(facts, 'Get-CsBackupServiceStatus'), ...lyncNamed('wait-backup-sync')]),
    poolFailover: milestones(calls(facts, 'Invoke-CsPoolFailover')),
    poolFailback: milestones(calls(facts, 'Invoke-CsPoolFailback')),
  };
}

// ---------------------------------------------------------------- edits

type Edit = { readonly kind: 'offset'; readonly at: number; readonly del: number; readonly text: string } | { readonly kind: 'line'; readonly line: number; readonly column: number; readonly del: number; readonly text: string };

/** Multi-line fragments: structure changes (fences, headings, front matter, setext underlines, CRLF, lone CR, NUL). */
const FRAGMENTS = ['\n', '\n\n', '```\n', '```', '~~~\n', '```powershell\n', '```sql on=backup\n', '```lync\n', '## New step\n', '# Title\n', '---\n', 'Heading\n---\n', '  ```\n', '    ```\n', '> ```\n', '- ```lync\n', '\r\n', '\r', '\u0000', 'runbook: persistent-chat-failback\n', 'pool: atl-cs-001.litwareinc.com\n', '<div>\n', 'x'];
/** In-line fragments: what typing inside a block does (no line break). */
const TYPED = ['a', ' ', '-', '\u2013', '"', "'", '`', '``', '```', '~', '~~~', '#', '## ', ' -Force', ' -PoolState Normal', '-PoolState', 'FailedOver', '@{Add="dal-pc-001.litwareinc.com"}', 'on=mirror', ' on=backup', 'database=mgccomp', 'WITH RECOVERY', 'RESTORE LOG mgc', ';', 'GO', '<Pool FQDN>', 'contoso.com', '$null', '{', '}', '(', 'é', '𝄞', '\t'];

/** Lines that close a fence (or almost do). */
const CLOSING = ['```', '~~~', '````', '``', '   ```', '    ```', '```  ', '``` x', '\t```', '~~~~', '```~'];
/** Whole lines that add, remove or reorder milestones (the global rules' input) without a line break. */
const STATEMENTS = [
  'recover-database database=mgc on=backup',
  'apply-log-backups database=mgc on=backup',
  'snapshot-log-shipping database=mgc on=backup',
  'RESTORE DATABASE mgc WITH RECOVERY',
  "RESTORE LOG mgc FROM DISK = N'x.trn' WITH NORECOVERY",
  "EXEC sp_delete_log_shipping_secondary_database N'mgc'",
  'Set-CsPersistentChatState -Identity "PersistentChatServer:atl-gc-001.litwareinc.com" -PoolState FailedOver',
  'Set-CsPersistentChatActiveServer -Identity "global" -ActiveServers $Null',
  'Invoke-CsBackupServiceSync -PoolFqdn dal-cs-001.litwareinc.com -BackupModule ConfServices.DataConf',
  '# a comment',
];

const edits = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('offset' as const), at: fc.nat(), del: fc.nat({ max: 12 }), text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.constantFrom(...TYPED), fc.string({ maxLength: 4 })) }),
    fc.record({ kind: fc.constant('line' as const), line: fc.nat(), column: fc.nat(), del: fc.nat({ max: 4 }), text: fc.constantFrom(...TYPED, '') }),
    fc.record({ kind: fc.constant('line' as const), line: fc.nat(), column: fc.nat(), del: fc.nat({ max: 4 }), text: fc.constantFrom(...TYPED, '') }),
    // The whole line replaced, e.g. by what markdown-it reads as a closing fence.
    fc.record({ kind: fc.constant('line' as const), line: fc.nat(), column: fc.constant(0), del: fc.constant(1000), text: fc.constantFrom(...CLOSING, ...STATEMENTS, ...TYPED, '') }),
  ),
  { minLength: 1, maxLength: 12 },
);

/** Applies an edit; `line` edits prefer lines inside fences (the incremental path) and stay on their line. */
function apply(text: string, edit: Edit, fenceLines: readonly number[]): string {
  if (edit.kind === 'offset') {
    const at = text.length ? edit.at % (text.length + 1) : 0;
    return text.slice(0, at) + edit.text + text.slice(at + edit.del);
  }
  const lines = text.split('\n');
  const line = fenceLines.length ? fenceLines[edit.line % fenceLines.length]! : edit.line % lines.length;
  if (line >= lines.length) return text;
  const current = lines[line]!;
  const column = edit.column % (current.length + 1);
  lines[line] = current.slice(0, column) + edit.text + current.slice(Math.min(current.length, column + edit.del));
  return lines.join('\n');
}

const contentLines = (runbook: Runbook): number[] =>
  [...runbook.orphanActions, ...runbook.steps.flatMap((s) => s.actions)].flatMap((a) => {
    const out: number[] = [];
    for (let l = a.range.start.line; l <= a.range.end.line; l++) out.push(l);
    return out;
  });

async function differential(starts: readonly string[], numRuns: number, maxEdits: number) {
  const powershell = await powershellParser();
  const fresh = await referenceParser();
  // One estate object for the whole sequence, as the server keeps it: the per-action caches hit.
  const estate: Estate = parseEstate(ESTATE_YAML, 'lync-estate.yaml').estate!;
  const referenceEstate: Estate = parseEstate(ESTATE_YAML, 'lync-estate.yaml').estate!;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...starts), edits.map((e) => e.slice(0, maxEdits)), fc.boolean(), async (start, sequence, withEstate) => {
      const input: EstateInput = withEstate ? { estate } : { error: 'not found' };
      const referenceInput: EstateInput = withEstate ? { estate: referenceEstate } : { error: 'not found' };
      let text = start;
      let previous = parseRunbook(text, { powershell });
      checkRunbook(previous, input);
      for (const edit of sequence) {
        text = apply(text, edit, contentLines(previous));
        const incremental = parseRunbook(text, { powershell, previous });
        const scratch = parseRunbook(text, { powershell: fresh });
        assert.deepStrictEqual(incremental, scratch, `runbook after ${JSON.stringify(edit)}`);
        const problems = checkRunbook(incremental, input);
        assert.deepStrictEqual(problems, plainCheck(scratch, referenceInput), `problems after ${JSON.stringify(edit)}`);
        // The uses the runner reuses between checks carry the orders and steps of a fresh computation.
        const located = [...incremental.orphanActions.map((action) => ({ action, step: undefined })), ...incremental.steps.flatMap((step) => step.actions.map((action) => ({ action, step })))];
        const context = factsContext(incremental, input.estate);
        const reused = factsOf(context, located, contextToken(incremental, input.estate, context));
        const facts = computeFacts(scratch, referenceInput.estate);
        const shape = (f: Facts) => [...f.ps, ...f.sql, ...f.lync].map((u) => [u.order, u.step?.id, u.action.index, u.action.fenceRange.start.line, 'statement' in u ? u.statement.text : u.command.text, 'target' in u ? u.target?.role : null]);
        assert.deepStrictEqual(shape(reused), shape(facts));
        for (const db of ['mgc', 'mgccomp'] as const) assert.deepStrictEqual(milestonesOf(facts, db), plainMilestones(facts, db));
        previous = incremental;
      }
    }),
    { numRuns },
  );
}

test('incremental parse and cached check = from scratch, on random edits of the samples and seeded fixtures', async () => {
  await differential([...SAMPLES, ...FIXTURES], 120, 10);
});

test('incremental parse and cached check = from scratch, on random edits of a 10,000-line runbook', async () => {
  await differential([BIG], 4, 5);
});

test('a keystroke inside a block re-builds that block only: the other steps and actions are the same objects', async () => {
  const powershell = await powershellParser();
  const before = parseRunbook(BIG, { powershell });
  const lines = BIG.split('\n');
  const at = lines.findIndex((l) => l.startsWith('Set-CsPersistentChatState'));
  lines[at] += ' -Force';
  const after = parseRunbook(lines.join('\n'), { powershell, previous: before });
  const changed = after.steps.filter((s, i) => s !== before.steps[i]);
  assert.equal(changed.length, 1);
  assert.equal(changed[0]!.actions.filter((a, i) => a !== before.steps[after.steps.indexOf(changed[0]!)]!.actions[i]).length, 1);
  assert.deepStrictEqual(after, parseRunbook(lines.join('\n'), { powershell: await referenceParser() }));
});

test('an estate change or a front matter change re-checks every action', async () => {
  const powershell = await powershellParser();
  const text = SAMPLES.find((s) => s.includes('runbook: persistent-chat-failover'))!;
  const runbook = parseRunbook(text, { powershell });
  const estate = parseEstate(ESTATE_YAML, 'lync-estate.yaml').estate!;
  assert.deepStrictEqual(checkRunbook(runbook, { estate }), []);
  const renamed: Estate = { ...estate, pools: estate.pools.filter((p) => p.fqdn !== 'atl-gc-001.litwareinc.com') };
  assert.deepStrictEqual(checkRunbook(runbook, { estate: renamed }), plainCheck(runbook, { estate: renamed }));
  const failback = parseRunbook(text.replace('runbook: persistent-chat-failover', 'runbook: persistent-chat-failback'), { powershell, previous: runbook });
  assert.deepStrictEqual(checkRunbook(failback, { estate }), plainCheck(failback, { estate }));
  assert.ok(checkRunbook(failback, { estate }).some((p) => p.rule === 'pool-state-wrong-for-kind'));
});
