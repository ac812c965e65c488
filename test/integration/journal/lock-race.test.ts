/**
 * Issue 17 item 6: a stale lock (its process gone) taken over by four processes at once must end
 * with exactly one holder, every time. The contenders are long-lived child processes, started
 * once; each trial leaves a fresh stale lock, then sends all four the same message at once.
 */
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

const TRIALS = 100;
const CONTENDERS = 4;
/** Above any pid_max: `kill(pid, 0)` answers ESRCH, so the lock's process is gone. */
const DEAD_PID = 2_147_483_646;

function next<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`a contender exited (${code})`));
    child.once('exit', onExit);
    child.once('message', (m) => {
      child.off('exit', onExit);
      resolve(m as T);
    });
  });
}

describe('stale-lock takeover under contention', () => {
  let dir: string;
  const contenders: ChildProcess[] = [];

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lock-race-'));
    for (let i = 0; i < CONTENDERS; i++) contenders.push(fork(path.join(__dirname, 'lock-contender.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  });

  after(async () => {
    for (const c of contenders) c.disconnect();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it(`${TRIALS} trials of ${CONTENDERS} processes taking over one stale lock: exactly one holder each`, async () => {
    const holders: number[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const lockFile = path.join(dir, `trial-${trial}.lock`);
      await fs.writeFile(lockFile, JSON.stringify({ pid: DEAD_PID, host: 'race-host', startedAt: 'earlier', runId: `stale-${trial}`, runbook: 'race' }));
      const answers = contenders.map((c) => next<{ held: boolean }>(c));
      for (const c of contenders) c.send({ lockFile });
      const held = (await Promise.all(answers)).filter((a) => a.held).length;
      holders.push(held);
      const released = contenders.map((c) => next(c));
      for (const c of contenders) c.send({ release: true });
      await Promise.all(released);
    }
    assert.deepEqual(holders.map((h, trial) => ({ trial, holders: h })).filter((t) => t.holders !== 1), []);
  });
});
