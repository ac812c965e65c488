/**
 * The built-in `lync` actions as typed calls: each line of a `lync` fence parsed into its name and
 * validated arguments, so a typo (`module=DataConf`, `state=Failover`, `timeout=soon`) fails when
 * the plan is made, with the line, rather than in the middle of a recovery.
 */
import { parseBackupModule, parsePoolState, type BackupModule, type PoolState } from '../commands/enums';
import { InvalidValueError } from '../commands/errors';
import { parseDatabaseName, parseFqdn, type DatabaseName, type Fqdn } from '../commands/values';
import type { LyncCommand } from '../runbook/model';

export type LyncCall =
  | { readonly name: 'back-up-tail-log' | 'snapshot-log-shipping' | 'copy-log-backups' | 'apply-log-backups' | 'kill-sessions' | 'recover-database'; readonly database: DatabaseName }
  | { readonly name: 'wait-backup-sync'; readonly pool: Fqdn; readonly module: BackupModule; readonly timeoutMs: number }
  | { readonly name: 'check-pool-state'; readonly pool: Fqdn; readonly state: PoolState }
  | { readonly name: 'confirm'; readonly text: string };

export type LyncCallName = LyncCall['name'];

/** Built-ins that talk to SQL Server and so need a target (`on=`). */
export const SQL_CALLS: ReadonlySet<LyncCallName> = new Set(['back-up-tail-log', 'snapshot-log-shipping', 'apply-log-backups', 'kill-sessions', 'recover-database']);
/** Built-ins that change state that cannot simply be undone: a live run asks first. */
export const DESTRUCTIVE_CALLS: ReadonlySet<LyncCallName> = new Set(['back-up-tail-log', 'kill-sessions', 'recover-database']);

/** Default wait for the Backup Service when the runbook gives no `timeout=`. */
export const DEFAULT_SYNC_TIMEOUT_MS = 30 * 60_000;

const UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000 };

/** `90s`, `30m`, `2h` (a bare number is minutes); undefined when it is none of those. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([smh]?)$/i.exec(text.trim());
  if (!m || Number(m[1]) <= 0) return undefined;
  return Math.round(Number(m[1]) * UNITS[(m[2] || 'm').toLowerCase()]!);
}

export class LyncCallError extends Error {
  override readonly name = 'LyncCallError';
}

function arg(command: LyncCommand, key: string): string | undefined {
  return command.attributes.find((a) => a.key.toLowerCase() === key)?.value;
}

function required(command: LyncCommand, key: string): string {
  const value = arg(command, key);
  if (value === undefined || value === '') throw new LyncCallError(`${command.name} needs ${key}=…`);
  return value;
}

function valid<T>(command: LyncCommand, key: string, parse: (s: string) => T, value: string): T {
  try {
    return parse(value);
  } catch (e) {
    if (e instanceof InvalidValueError) throw new LyncCallError(`${command.name} ${key}=${value}: ${e.reason}`);
    throw e;
  }
}

export function parseLyncCall(command: LyncCommand): LyncCall {
  const name = command.name.toLowerCase();
  switch (name) {
    case 'back-up-tail-log':
    case 'snapshot-log-shipping':
    case 'copy-log-backups':
    case 'apply-log-backups':
    case 'kill-sessions':
    case 'recover-database':
      return { name, database: valid(command, 'database', parseDatabaseName, required(command, 'database')) };
    case 'wait-backup-sync': {
      const timeout = arg(command, 'timeout');
      const timeoutMs = timeout === undefined ? DEFAULT_SYNC_TIMEOUT_MS : parseDuration(timeout);
      if (timeoutMs === undefined) throw new LyncCallError(`wait-backup-sync timeout=${timeout}: a duration is a positive number followed by s, m or h, e.g. 30m`);
      return {
        name,
        pool: valid(command, 'pool', parseFqdn, required(command, 'pool')),
        module: valid(command, 'module', parseBackupModule, required(command, 'module')),
        timeoutMs,
      };
    }
    case 'check-pool-state':
      return { name, pool: valid(command, 'pool', parseFqdn, required(command, 'pool')), state: valid(command, 'state', parsePoolState, required(command, 'state')) };
    case 'confirm': {
      const text = command.positional.map((p) => p.value).join(' ').trim();
      if (text === '') throw new LyncCallError('confirm needs the text to confirm, e.g. confirm "Clients can sign in"');
      return { name, text };
    }
    default:
      throw new LyncCallError(`unknown built-in action "${command.name}" (known: back-up-tail-log, snapshot-log-shipping, copy-log-backups, apply-log-backups, kill-sessions, recover-database, wait-backup-sync, check-pool-state, confirm)`);
  }
}
