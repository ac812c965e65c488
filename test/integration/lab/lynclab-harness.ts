/**
 * The lab's shell server over the Litware estate with in-memory SQL and faults, driven through
 * real PowerShell (the LyncLab module) by the product's own shell adapter.
 */
import { PowerShellSession } from '../../../src/adapters/shell';
import type { PowerShellCommand } from '../../../src/core/commands/powershell';
import { ShellError } from '../../../src/core/recovery/ports';
import { ShiftableClock } from '../../../src/lab/lync/clock';
import { createLyncState, type LyncState } from '../../../src/lab/lync/state';
import { startShellServer, type ShellServer } from '../../../src/lab/shell/server';
import { FakeFaults, FakeSql, litwareEstate } from './shell-fakes';

export interface LabShell {
  readonly server: ShellServer;
  readonly lync: LyncState;
  readonly sql: FakeSql;
  readonly faults: FakeFaults;
  readonly clock: ShiftableClock;
  readonly session: PowerShellSession;
  /** Runs one line that must not fail; returns stdout. */
  ok(line: string): Promise<string>;
  /** Runs one line that must fail; returns the error. */
  fails(line: string): Promise<ShellError>;
  close(): Promise<void>;
}

export async function labShell(scenario = 'steady', sql = new FakeSql()): Promise<LabShell> {
  const clock = new ShiftableClock(() => 1_700_000_000_000);
  const lync = createLyncState(litwareEstate(), scenario, { clock, backupSyncMs: 60_000 });
  const faults = new FakeFaults();
  const server = await startShellServer({ estate: litwareEstate(), sql, scenario, faults, lync });
  const { executable, args, env, prelude } = server.launch;
  const session = new PowerShellSession({ executable, args, env, prelude, invocationTimeoutMs: 60_000 });
  return {
    server,
    lync,
    sql,
    faults,
    clock,
    session,
    ok: (line) => session.run(line as PowerShellCommand),
    fails: (line) =>
      session.run(line as PowerShellCommand).then(
        (out) => {
          throw new Error(`expected an error for ${line}, got:\n${out}`);
        },
        (e: unknown) => {
          if (!(e instanceof ShellError)) throw e;
          return e;
        },
      ),
    close: async () => {
      await session.close();
      await server.stop();
    },
  };
}
