import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidValueError, parseWrappedJson, ps, parseFqdn, ShellReplyError, wrapForJson } from '../../../src/core/commands';
import { psTokens } from './tokenizers';

const nonce = 'a1b2c3d4e5';
const ok = (json: string) => `#LR-BEGIN-OK-${nonce}#${json}#LR-END-${nonce}#`;
const failed = (json: string) => `#LR-BEGIN-ERROR-${nonce}#${json}#LR-END-${nonce}#`;

describe('wrapForJson', () => {
  const cmd = ps.getBackupServiceStatus(parseFqdn('dal-cs-001.litwareinc.com'));
  const line = wrapForJson(cmd, nonce);

  test('is one line that converts with -Depth 6 -Compress and prints both markers with the nonce', () => {
    assert.doesNotMatch(line, /[\r\n]/);
    assert.match(line, /ConvertTo-Json -InputObject \$__lrOut -Depth 6 -Compress/);
    assert.ok(line.includes(`'#LR-BEGIN-OK-${nonce}#'`) && line.includes(`'#LR-END-${nonce}#'`) && line.includes(`'#LR-BEGIN-ERROR-${nonce}#'`));
  });

  test('runs the command dot-sourced from a quoted script block, errors made terminating and restored', () => {
    assert.ok(psTokens(line).some((t) => t.kind === 'single-quoted' && t.value === cmd));
    assert.match(line, /\. \(\[scriptblock\]::Create\('Get-CsBackupServiceStatus -PoolFqdn ''dal-cs-001\.litwareinc\.com'''\)\)/);
    assert.match(line, /\$ErrorActionPreference = 'Stop'.*finally \{ \$ErrorActionPreference = \$__lrEap \}$/);
  });

  test('a trailing comment in the command stays inside the literal', () => {
    const wrapped = wrapForJson('Get-CsPool # all pools', nonce);
    assert.ok(psTokens(wrapped).some((t) => t.kind === 'single-quoted' && t.value === 'Get-CsPool # all pools'));
  });

  test('refuses a bad nonce and a multi-line command', () => {
    assert.throws(() => wrapForJson(cmd, 'x#y'), (e: unknown) => e instanceof InvalidValueError && e.kind === 'nonce');
    assert.throws(() => wrapForJson('a\nb', nonce), (e: unknown) => e instanceof InvalidValueError && e.kind === 'powershell-string');
  });
});

describe('parseWrappedJson', () => {
  const cases: [string, string, unknown[]][] = [
    ['an array', ok('[{"PoolState":1},{"PoolState":0}]'), [{ PoolState: 1 }, { PoolState: 0 }]],
    ['a one-element array unwrapped by 5.1', ok('{"Identity":"global"}'), [{ Identity: 'global' }]],
    ['a scalar', ok('"x"'), ['x']],
    ['no output at all', ok(''), []],
    ['null', ok('null'), []],
    ['stray output around the markers (banner, warnings)', `WARNING: x\r\n${ok('[1]')}\r\n`, [1]],
    ['late output of an earlier call with another nonce first', `#LR-BEGIN-OK-zzzzzzzzzz#[9]#LR-END-zzzzzzzzzz#${ok('[2]')}`, [2]],
    ['a value containing the end marker text', ok(`["#LR-END-${nonce}#"]`), [`#LR-END-${nonce}#`]],
  ];
  for (const [name, output, expected] of cases) {
    test(name, () => assert.deepEqual(parseWrappedJson(output, nonce), { ok: true, value: expected }));
  }

  test('revives Windows PowerShell 5.1 \\/Date(ms)\\/ strings, with or without offset', () => {
    const r = parseWrappedJson(ok('[{"When":"\\/Date(1700000000000)\\/","Other":"\\/Date(-5000+0100)\\/","Text":"Date(1)"}]'), nonce);
    assert.ok(r.ok);
    const row = r.value[0] as { When: Date; Other: Date; Text: string };
    assert.ok(row.When instanceof Date && row.When.getTime() === 1700000000000);
    assert.equal(row.Other.getTime(), -5000);
    assert.equal(row.Text, 'Date(1)');
  });

  const errors: [string, string, string, RegExp][] = [
    ['empty reply', '', 'missing-sentinel', /returned nothing/],
    ['whitespace reply', '  \r\n', 'missing-sentinel', /returned nothing/],
    ['plain text', 'PoolState : FailedOver', 'missing-sentinel', /no start marker in: PoolState/],
    ['markers of another nonce only', '#LR-BEGIN-OK-zzzzzzzzzz#[]#LR-END-zzzzzzzzzz#', 'missing-sentinel', /no start marker/],
    ['truncated after the start marker', `#LR-BEGIN-OK-${nonce}#[{"a":1`, 'truncated', /cut off/],
    ['an end marker before the start only', `#LR-END-${nonce}##LR-BEGIN-OK-${nonce}#[1]`, 'truncated', /cut off/],
    ['invalid JSON', ok('[{"a":'), 'invalid-json', /not valid JSON/],
    ['the command failed', failed('{"message":"Cannot find pool","errorId":"PoolNotFound,Microsoft.Rtc","category":"ObjectNotFound"}'), 'command-failed', /^Cannot find pool$/],
    ['the command failed without a message', failed(''), 'command-failed', /without a message/],
  ];
  for (const [name, output, code, message] of errors) {
    test(`${name} → ${code}`, () => {
      const r = parseWrappedJson(output, nonce);
      assert.equal(r.ok, false);
      assert.ok(!r.ok && r.error instanceof ShellReplyError);
      assert.equal(!r.ok && r.error.code, code);
      assert.match(!r.ok ? r.error.message : '', message);
    });
  }

  test('a failure carries PowerShell error id and category', () => {
    const r = parseWrappedJson(failed('{"message":"x","errorId":"E1","category":"InvalidArgument"}'), nonce);
    assert.ok(!r.ok && r.error.errorId === 'E1' && r.error.category === 'InvalidArgument');
  });
});
