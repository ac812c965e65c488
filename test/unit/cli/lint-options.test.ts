/**
 * `lync-runbook lint`'s command line (node:util parseArgs) and its per-file isolation (issues 15
 * and 18): both option spellings, help, clear usage errors, and one file whose check throws does
 * not hide the results of the others.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { CHECK_FAILED, lint, lintFile } from '../../../src/cli/lint';

const ROOT = path.resolve(__dirname, '../../..');
const SAMPLE = path.join(ROOT, 'samples/litware/persistent-chat-failover.runbook.md');
const ESTATE = path.join(ROOT, 'samples/litware/lync-estate.yaml');
const FIXTURE = path.join(ROOT, 'test/fixtures/runbooks/pc-failover-pool-state-missing.runbook.md');

const lintOf = async (argv: string[], check?: typeof lintFile) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await lint(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, check);
  return { code, out: out.join('\n'), err: err.join('\n') };
};

test('--estate=FILE and --estate FILE, options after the files: the same result', async () => {
  const joined = await lintOf([`--estate=${ESTATE}`, '--format=json', SAMPLE]);
  const spaced = await lintOf([SAMPLE, '--estate', ESTATE, '--format', 'json']);
  assert.equal(joined.code, 0, joined.err);
  assert.equal(spaced.code, 0, spaced.err);
  assert.deepEqual(JSON.parse(joined.out), JSON.parse(spaced.out));
});

test('lint --help and -h print the usage and exit 0', async () => {
  for (const flag of ['--help', '-h']) {
    const r = await lintOf([flag]);
    assert.equal(r.code, 0);
    assert.match(r.out, /^Usage: lync-runbook lint \[--estate FILE\] \[--format text\|json\] FILE\.\.\.$/);
  }
});

test('an unknown option, a value missing or given to a flag: exit 2, one clear line and the usage', async () => {
  const cases: [string[], RegExp][] = [
    [['--estat', ESTATE, SAMPLE], /^lync-runbook lint: unknown option '--estat'\nUsage: lync-runbook lint/],
    [[SAMPLE, '--estate'], /^lync-runbook lint: --estate needs a value \(--estate VALUE or --estate=VALUE\)\n/],
    [['--estate', '--format', 'json', SAMPLE], /^lync-runbook lint: --estate needs a value/],
    [['--help=yes'], /^lync-runbook lint: --help takes no value\n/],
    [['--format=xml', SAMPLE], /^lync-runbook lint: --format must be text or json, not 'xml'\n/],
  ];
  for (const [argv, message] of cases) {
    const r = await lintOf(argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.err, message);
    assert.equal(r.out, '');
  }
});

test('a runbook named like an option is linted after --', async () => {
  const r = await lintOf(['--', SAMPLE]);
  assert.equal(r.code, 0, r.err);
});

test('one file whose check throws is reported on that file (JSON and text); the others keep their results', async () => {
  const failing = path.join(ROOT, 'test/fixtures/runbooks/pc-failover-en-dash.runbook.md');
  const check: typeof lintFile = (file, text, context) => {
    if (file === failing) throw new RangeError('Maximum call stack size exceeded');
    return lintFile(file, text, context);
  };
  const json = await lintOf(['--format', 'json', SAMPLE, failing, FIXTURE], check);
  assert.equal(json.code, 1);
  const rows = JSON.parse(json.out) as { file: string; rule: string; severity: string; message: string; line: number }[];
  const failed = rows.filter((r) => r.file === failing);
  assert.equal(failed.length, 1);
  assert.equal(failed[0]!.rule, CHECK_FAILED);
  assert.equal(failed[0]!.severity, 'error');
  assert.match(failed[0]!.message, /could not check this file \(Maximum call stack size exceeded\); the other files were checked/);
  assert.ok(rows.some((r) => r.file === FIXTURE && r.rule === 'pool-state-missing'), 'the file after the failing one lost its results');

  const text = await lintOf([failing, FIXTURE], check);
  assert.equal(text.code, 1);
  assert.match(text.out, new RegExp(`${failing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:1: error lync-runbook could not check this file .*\\[${CHECK_FAILED}\\]`));
  assert.match(text.out, /\[pool-state-missing\]/);
  assert.match(text.out, /in 2 files$/);
});

test('an unreadable file is exit 2 and named, and the readable ones are still linted', async () => {
  const r = await lintOf(['--format', 'json', path.join(ROOT, 'no-such.runbook.md'), FIXTURE]);
  assert.equal(r.code, 2);
  assert.match(r.err, /no-such\.runbook\.md/);
  assert.ok((JSON.parse(r.out) as { rule: string }[]).some((row) => row.rule === 'pool-state-missing'));
});
