import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SqlError } from '../../../src/lab/model/sql-error';
import { tokenize } from '../../../src/lab/sql/tokens';

const kinds = (sql: string) => tokenize(sql).map((t) => `${t.kind}:${t.value}`);

test('strings, N-strings, doubled quotes, brackets, variables', () => {
  assert.deepEqual(kinds(`exec [master].[dbo].sp_x @a = N'it''s', 'x' -- comment`), [
    'word:exec', 'qident:master', 'op:.', 'qident:dbo', 'op:.', 'word:sp_x', 'var:@a', 'op:=', "string:it's", 'op:,', 'string:x', 'eof:',
  ]);
  assert.equal(tokenize(`N'ü'`)[0]!.unicode, true);
  assert.deepEqual(kinds('select @@SERVERNAME, [a]]b], "q"'), ['word:select', 'sysvar:@@SERVERNAME', 'op:,', 'qident:a]b', 'op:,', 'qident:q', 'eof:']);
});

test('nested block comments are skipped; an unclosed one is error 113', () => {
  assert.deepEqual(kinds('select /* a /* b */ c */ 1'), ['word:select', 'number:1', 'eof:']);
  assert.throws(() => tokenize('select /* oops'), (e: SqlError) => e.number === 113);
});

test('an unclosed string is error 105', () => {
  assert.throws(() => tokenize("select 'abc"), (e: SqlError) => e.number === 105 && e.message === "Unclosed quotation mark after the character string 'abc'.");
});

test('GO alone on a line (with a count or comment) separates batches; go inside a line does not', () => {
  assert.deepEqual(kinds('select 1\r\nGO\nselect 2\n  go 3 -- thrice\nselect go'), [
    'word:select', 'number:1', 'go:1', 'word:select', 'number:2', 'go:3', 'word:select', 'word:go', 'eof:',
  ]);
});
