import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../../src/cli/main';
import { version } from '../../../package.json';

const captured = async (argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  try {
    return { code: await main(argv), out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
};

test('--help prints the usage and exits 0', async () => {
  const r = await captured(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.out, /lync-runbook lint \[--estate FILE\] \[--format text\|json\] FILE/);
});

test('--version prints the package version', async () => {
  const r = await captured(['--version']);
  assert.equal(r.code, 0);
  assert.equal(r.out, version);
});

test('an unknown command is bad usage (exit 2) with a message on stderr', async () => {
  const r = await captured(['frobnicate']);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown command 'frobnicate'/);
});
