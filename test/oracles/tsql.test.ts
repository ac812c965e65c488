/**
 * Microsoft's T-SQL parser (ScriptDom: TSql100/110/120Parser, SQL Server 2008 R2/2012/2014)
 * judges every T-SQL text the product emits, and the product's own reading of T-SQL — the one
 * lexer (comments, strings, quoted identifiers, GO lines), the checker's statements and the
 * sender's batches — on those texts and on a corpus of runbook T-SQL.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { splitBatches } from '../../src/adapters/sql/batches';
import { parseSql } from '../../src/core/runbook';
import { LineIndex } from '../../src/core/runbook/lines';
import { goLines, lexSql } from '../../src/core/runbook/sql-lexer';
import { parseTsql, recordCounts, TSQL_PARSERS, type TsqlVerdict } from './oracles';
import { emittedTexts } from './texts';

const CORPUS = path.join(__dirname, 'corpus', 'runbook-tsql.sql');
const DISAGREES = /^\s*-- oracle-disagrees: (.+)$/m;

/**
 * Where the product's reading of `text` differs from ScriptDom's, or [] when it agrees. Compared
 * only on text ScriptDom parses (an erroneous text has no reliable boundaries), except that a
 * lexical error the product reports must be an error to ScriptDom too.
 */
function differences(text: string, v: TsqlVerdict): string[] {
  const out: string[] = [];
  const parsed = parseSql(text);
  const oracleErrors = v.errors.TSql120.length > 0;
  if (parsed.syntaxErrors.length > 0 && !oracleErrors) out.push(`the checker reports "${parsed.syntaxErrors[0]!.message}", ScriptDom parses the text`);
  if (oracleErrors) return out;
  // Comments, strings, quoted identifiers: same kinds at the same offsets.
  const mine = lexSql(text).tokens.filter((t) => t.kind === 'comment' || t.kind === 'string' || t.kind === 'quoted').map((t) => `${t.kind} ${t.start}-${t.end}`);
  const theirs = v.tokens.filter((t) => t.kind === 'comment' || t.kind === 'string' || t.kind === 'quoted').map((t) => `${t.kind} ${t.start}-${t.end}`);
  if (mine.join() !== theirs.join()) out.push(`tokens: product [${mine.join(', ')}], ScriptDom [${theirs.join(', ')}]`);
  // GO: the same lines.
  const index = new LineIndex(text);
  const myGo = goLines(text).map((g) => index.positionAt(g.start).line);
  const theirGo = v.tokens.filter((t) => t.kind === 'go').map((t) => index.positionAt(t.start).line);
  if (myGo.join() !== theirGo.join()) out.push(`GO lines: product [${myGo.join(', ')}], ScriptDom [${theirGo.join(', ')}]`);
  // Statements: the checker's start where ScriptDom's do.
  const myStatements = parsed.statements.map((s) => `${s.range.start.line}:${s.range.start.character}`);
  const theirStatements = v.batches.flatMap((b) => b.statements.map((s) => index.positionAt(s.start))).map((p) => `${p.line}:${p.character}`);
  if (myStatements.join() !== theirStatements.join()) out.push(`statements start at: checker [${myStatements.join(', ')}], ScriptDom [${theirStatements.join(', ')}]`);
  // Batches: the sender sends ScriptDom's batches (a comment-only batch is harmless and ignored).
  const myBatches = splitBatches(text).filter((b) => lexSql(b).tokens.some((t) => t.kind !== 'comment'));
  if (myBatches.length !== v.batches.length && !goLines(text).some((g) => g.count > 1)) out.push(`batches: the sender sends ${myBatches.length}, ScriptDom reads ${v.batches.length}`);
  return out;
}

test('every T-SQL text of the builders, procedures, snippets, samples and docs parses for SQL Server 2008 R2, 2012 and 2014, and reads the same', async (t) => {
  const texts = emittedTexts().tsql;
  const verdicts = await parseTsql(texts.map((x) => x.text));
  const wrong: string[] = [];
  texts.forEach((x, i) => {
    const v = verdicts[i]!;
    for (const parser of TSQL_PARSERS) {
      const errors = v.errors[parser];
      if (x.expect === 'error' && errors.length === 0) wrong.push(`${x.source}: an example of a syntax error, but ${parser} parses it`);
      if (x.expect === undefined) for (const e of errors) wrong.push(`${x.source}: ${parser} error ${e.number} at ${e.line}:${e.column}: ${e.message}\n${x.text}`);
    }
    for (const d of differences(x.text, v)) wrong.push(`${x.source}: ${d}\n${x.text}`);
  });
  assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} problems`);
  recordCounts(t, 'tsql-emitted', { check: 'T-SQL texts emitted (builders, procedures, snippets, samples, docs)', texts: texts.length, parsers: [...TSQL_PARSERS], disagreements: 0 });
});

test("the checker's statements, the sender's batches and the lexer agree with ScriptDom on the runbook T-SQL corpus", async (t) => {
  const cases = fs.readFileSync(CORPUS, 'utf8').split(/^-- ---\n/m);
  const verdicts = await parseTsql(cases);
  let line = 1;
  let documented = 0;
  const problems: string[] = [];
  cases.forEach((text, i) => {
    const d = differences(text, verdicts[i]!);
    const note = DISAGREES.exec(text)?.[1];
    const where = `corpus line ${line}`;
    if (d.length && !note) problems.push(`${where}: ${d.join('; ')}\n${text}`);
    if (!d.length && note) problems.push(`${where}: documented as a disagreement (${note}) but the product now agrees with ScriptDom: remove the note`);
    if (d.length && note) documented++;
    line += text.split('\n').length;
  });
  assert.deepEqual(problems, []);
  recordCounts(t, 'tsql-corpus', { check: 'runbook T-SQL corpus, checker/sender vs ScriptDom', texts: cases.length, parsers: ['TSql120'], disagreements: documented });
});
