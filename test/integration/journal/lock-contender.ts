/**
 * One contender of the stale-lock race (lock-race.test.ts): a separate process, so the race is
 * between processes as in the field. On `{ lockFile }` it tries to take the lock and answers
 * `{ held }`; on `release` it releases what it holds.
 */
import { acquireLock, JournalLockedError, processIsAlive, releaseLock } from '../../../src/adapters/journal/lock';

const runId = `contender-${process.pid}`;
let held: string | undefined;

process.on('message', (message: { lockFile?: string; release?: boolean }) => {
  void (async () => {
    if (message.release) {
      if (held) await releaseLock(held, runId);
      held = undefined;
      process.send!({ released: true });
      return;
    }
    const lockFile = message.lockFile!;
    try {
      await acquireLock(lockFile, { pid: process.pid, host: 'race-host', startedAt: new Date().toISOString(), runId, runbook: 'race' }, { host: 'race-host', pid: process.pid, isAlive: processIsAlive });
      held = lockFile;
      process.send!({ held: true });
    } catch (e) {
      if (!(e instanceof JournalLockedError)) throw e;
      process.send!({ held: false });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
