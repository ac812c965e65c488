/**
 * Hostile values × every builder. For each input, either the value parser refuses it with a typed
 * `InvalidValueError`, or the produced text, read back by an independent tokenizer, is exactly
 * one statement whose literal equals the (validated) value — and for parameterised queries the
 * value never reaches the text at all.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  InvalidValueError,
  parseFilePath,
  parseUncPath,
  psString,
  toScript,
  tsql,
  wrapForJson,
  type SqlCommand,
} from '../../../src/core/commands';
import { db, file, HOSTILE, SLOTS, SPICY_PATHS } from './slots';
import { psTokens, sqlStatements } from './tokenizers';

/** Outside its quoted strings a built command holds only names, parameters, list syntax and `-Confirm:$false`. */
const PS_BARE = /^(?:[A-Za-z0-9 .=@{},-]|\$null|:\$false)*$/;

function assertPowerShell(text: string, value: string): void {
  assert.doesNotMatch(text, /[\r\n]/, 'one line');
  const tokens = psTokens(text);
  for (const t of tokens) if (t.kind === 'bare') assert.match(t.value, PS_BARE, `unexpected syntax outside strings: ${t.value}`);
  const literals = tokens.filter((t) => t.kind === 'single-quoted').map((t) => t.value);
  const bare = tokens.filter((t) => t.kind === 'bare').map((t) => t.value).join('');
  assert.ok(literals.includes(value) || bare.split(/\s+/).includes(value), `value ${JSON.stringify(value)} not found as one literal in ${text}`);
}

function assertSqlStatement(text: string, value: unknown): void {
  const statements = sqlStatements(text);
  assert.equal(statements.length, 1, `exactly one statement in ${text}`);
  const tokens = statements[0]!;
  assert.ok(!tokens.some((t) => t.kind === 'comment'), 'no comment');
  const found = tokens.some((t) => (t.kind === 'string' || t.kind === 'identifier' || t.kind === 'word') && t.value === String(value));
  assert.ok(found, `value ${JSON.stringify(value)} not found as one literal in ${text}`);
}

function assertSqlQuery(command: SqlCommand, value: unknown, benign: SqlCommand): void {
  assert.equal(command.text, benign.text, 'the query text does not depend on the value');
  assert.ok(Object.values(command.params).some((p) => p.value === value), 'the value travels as a parameter');
  const script = toScript(command);
  const statements = sqlStatements(script);
  assert.equal(statements.length, Object.keys(command.params).length + 1, `DECLAREs + one statement in ${script}`);
  assert.ok(!statements.flat().some((t) => t.kind === 'comment'), 'no comment');
  assert.ok(statements.flat().some((t) => t.kind === 'string' && t.value === value), 'the DECLARE literal equals the value');
}

/**
 * A batch whose only value sits in the dynamic SQL of `EXEC (N'…')`. Level 1: the batch, read by
 * the tokenizer, is the same statements with the same tokens whatever the value, except the one
 * string literal (the dynamic SQL). Level 2: that literal, decoded and read again, is exactly
 * `RESTORE HEADERONLY FROM DISK = '<value>'` — one statement, one literal equal to the value.
 */
function assertSqlDynamic(command: SqlCommand, value: unknown, benign: SqlCommand): void {
  assert.deepEqual(command.params, {}, 'no parameters: EXEC cannot see them');
  const outer = sqlStatements(command.text);
  const shape = (statements: ReturnType<typeof sqlStatements>) => statements.map((st) => st.map((t) => (t.kind === 'string' ? '<string>' : `${t.kind}:${t.value}`)));
  assert.deepEqual(shape(outer), shape(sqlStatements(benign.text)), 'outside its one literal the batch does not depend on the value');
  assert.ok(!outer.flat().some((t) => t.kind === 'comment'), 'no comment');
  const literals = outer.flat().filter((t) => t.kind === 'string');
  assert.equal(literals.length, 1, 'one string literal in the batch');
  assert.ok(command.text.includes("EXEC (N'"), 'the dynamic SQL is an N literal');
  const inner = literals[0]!.value;
  const statements = sqlStatements(inner);
  assert.equal(statements.length, 1, `exactly one statement in the dynamic SQL ${inner}`);
  assert.deepEqual(statements[0], [
    { kind: 'word', value: 'RESTORE' }, { kind: 'word', value: 'HEADERONLY' }, { kind: 'word', value: 'FROM' }, { kind: 'word', value: 'DISK' },
    { kind: 'other', value: '=' }, { kind: 'string', value: String(value) },
  ]);
  assert.ok(inner.startsWith("RESTORE HEADERONLY FROM DISK = N'"), 'the path is an N literal too: never through varchar');
}

describe('hostile values × builders', () => {
  for (const s of SLOTS) {
    test(s.builder, () => {
      const inputs = [...HOSTILE, ...(s.parse === parseFilePath || s.parse === parseUncPath ? SPICY_PATHS : [])];
      let accepted = 0;
      for (const input of inputs) {
        let value: unknown;
        try {
          value = s.parse(input);
        } catch (e) {
          assert.ok(e instanceof InvalidValueError, `${JSON.stringify(input)}: expected a typed rejection, got ${e}`);
          assert.ok(e.reason.length > 0);
          continue;
        }
        accepted++;
        assert.equal(String(value).toLowerCase(), input.toLowerCase(), 'validation never rewrites content beyond case');
        const out = s.build(value);
        if (s.shape === 'powershell') assertPowerShell(out as string, String(value));
        else if (s.shape === 'sql-statement') assertSqlStatement((out as SqlCommand).text, value);
        else if (s.shape === 'sql-dynamic') assertSqlDynamic(out as SqlCommand, value, s.build(file) as SqlCommand);
        else assertSqlQuery(out as SqlCommand, value, s.build(s.parse === parseFilePath ? file : db) as SqlCommand);
      }
      if (s.parse === parseFilePath) assert.equal(accepted, SPICY_PATHS.length, 'the spicy but legal paths are accepted and neutralised');
    });
  }

  test('restoreHeaderOnly: quote runs, quote-look-alikes and statement text in paths stay inside both literals', () => {
    for (const input of [
      "D:\\a''''b\\x.trn",
      "D:\\a''');EXEC xp_cmdshell 'x';--\\x.trn",
      "D:\\a');DROP TABLE #headers;SELECT ('\\x.trn",
      "\\\\srv\\share\\N'x'\\y.trn",
      'D:\\a\uff07b\\x\u02bcy.trn',
    ]) {
      const value = parseFilePath(input);
      assertSqlDynamic(tsql.restoreHeaderOnly(value, { majorVersion: 11 }), value, tsql.restoreHeaderOnly(file, { majorVersion: 11 }));
    }
  });

  test('wrapForJson carries any command text as one literal and nothing else varies', () => {
    const nonce = 'n0nce1234';
    const shape = (cmd: string) => wrapForJson(cmd, nonce).replace(psString(cmd), '<CMD>');
    const reference = shape('Get-CsPool');
    for (const input of HOSTILE) {
      let wrapped: string;
      try {
        wrapped = wrapForJson(input, nonce);
      } catch (e) {
        assert.ok(e instanceof InvalidValueError && e.kind === 'powershell-string', `${JSON.stringify(input)}: ${e}`);
        continue;
      }
      assert.ok(psTokens(wrapped).some((t) => t.kind === 'single-quoted' && t.value === input), `literal of ${JSON.stringify(input)}`);
      assert.equal(shape(input), reference);
    }
  });
});
