import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { lint } from '../../../src/cli/lint';
import { ROOT } from './harness';

const run = async (argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await lint(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
};
const fixture = (name: string) => path.join(ROOT, 'test/fixtures/runbooks', `${name}.runbook.md`);

test('clean samples: exit 0', async () => {
  const r = await run([path.join(ROOT, 'samples/litware/persistent-chat-failover.runbook.md')]);
  assert.equal(r.code, 0);
  assert.match(r.out, /0 problems/);
});

test('--format json: one array of 1-based problems, exit 1 on an error', async () => {
  const r = await run(['--format', 'json', fixture('pc-failover-pool-state-missing')]);
  assert.equal(r.code, 1);
  const rows = JSON.parse(r.out) as Record<string, unknown>[];
  assert.deepEqual(Object.keys(rows[0]!).sort(), ['column', 'endColumn', 'endLine', 'file', 'line', 'message', 'rule', 'severity']);
  assert.equal(rows[0]!.rule, 'pool-state-missing');
  assert.equal(rows[0]!.line, 52);
  assert.equal(rows[0]!.column, 1);
});

test('warnings only: exit 0', async () => {
  const r = await run([fixture('pc-failover-en-dash')]);
  assert.equal(r.code, 0);
  assert.match(r.out, /en-dash-parameter/);
});

test('--estate overrides the runbook estate; a missing one is exit 2', async () => {
  const r = await run(['--estate', path.join(ROOT, 'nope.yaml'), fixture('pc-failover-en-dash')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /cannot read estate/);
});

test('bad usage and unreadable files: exit 2 with a message', async () => {
  assert.equal((await run([])).code, 2);
  assert.match((await run(['--format', 'xml', 'a.runbook.md'])).err, /--format must be text or json/);
  const missing = await run(['no-such.runbook.md']);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /cannot read no-such.runbook.md/);
});
