/**
 * Bare-word lists in command arguments (`Select-Object a, b`): tree-sitter-powershell has no
 * derivation for them, the parser rewrites them (src/core/runbook/powershell-lists.ts). Valid lists
 * parse without syntax errors into one array argument; real syntax errors are still reported.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRunbook, type PowerShellAction, type PsArgument } from '../../../src/core/runbook';
import { checkRunbook } from '../../../src/core/rules';
import { bareListItems } from '../../../src/core/runbook/powershell-lists';
import { powershellParser } from './grammar';

const parse = async (block: string) => (await powershellParser()).parse(block);
const items = (a: PsArgument | undefined) => a?.items?.map((i) => [i.kind, i.value]);

test('a bare-word list with spaces after the commas is one array argument, without a syntax error', async () => {
  const parsed = await parse('Get-CsPool | Select-Object Identity, Computers');
  assert.deepEqual(parsed.syntaxErrors, []);
  const select = parsed.commands.find((c) => c.name === 'Select-Object')!;
  assert.equal(select.positional.length, 1);
  assert.equal(select.positional[0]!.kind, 'array');
  assert.deepEqual(items(select.positional[0]), [['bare', 'Identity'], ['bare', 'Computers']]);
  // Items keep the ranges of the text as written.
  assert.deepEqual(select.positional[0]!.items!.map((i) => i.range.start.character), [27, 37]);
});

test('bare lists in every spelling PowerShell accepts: no space, space before, mixed items, newline after a comma', async () => {
  for (const [block, expected] of [
    ['Get-X a,b', [['bare', 'a'], ['bare', 'b']]],
    ['Get-X a , b', [['bare', 'a'], ['bare', 'b']]],
    ['Get-X a,\n  b', [['bare', 'a'], ['bare', 'b']]],
    ['Get-X a, "b", $c, 4', [['bare', 'a'], ['string', 'b'], ['variable', '$c'], ['expression', '4']]],
  ] as const) {
    const parsed = await parse(block);
    assert.deepEqual(parsed.syntaxErrors, [], block);
    assert.deepEqual(items(parsed.commands[0]!.positional[0]), expected, block);
  }
});

test('a bare list bound to a parameter: -ActiveServers a, b is the value, the switch after it stays a switch', async () => {
  const parsed = await parse('Set-CsPersistentChatActiveServer -Identity global -ActiveServers atl-pc-001.litwareinc.com, atl-pc-002.litwareinc.com -Force');
  assert.deepEqual(parsed.syntaxErrors, []);
  const [command] = parsed.commands;
  assert.deepEqual(command!.parameters.map((p) => [p.name, p.value?.kind ?? null]), [['Identity', 'bare'], ['ActiveServers', 'array'], ['Force', null]]);
  assert.deepEqual(items(command!.parameters[1]!.value), [['bare', 'atl-pc-001.litwareinc.com'], ['bare', 'atl-pc-002.litwareinc.com']]);
});

test('real syntax errors are still reported, in or beside a bare list', async () => {
  for (const block of ['Get-X a,', 'Get-X a, "b', 'Get-X a, (Get-Y', 'if ($x -eq a, b) { Get-X }']) {
    assert.notDeepEqual((await parse(block)).syntaxErrors, [], block);
  }
  // A valid list on the first statement, an unclosed string on the second: only the second is an error.
  const parsed = await parse('Get-X a, b\nGet-Y -Name "unclosed');
  assert.ok(parsed.syntaxErrors.length > 0);
  assert.ok(parsed.syntaxErrors.every((r) => r.start.line === 1), JSON.stringify(parsed.syntaxErrors));
  assert.deepEqual(items(parsed.commands[0]!.positional[0]), [['bare', 'a'], ['bare', 'b']]);
});

test('powershell-syntax: reported for a real error, not for a valid bare list', async () => {
  const runbook = (line: string) => `---\nrunbook: custom\nestate: ./lync-estate.yaml\npool: x\n---\n# T\n## A\n\`\`\`powershell\n${line}\n\`\`\`\n`;
  const rules = async (line: string) => {
    const rb = parseRunbook(runbook(line), { powershell: await powershellParser() });
    assert.equal(rb.steps[0]!.actions[0]!.kind, 'powershell');
    return checkRunbook(rb, { error: 'no estate in this test' }).filter((p) => p.rule === 'powershell-syntax');
  };
  assert.deepEqual(await rules('Get-CsPool | Select-Object Identity, Computers'), []);
  assert.equal((await rules('Get-CsPool | Select-Object Identity, "Computers')).length, 1);
  const rb = parseRunbook(runbook('Get-CsPool | Select-Object Identity, Computers'), { powershell: await powershellParser() });
  assert.equal((rb.steps[0]!.actions[0] as PowerShellAction).syntaxErrors.length, 0);
});

test('the lexer leaves command names, expressions, type literals and strings alone', () => {
  const words = (text: string) => bareListItems(text).map((s) => text.slice(s.start, s.end));
  assert.deepEqual(words('Get-X a, b | Select-Object c,d'), ['a', 'b', 'c', 'd']);
  assert.deepEqual(words('$list = 1, 2'), []);
  assert.deepEqual(words('if ($x -in a, b) { }'), [], 'bare words in an expression are PowerShell errors: left for the grammar to report');
  assert.deepEqual(words('[System.Collections.Generic.Dictionary[string, int]]::new()'), []);
  assert.deepEqual(words('Get-X "a, b" \'c, d\' # e, f'), []);
  assert.deepEqual(words('Get-X $a.b, c'), ['c'], 'a member access is not a bare word');
  assert.deepEqual(words('Get-X -Name:a, b'), ['a', 'b']);
});
