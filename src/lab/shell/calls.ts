/**
 * One cmdlet call from the LyncLab module (protocol.ts): the shell faults first, then the
 * cmdlet's logic over the lab's state, its failures turned into error records.
 */
import { LyncError } from '../lync/state';
import { CmdletFailure, type LabCmdlet, type ShellEnvironment } from './commands';
import type { CmdletCall, CmdletReply, WireError, WireValue } from './protocol';

/** Exit code of PowerShell when the `pwsh-crash` fault fires (a .NET fail-fast on Windows). */
export const CRASH_EXIT_CODE = 255;
const CRASH_MESSAGE = 'Unhandled Exception: System.AccessViolationException: Attempted to read or write protected memory. This is often an indication that other memory is corrupt.';

const CMS_UNREACHABLE =
  'Command execution failed: Unable to access the Central Management Store. The operation timed out before a response was received from the database server.';

/** `hang`: the call must never be answered (the `pwsh-hang` fault, or a held call). */
export function handleCall(env: ShellEnvironment, cmdlets: ReadonlyMap<string, LabCmdlet>, call: CmdletCall): CmdletReply | 'hang' {
  env.faults.observeAll();
  const hold = env.held.get(call.cmdlet.toLowerCase());
  if (hold) {
    env.held.delete(call.cmdlet.toLowerCase());
    hold();
    return 'hang';
  }
  if (env.faults.take('pwsh-hang')) return 'hang';
  if (env.faults.take('pwsh-crash')) return { objects: [], verbose: [], warnings: [], errors: [], exit: { code: CRASH_EXIT_CODE, message: CRASH_MESSAGE } };
  const verbose: string[] = [];
  const warnings: string[] = [];
  const fail = (error: WireError): CmdletReply => ({ objects: [], verbose, warnings, errors: [error] });
  const cmdlet = cmdlets.get(call.cmdlet.toLowerCase());
  if (!cmdlet) {
    return fail({
      message: `${call.cmdlet} is not modelled by the rehearsal lab (docs/lab-cmdlets.md lists the cmdlets it models); rehearse this step as an operator step, or run it against a real Lync Server.`,
      errorId: 'NotModelledByLab',
      category: 'NotImplemented',
      exception: 'System.NotImplementedException',
    });
  }
  if (cmdlet.stateChanging && env.faults.take('cmdlet-error')) return fail({ message: CMS_UNREACHABLE, errorId: 'ProcessingFailed', category: 'InvalidOperation', exception: 'System.InvalidOperationException' });
  let objects: WireValue[];
  try {
    objects = cmdlet.run({ set: call.set, params: call.params, env, verbose: (m) => verbose.push(m), warn: (m) => warnings.push(m) });
  } catch (e) {
    if (e instanceof CmdletFailure) return fail({ message: e.message, errorId: e.errorId, category: e.category, exception: e.exception });
    if (e instanceof LyncError) return fail({ message: e.message, errorId: 'ProcessingFailed', category: e.category, exception: `System.${e.exceptionType}` });
    // A fault of the lab itself: the call fails, and the lab (and its other shells) go on.
    return fail({ message: `The rehearsal lab failed on ${call.cmdlet}: ${(e as Error).message}`, errorId: 'LabInternalError', category: 'NotSpecified', exception: 'System.InvalidOperationException' });
  }
  return { objects, verbose, warnings, errors: [] };
}
