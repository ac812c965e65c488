import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRunbook, parseSql, type PowerShellAction, type SqlAction } from '../../../src/core/runbook';
import { splitBatches } from '../../../src/adapters/sql/batches';
import { powershellParser } from './grammar';

const parse = async (text: string) => parseRunbook(text, { powershell: await powershellParser() });

test('front matter keeps positions; steps get slugs or explicit ids', async () => {
  const rb = await parse('---\nrunbook: persistent-chat-failover\npool: p.x.com\n---\n# T\n## 1. Remove log shipping\n## Other {#my-id}\n');
  assert.equal(rb.kind, 'persistent-chat-failover');
  assert.deepEqual(rb.frontMatter!.entries[1]!.valueRange, { start: { line: 2, character: 6 }, end: { line: 2, character: 13 } });
  assert.deepEqual(rb.steps.map((s) => [s.id, s.explicitId, s.headingRange.start.line]), [['remove-log-shipping', false, 5], ['my-id', true, 6]]);
  assert.equal(rb.title!.text, 'T');
});

test('fences: actions with attributes and targets; other languages are documentation', async () => {
  const rb = await parse('## S\n```sql on=backup:mgccomp\nSELECT 1\n```\n```text\nnot an action\n```\n```pwsh\nGet-CsPool\n```\n');
  const [a, b] = rb.steps[0]!.actions;
  assert.equal(rb.steps[0]!.actions.length, 2);
  assert.deepEqual([a!.kind, a!.target?.role, a!.target?.database, a!.index], ['sql', 'backup', 'mgccomp', 0]);
  assert.deepEqual([b!.kind, b!.index, b!.text], ['powershell', 1, 'Get-CsPool']);
});

test('PowerShell: parameters, values, hashtables, backtick continuation and en dashes', async () => {
  const rb = await parse('## S\n```powershell\nSet-CsPersistentChatActiveServer -Identity "global" `\n  -ActiveServers @{Add="a.x.com","b.x.com"}\nSet-CsPersistentChatState –PoolState FailedOver -Force\n```\n');
  const [c1, c2] = (rb.steps[0]!.actions[0] as PowerShellAction).commands;
  assert.equal(c1!.name, 'Set-CsPersistentChatActiveServer');
  const active = c1!.parameters.find((p) => p.name === 'ActiveServers')!;
  assert.deepEqual(active.value!.entries!.map((e) => [e.key, e.values.map((v) => v.value)]), [['Add', ['a.x.com', 'b.x.com']]]);
  assert.equal(active.range.start.line, 3);
  const state = c2!.parameters[0]!;
  assert.deepEqual([state.name, state.dash, state.value!.value], ['PoolState', '\u2013', 'FailedOver']);
  assert.equal(c2!.parameters[1]!.value, undefined, 'a switch takes no value');
});

test('T-SQL: statements without semicolons, GO, USE context, procedures and options', () => {
  const { statements } = parseSql("use [mgc]\nGO\nexecute master..sp_delete_log_shipping_secondary_database @secondary_database = N'mgc' -- c\nrestore log mgc from disk = N'a;b.trn' with norecovery, stats = 5\nGO\nsp_who2\nRESTORE DATABASE [mgc] WITH RECOVERY");
  assert.deepEqual(statements.map((s) => s.verb), ['USE', 'EXEC', 'RESTORE', 'EXEC', 'RESTORE']);
  assert.deepEqual(statements[1]!.procedure, { name: 'sp_delete_log_shipping_secondary_database', qualifiers: ['master'], range: statements[1]!.procedure!.range });
  assert.equal(statements[1]!.contextDatabase, 'mgc');
  assert.deepEqual(statements[1]!.args.map((a) => [a.name, a.value]), [['secondary_database', 'mgc']]);
  assert.deepEqual([statements[2]!.object, statements[2]!.database!.name, statements[2]!.options], ['LOG', 'mgc', ['NORECOVERY', 'STATS']]);
  assert.deepEqual([statements[4]!.hasSource, statements[4]!.options], [false, ['RECOVERY']]);
});

test('T-SQL: unterminated strings are syntax errors', () => {
  assert.equal(parseSql("SELECT 'x").syntaxErrors.length, 1);
});

test('sql action ranges are document ranges', async () => {
  const rb = await parse('## S\n\n```sql on=backup\nUSE master\nKILL 53\n```\n');
  const s = (rb.steps[0]!.actions[0] as SqlAction).statements[1]!;
  assert.deepEqual(s.range, { start: { line: 4, character: 0 }, end: { line: 4, character: 7 } });
});

test('T-SQL: the checker and the sender share one lexer (nested comments, ]] and GO lines)', () => {
  const script = 'SELECT 1 /* a /* b */ GO\n*/\nSELECT [x]]y] FROM t\nGO;\nRESTORE DATABASE mgc WITH RECOVERY';
  const { statements, syntaxErrors } = parseSql(script);
  assert.deepEqual(syntaxErrors, []);
  assert.deepEqual(statements.map((s) => s.text), ['SELECT 1', 'SELECT [x]]y] FROM t', 'RESTORE DATABASE mgc WITH RECOVERY']);
  assert.deepEqual(splitBatches(script), ['SELECT 1 /* a /* b */ GO\n*/\nSELECT [x]]y] FROM t', 'RESTORE DATABASE mgc WITH RECOVERY']);
});
