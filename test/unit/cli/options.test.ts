/** The CLI's shared option reading (src/cli/options.ts): --override/--reason pairs and usage errors of run and rehearse. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { overridesIn, parseCommandLine } from '../../../src/cli/options';
import { rehearse } from '../../../src/cli/rehearse';
import { run } from '../../../src/cli/run';

const SAMPLE = path.resolve(__dirname, '../../../samples/litware/persistent-chat-failover.runbook.md');
const OPTIONS = { override: { type: 'string', multiple: true }, reason: { type: 'string', multiple: true }, yes: { type: 'boolean' } } as const;

const overrides = (argv: string[]) => {
  const parsed = parseCommandLine(argv, OPTIONS);
  assert.notEqual(typeof parsed, 'string', String(parsed));
  return overridesIn((parsed as Exclude<typeof parsed, string>).tokens);
};

test('--override ID --reason TEXT pairs, in order, in both spellings', () => {
  assert.deepEqual(overrides(['--override', 'a', '--reason', 'why a', 'file', '--override=b', '--reason=why b']), [
    { check: 'a', reason: 'why a' },
    { check: 'b', reason: 'why b' },
  ]);
});

test('a reason must follow its override at once, and may not be empty', () => {
  assert.equal(overrides(['--override', 'a', '--yes', '--reason', 'x']), '--override a needs --reason "why" right after it');
  assert.equal(overrides(['--reason', 'x', '--override', 'a']), '--reason belongs right after an --override ID');
  assert.equal(overrides(['--override', 'a', '--reason', ' ']), '--override a --reason needs a non-empty reason');
  assert.equal(parseCommandLine(['--override', '--reason', 'x'], OPTIONS), '--override needs a value (--override VALUE or --override=VALUE)');
});

test('run and rehearse: an unknown option is exit 2 with one clear line and the usage', async () => {
  const err: string[] = [];
  const io = { out: () => undefined, err: (l: string) => void err.push(l) };
  assert.equal(await run(['--dry-rnu', SAMPLE], io, {}), 2);
  assert.equal(await rehearse(['--keep-lab', '--fautl', 'pwsh-hang', SAMPLE], io), 2);
  assert.match(err[0]!, /^lync-runbook run: unknown option '--dry-rnu'\nUsage: lync-runbook run /);
  assert.match(err[1]!, /^lync-runbook rehearse: unknown option '--fautl'\nUsage: lync-runbook rehearse /);
  assert.equal(err.length, 2);
});
