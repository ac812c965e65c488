/**
 * Bounded work per document: a PowerShell block nested 500 deep, a 1 MB garbled block and a
 * Markdown list nested 50 deep are reported (rule `runbook-too-complex`) and refused by the planner,
 * quickly and without a stack overflow; `lint` of many files still reports every file.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { lint } from '../../../src/cli/lint';
import { parseEstate } from '../../../src/core/estate/load';
import { planRunbook, PlanError } from '../../../src/core/recovery';
import { parseRunbook, type PowerShellAction } from '../../../src/core/runbook';
import { checkRunbook } from '../../../src/core/rules';
import { powershellParser } from './grammar';

const SAMPLES = path.resolve(__dirname, '../../../samples/litware');
const sample = fs.readFileSync(path.join(SAMPLES, 'persistent-chat-failover.runbook.md'), 'utf8');
const estate = () => parseEstate(fs.readFileSync(path.join(SAMPLES, 'lync-estate.yaml'), 'utf8'), 'lync-estate.yaml').estate!;
const parse = async (text: string) => parseRunbook(text, { powershell: await powershellParser() });

/** The sample with one more step holding `block` as a PowerShell fence, before its other steps. */
const withBlock = (block: string) => sample.replace(/^## /m, () => `## Odd block {#odd}\n\n\`\`\`powershell\n${block}\n\`\`\`\n\n## `);

function refusal(text: string, runbook: ReturnType<typeof parseRunbook>): string {
  try {
    planRunbook(runbook, estate(), 'x.runbook.md');
  } catch (e) {
    if (e instanceof PlanError) return e.problems.map((p) => `${p.line}: ${p.message}`).join('\n');
    throw e;
  }
  assert.fail(`planned a runbook that should be refused:\n${text.slice(0, 200)}`);
}

async function timed<T>(body: () => Promise<T>, maxMs: number): Promise<T> {
  const started = performance.now();
  const result = await body();
  const ms = performance.now() - started;
  assert.ok(ms < maxMs, `took ${ms.toFixed(0)} ms (limit ${maxMs})`);
  return result;
}

for (const [name, block, says] of [
  ['500 nested $(', `Write-Output ${'$('.repeat(500)}1${')'.repeat(500)}`, /nested too deeply/],
  ['3,500 nested $(', `Write-Output ${'$('.repeat(3500)}1${')'.repeat(3500)}`, /nested too deeply/],
  ['a 1 MB garbled line', Array.from({ length: 1024 * 1024 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 90))).join(''), /at most 256\.0 KB/],
] as const) {
  test(`a PowerShell block with ${name}: reported and refused, without a stack overflow`, async () => {
    await powershellParser();
    const text = withBlock(block);
    const runbook = await timed(() => parse(text), 2000);
    const odd = runbook.steps.find((s) => s.id === 'odd')!.actions[0] as PowerShellAction;
    assert.match(odd.unchecked ?? '', says);
    assert.equal(runbook.steps.length, parseRunbook(sample, { powershell: await powershellParser() }).steps.length + 1, 'the later steps are all there');
    const problems = checkRunbook(runbook, { estate: estate() }).filter((p) => p.rule === 'runbook-too-complex');
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.message, says);
    assert.match(refusal(text, runbook), says);
  });
}

test('a PowerShell block that takes over a second to parse is reported as too slow', async () => {
  await powershellParser();
  // 200 KB of printable noise: under the size limit, and the grammar's error recovery takes many seconds on it.
  let seed = 1;
  const noise = Array.from({ length: 200 * 1024 }, () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % 50 === 0 ? '\n' : String.fromCharCode(32 + (seed % 95)).replace('`', 'x'))).join('');
  const runbook = await timed(() => parse(withBlock(noise)), 4000);
  const odd = runbook.steps.find((s) => s.id === 'odd')!.actions[0] as PowerShellAction;
  assert.match(odd.unchecked ?? '', /took over 1 s to parse/);
});

test('a Markdown list nested 50 deep is reported where reading stopped; the steps after it are not silently dropped', async () => {
  const nested = (depth: number) => Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n');
  const steps = parseRunbook(sample, { powershell: await powershellParser() }).steps.length;

  const shallow = await parse(sample.replace(/^## /m, `${nested(10)}\n\n## `));
  assert.equal(shallow.unread, undefined);
  assert.equal(shallow.steps.length, steps);

  const text = sample.replace(/^## /m, `${nested(50)}\n\n## `);
  const deep = await parse(text);
  const line = text.split('\n').findIndex((l) => l.includes('- item 49'));
  assert.ok(deep.unread, 'the runbook says where reading stopped');
  assert.ok(deep.unread.range.start.line <= line, `reading stopped at line ${deep.unread.range.start.line + 1}, the deepest item is on ${line + 1}`);
  assert.equal(deep.unread.range.end.line, text.split('\n').length - 1);
  assert.match(deep.unread.message, /nested too deeply/);
  const problems = checkRunbook(deep, { estate: estate() }).filter((p) => p.rule === 'runbook-too-complex');
  assert.equal(problems.length, 1);
  assert.match(refusal(text, deep), /nested too deeply/);
});

test('lint of many files: a file nested 500 deep does not hide the results of the others', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-limits-'));
  fs.copyFileSync(path.join(SAMPLES, 'lync-estate.yaml'), path.join(dir, 'lync-estate.yaml'));
  const files = ['a', 'deep', 'b'].map((n) => path.join(dir, `${n}.runbook.md`));
  fs.writeFileSync(files[0]!, sample.replace('on=backup', 'on=nowhere'));
  fs.writeFileSync(files[1]!, withBlock(`Write-Output ${'$('.repeat(500)}1${')'.repeat(500)}`));
  fs.writeFileSync(files[2]!, sample.replace('on=backup', 'on=nowhere'));
  const out: string[] = [];
  const code = await lint(['--format', 'json', ...files], { out: (l) => out.push(l), err: (l) => out.push(l) });
  assert.equal(code, 1);
  const rows = JSON.parse(out.join('\n')) as { file: string; rule: string }[];
  for (const file of files) assert.ok(rows.some((r) => r.file === file), `no result for ${path.basename(file)}`);
  assert.ok(rows.some((r) => r.file === files[1] && r.rule === 'runbook-too-complex'));
});
