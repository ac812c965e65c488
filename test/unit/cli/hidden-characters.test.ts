/**
 * The forged-prompt case of the reliability probe: terminal escape sequences in a runbook's SQL
 * erased the `RESTORE … WITH RECOVERY` from the confirmation, which then showed only a `SELECT`.
 * Every line the CLI prints or asks now shows them escaped; a run refuses the runbook (the
 * `hidden-character` rule is an error and `run` lints first), and with that check overridden the
 * block still asks first.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { lint } from '../../../src/cli/lint';
import { run } from '../../../src/cli/run';

const ESTATE = path.resolve(__dirname, '../../../samples/litware/lync-estate.yaml');
const ESC = '\x1b';
const FORGED = "RESTORE DATABASE [mgc] WITH RECOVERY; --\x1b[2K\x1b[1G    SELECT state_desc FROM sys.databases WHERE name = N'mgc';";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-hidden-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function runbook(): string {
  const file = path.join(dir, 'forged.runbook.md');
  const body = `---\nrunbook: custom\nestate: ${ESTATE}\npool: atl-gc-001.litwareinc.com\n---\n\n# Forged\n\n## Read {#read}\n\n\`\`\`sql on=backup\n${FORGED}\n\`\`\`\n`;
  fs.writeFileSync(file, body);
  return file;
}

function terminal(answer: boolean) {
  const lines: string[] = [];
  const questions: string[] = [];
  return {
    lines,
    questions,
    io: { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), ask: async (q: string) => (questions.push(q), answer) },
  };
}

const OVERRIDE = ['--override', 'hidden-character', '--reason', 'the escape is meant'];

describe('what the operator sees is what is sent (CLI)', () => {
  it('a live run refuses the runbook, naming the hidden character, shown escaped', async () => {
    const t = terminal(true);
    assert.equal(await run(['--dry-run', runbook()], t.io, {}), 1);
    assert.equal(t.questions.length, 0);
    const text = t.lines.join('\n');
    assert.match(text, /forged\.runbook\.md:12: Hidden character \\x1b.*\[hidden-character\]/);
    assert.ok(!text.includes(ESC), text);
  });

  it('with the check overridden, a live run asks before the forged block and shows its escapes; declined, the run stops', async () => {
    const t = terminal(false);
    const settings = path.join(dir, 'settings.json');
    fs.writeFileSync(settings, JSON.stringify({ journalDirectory: path.join(dir, 'journals') }));
    assert.equal(await run(['--settings', settings, ...OVERRIDE, runbook()], t.io, {}), 1);
    assert.equal(t.questions.length, 1, t.lines.join('\n'));
    const question = t.questions[0]!;
    assert.match(question, /^Step read will send to backup dal-pcbak/);
    assert.ok(question.includes('RESTORE DATABASE [mgc] WITH RECOVERY; --\\x1b[2K\\x1b[1G    SELECT'), question);
    for (const text of [...t.questions, ...t.lines]) assert.ok(!text.includes(ESC), text);
  });

  it('with the check overridden, the dry run marks it destructive and shows the escapes', async () => {
    const t = terminal(false);
    assert.equal(await run(['--dry-run', ...OVERRIDE, runbook()], t.io, {}), 0);
    const text = t.lines.join('\n');
    assert.match(text, /\[destructive: asks first\]/);
    assert.ok(text.includes('WITH RECOVERY; --\\x1b[2K\\x1b[1G'), text);
    assert.ok(!text.includes(ESC), text);
  });

  it('lint reports the escape characters, shown escaped', async () => {
    const t = terminal(false);
    assert.equal(await lint([runbook()], t.io), 1);
    const reported = t.lines.filter((l) => l.includes('[hidden-character]'));
    assert.equal(reported.length, 2, t.lines.join('\n'));
    assert.match(reported[0]!, /:12:41: error Hidden character \\x1b, an escape character/);
    assert.ok(!t.lines.join('\n').includes(ESC));
  });
});
