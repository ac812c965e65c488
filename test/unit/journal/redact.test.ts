import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Redactor } from '../../../src/core/recovery/redact';

describe('Redactor.text', () => {
  const r = new Redactor(['hunter2', "o'brien", 'a"b']);
  const table: [string, string][] = [
    ['Server=x;User Id=sa;Password=abc;Encrypt=true', 'Server=x;User Id=sa;Password=***;Encrypt=true'],
    ['pwd = secret value', 'pwd = *** value'],
    ["PWD='a b;c'", 'PWD=***'],
    ['{"password":"x\\"y","user":"sa"}', '{"password":***,"user":"sa"}'],
    ['passwd:xyz', 'passwd:***'],
    ["New-Object PSCredential('sa', (ConvertTo-SecureString 'pa''ss' -AsPlainText -Force))", "New-Object PSCredential('sa', (ConvertTo-SecureString *** -AsPlainText -Force))"],
    ['-Password "x`"y" -User sa', '-Password *** -User sa'],
    ['login with hunter2 failed', 'login with *** failed'],
    ["N'o''brien'", "N'***'"],
    ['{"k":"a\\"b"}', '{"k":"***"}'],
    ['-Password $cred', '-Password $cred'],
    ['no secrets here', 'no secrets here'],
  ];
  for (const [input, expected] of table) test(input, () => assert.equal(r.text(input), expected));

  test('each line of a multi-line secret is redacted where output splits it, in every quoted form', () => {
    const hostile = 'Pw\'d"\\;--$(x)`y-7Q\n.*+?[';
    const m = new Redactor([hostile]);
    assert.equal(m.text(`SELECT N'Pw''d"\\;--$(x)\`y-7Q`), "SELECT N'***");
    assert.equal(m.text('.*+?[ and .*+?['), '*** and ***');
    assert.equal(m.text(`echoed=${hostile}`), 'echoed=***');
    assert.equal(m.text(JSON.stringify({ v: hostile })), '{"v":"***"}');
  });

  test('empty secrets are ignored (they would match everywhere)', () => {
    assert.equal(new Redactor(['']).text('abc'), 'abc');
  });
});

describe('Redactor.value', () => {
  test('redacts deeply and withholds secret-named keys', () => {
    const r = new Redactor(['hunter2']);
    const when = new Date(0);
    assert.deepEqual(r.value({ a: ['x hunter2'], Password: 'p', sqlPwd: 'q', apiToken: 't', n: 1, when, none: null, nested: { clientSecret: 's' } }), {
      a: ['x ***'],
      Password: '***',
      sqlPwd: '***',
      apiToken: '***',
      n: 1,
      when,
      none: null,
      nested: { clientSecret: '***' },
    });
  });
});
