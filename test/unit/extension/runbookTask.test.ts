/**
 * The `lync-runbook` task: its problem matcher (package.json) against the real output of
 * `lync-runbook lint` on every runbook fixture — each problem line must match, and the groups must
 * give back the problem's file, position, severity, message and rule exactly as the JSON format
 * reports them — and the task definition's validation and the CLI arguments it becomes.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { lint } from '../../../src/cli/lint';
import { showHidden } from '../../../src/core/text';
import { lintArguments, parseTaskDefinition, TASK_TYPE } from '../../../src/extension/tasks/definition';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

interface Pattern {
  readonly regexp: string;
  readonly file: number;
  readonly line: number;
  readonly column: number;
  readonly severity: number;
  readonly message: number;
  readonly code: number;
}
interface Manifest {
  readonly contributes: {
    readonly problemMatchers: readonly { readonly name: string; readonly owner: string; readonly pattern: Pattern }[];
    readonly taskDefinitions: readonly { readonly type: string }[];
  };
}
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
const matcher = manifest.contributes.problemMatchers.find((m) => m.name === 'lync-runbook')!;

async function run(argv: string[]): Promise<string[]> {
  const out: string[] = [];
  await lint(argv, { out: (l) => out.push(l), err: (l) => assert.fail(`lint failed: ${l}`) });
  return out;
}

describe('the $lync-runbook problem matcher', () => {
  const fixtures = fs.readdirSync(path.join(root, 'test/fixtures/runbooks')).filter((f) => f.endsWith('.runbook.md')).map((f) => path.join('test/fixtures/runbooks', f));

  it('is contributed with the task type', () => {
    assert.ok(matcher, 'package.json contributes a problem matcher named lync-runbook');
    assert.ok(manifest.contributes.taskDefinitions.some((d) => d.type === TASK_TYPE));
  });

  it('reads every problem of the lint output, with its file, position, severity, message and rule', async () => {
    const previous = process.cwd();
    process.chdir(root); // relative paths, as the task runs it from the workspace folder
    try {
      const text = await run(fixtures);
      const rows = JSON.parse((await run(['--format', 'json', ...fixtures])).join('\n')) as Record<string, unknown>[];
      const summary = text.pop();
      assert.match(summary ?? '', /^\d+ problems? \(\d+ errors?\) in \d+ files?$/);
      assert.ok(rows.length > fixtures.length, 'the fixtures have problems to match');
      assert.ok(new Set(rows.map((r) => r.severity)).size >= 2, 'errors and warnings both occur');
      const re = new RegExp(matcher.pattern.regexp);
      const p = matcher.pattern;
      const read = text.map((line) => {
        const m = re.exec(line);
        assert.ok(m, `the matcher does not match: ${line}`);
        return { file: m[p.file], line: Number(m[p.line]), column: Number(m[p.column]), severity: m[p.severity], message: m[p.message], rule: m[p.code] };
      });
      assert.deepEqual(read, rows.map((r) => ({ file: r.file, line: r.line, column: r.column, severity: r.severity, message: showHidden(String(r.message)), rule: r.rule })));
    } finally {
      process.chdir(previous);
    }
  });

  it('does not take the summary line or a Windows drive letter for a problem', () => {
    const re = new RegExp(matcher.pattern.regexp);
    assert.equal(re.exec('3 problems (1 error) in 2 files'), null);
    const m = re.exec('C:\\runbooks\\pc.runbook.md:52:1: error Set the pool state first [pool-state-missing]');
    assert.equal(m?.[matcher.pattern.file], 'C:\\runbooks\\pc.runbook.md');
    assert.equal(m?.[matcher.pattern.code], 'pool-state-missing');
  });
});

describe('lync-runbook task definitions', () => {
  it('become lint arguments, each value its own argument', () => {
    const d = parseTaskDefinition({ type: TASK_TYPE, command: 'lint', estate: 'estate/lync estate.yaml', files: ['a b.runbook.md'] });
    assert.ok(typeof d === 'object');
    assert.deepEqual(lintArguments('/ext/dist/cli.js', d, ['a b.runbook.md']), ['/ext/dist/cli.js', 'lint', '--estate', 'estate/lync estate.yaml', 'a b.runbook.md']);
    const plain = parseTaskDefinition({ type: TASK_TYPE, command: 'lint' });
    assert.ok(typeof plain === 'object');
    assert.deepEqual(lintArguments('cli.js', plain, ['x.runbook.md']), ['cli.js', 'lint', 'x.runbook.md']);
  });

  it('say what is wrong with a bad one', () => {
    assert.match(String(parseTaskDefinition({ type: TASK_TYPE, command: 'run' })), /"command" must be "lint", not "run"/);
    assert.match(String(parseTaskDefinition({ type: TASK_TYPE, command: 'lint', files: 'x.runbook.md' })), /"files" must be a list/);
    assert.match(String(parseTaskDefinition({ type: TASK_TYPE, command: 'lint', estate: '' })), /"estate" must be a file path/);
    assert.match(String(parseTaskDefinition({ type: 'shell', command: 'lint' })), /task type must be "lync-runbook"/);
    assert.match(String(parseTaskDefinition(null)), /must be an object/);
  });
});
