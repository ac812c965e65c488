/**
 * The CLI must not spend CPU on V8's optimising compile of the PowerShell grammar (issue 15):
 * with it, a lint of one runbook costs 5–7 s of CPU (the huge `ts_lex` WASM function) and the
 * process cannot exit before the compile ends; on the baseline compiler it costs about 1 s
 * (most of it tsx compiling the sources). CPU time, not wall time, so a busy machine does not
 * change the verdict. bash's `time` reports the child's user + system CPU.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

const REPO = path.resolve(__dirname, '../../..');
const SAMPLE = 'samples/litware/persistent-chat-failover.runbook.md';
const CPU_LIMIT_S = 3;

test('lint of a sample runbook stays on the baseline WASM compiler (CPU well under an optimising compile)', { skip: process.platform === 'win32' ? 'uses bash to read the child process CPU time' : false }, () => {
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%U %S'; time node --import tsx src/cli/main.ts lint ${SAMPLE} >/dev/null`], {
    cwd: REPO,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const [user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  const cpu = user! + sys!;
  assert.ok(cpu < CPU_LIMIT_S, `lint took ${cpu.toFixed(2)} s of CPU (limit ${CPU_LIMIT_S} s): the grammar went through V8's optimising compiler`);
});
