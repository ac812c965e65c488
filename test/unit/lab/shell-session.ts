/** Runs statements through a stand-in session over the Litware estate, without any process. */
import { commandCatalogue } from '../../../src/lab/shell/catalogue';
import { FaultLatch } from '../../../src/lab/shell/faults';
import { ShellSession, type SessionReply } from '../../../src/lab/shell/session';
import { ShiftableClock } from '../../../src/lab/lync/clock';
import { createLyncState, type LyncState } from '../../../src/lab/lync/state';
import { FakeFaults, FakeSql, litwareEstate } from './shell-fakes';

export interface Harness {
  readonly lync: LyncState;
  readonly sql: FakeSql;
  readonly faults: FakeFaults;
  readonly clock: ShiftableClock;
  /** Runs one line; stdout and stderr as text (LF). */
  run(line: string): { out: string; err: string; reply: SessionReply };
  /** Runs one line that must not fail; returns stdout. */
  ok(line: string): string;
  /** Runs one line that must fail; returns stderr. */
  fails(line: string): string;
}

export function harness(scenario = 'steady', sql = new FakeSql()): Harness {
  const clock = new ShiftableClock(() => 1_700_000_000_000);
  const lync = createLyncState(litwareEstate(), scenario, { clock, backupSyncMs: 60_000 });
  const faults = new FakeFaults();
  const session = new ShellSession({ lync, sql, faults: new FaultLatch(faults) }, commandCatalogue());
  const run = (line: string) => {
    const reply = session.execute(line);
    const text = (s: 'out' | 'err') => reply.lines.filter((l) => l.stream === s).map((l) => l.text).join('\n');
    return { out: text('out'), err: text('err'), reply };
  };
  return {
    lync,
    sql,
    faults,
    clock,
    run,
    ok(line) {
      const r = run(line);
      if (r.err) throw new Error(`unexpected error for ${line}:\n${r.err}`);
      return r.out;
    },
    fails(line) {
      const r = run(line);
      if (!r.err) throw new Error(`expected an error for ${line}, got:\n${r.out}`);
      return r.err;
    },
  };
}
