/**
 * PowerShell's own parser ([System.Management.Automation.Language.Parser]::ParseInput, under the
 * pwsh the lab runs) judges every PowerShell text the product emits, and the language server's
 * reading of a corpus of runbook PowerShell: same syntax verdict, same parameters per command.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { ParsedPowerShell } from '../../src/core/runbook';
import { powershellParser } from '../unit/runbook/grammar';
import { parsePowerShell, recordCounts, type PsVerdict } from './oracles';
import { emittedTexts, type Text } from './texts';

const PARSER = ['System.Management.Automation.Language.Parser (pwsh)'];
const CORPUS = path.join(__dirname, 'corpus', 'runbook-powershell.ps1');
const DISAGREES = /^\s*# oracle-disagrees: (.+)$/m;

/** What a reader makes of a text: does it parse, and which parameters does each command get. */
interface Reading {
  readonly error: boolean;
  readonly commands: readonly string[];
}

/**
 * The language server reads the commands named by a word (`Set-CsPersistentChatState …`), the
 * ones its rules check against the cmdlet catalogue. A command run through `&` or `.` (a path, a
 * script block: `& "…\SQLCMD.EXE" -S …`) is no Lync cmdlet and no rule applies to it, so only
 * PowerShell's syntax verdict is compared for those.
 */
const pwshReading = (v: PsVerdict): Reading => ({
  error: v.errors.length > 0,
  commands: v.commands.filter((c) => !c.invoked).sort((a, b) => a.start - b.start).map((c) => `${c.name ?? '?'} ${c.parameters.map((p) => `-${p}`).join(' ')}`.trim()),
});

const lsReading = (p: ParsedPowerShell): Reading => ({
  error: p.syntaxErrors.length > 0,
  commands: p.commands.map((c) => `${c.name} ${c.parameters.map((x) => `-${x.name}`).join(' ')}`.trim()),
});

/** The difference between two readings, or undefined when they agree (commands compared only when both parse). */
function disagreement(ls: Reading, pwsh: Reading): string | undefined {
  if (ls.error !== pwsh.error) return `language server: ${ls.error ? 'syntax error' : 'parses'}; PowerShell: ${pwsh.error ? 'syntax error' : 'parses'}`;
  if (!ls.error && ls.commands.join('\n') !== pwsh.commands.join('\n')) return `language server reads [${ls.commands.join('; ')}], PowerShell reads [${pwsh.commands.join('; ')}]`;
  return undefined;
}

test('every PowerShell text of the builders, procedures, snippets, samples and docs parses in PowerShell', async (t) => {
  const texts = emittedTexts().powershell;
  const verdicts = await parsePowerShell(texts.map((x) => x.text));
  const wrong = texts.flatMap((x: Text, i) => {
    const errors = verdicts[i]!.errors;
    if (x.expect === 'any') return [];
    if (x.expect === 'error') return errors.length ? [] : [`${x.source}: an example of a syntax error, but PowerShell parses it\n${x.text}`];
    return errors.map((e) => `${x.source}: ${e.message} (${e.id}) at ${e.start}\n${x.text}`);
  });
  assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} texts do not parse`);
  // The language server reads them the same way (what the editor shows for a pasted command).
  const parser = await powershellParser();
  const differ = texts.flatMap((x, i) => {
    const d = disagreement(lsReading(parser.parse(x.text)), pwshReading(verdicts[i]!));
    return d ? [`${x.source}: ${d}\n${x.text}`] : [];
  });
  assert.deepEqual(differ.slice(0, 10), [], `${differ.length} disagreements`);
  recordCounts(t, 'powershell-emitted', { check: 'PowerShell texts emitted (builders, procedures, snippets, samples, docs)', texts: texts.length, parsers: PARSER, disagreements: 0 });
});

test("the language server's syntax verdict and parameters agree with PowerShell's parser on the runbook corpus", async (t) => {
  const source = fs.readFileSync(CORPUS, 'utf8');
  const cases = source.split(/^# ---\n/m);
  assert.ok(source.split('\n').length >= 300, 'the corpus has at least 300 lines');
  const verdicts = await parsePowerShell(cases);
  const parser = await powershellParser();
  let line = 1;
  let documented = 0;
  const problems: string[] = [];
  cases.forEach((text, i) => {
    const d = disagreement(lsReading(parser.parse(text)), pwshReading(verdicts[i]!));
    const note = DISAGREES.exec(text)?.[1];
    const where = `corpus line ${line}`;
    if (d && !note) problems.push(`${where}: ${d}\n${text}`);
    if (!d && note) problems.push(`${where}: documented as a disagreement (${note}) but both readers now agree: remove the note`);
    if (d && note) documented++;
    line += text.split('\n').length;
  });
  assert.deepEqual(problems, []);
  recordCounts(t, 'powershell-corpus', { check: 'runbook PowerShell corpus, language server vs PowerShell', texts: cases.length, parsers: PARSER, disagreements: documented });
});
