/**
 * `apply-log-backups` (§6.3, §6.4): headers of every log backup in the copy folder, the chain
 * planned against the database's redo LSN, each applicable file restored WITH NORECOVERY in LSN
 * order, whichever of the primary and its mirror wrote it. The redo LSN is the truth: files at
 * or before it are skipped, so a resumed run (after a crash half-way) applies nothing twice. A gap, a file whose header cannot be read, or a file
 * rejected (another writer, damaged) whose records lie beyond the redo point stops the action
 * after what can be applied — recovery must not run before the admin decides.
 *
 * LSNs: the header query CASTs them to text server-side. Should a server hand them over as
 * numeric(25,0) anyway, the driver makes rounded JS numbers of them above 2^53; then the redo LSN is rounded the same way for
 * planning (rounding is monotonic, and the shared boundary of two consecutive files rounds to one
 * value, so order and chain links hold); the exact redo LSN is read again after the restores.
 */
import * as tsql from '../../commands/tsql';
import { parseFilePath, type DatabaseName } from '../../commands/values';
import { ActionError, howToMarkDone } from '../errors';
import { planLogChain, type LogBackupHeader } from '../lsn';
import { ConnectionError, SqlError, type SqlRow } from '../ports';
import { headerOnlyMajorVersion } from '../server-version';
import { describeEndpoint, type SqlEndpoint } from '../targets';
import { baseName, percentOf, text, type ActionContext } from './context';
import { logShippingFolders } from './folders';
import { findSqlInstance } from '../../estate/queries';

/** SQL Server: "too early to apply" — the file's records are already in the database. */
const TOO_EARLY = 4326;
/** SQL Server: "too recent to apply" — a log backup is missing before this one. */
const TOO_RECENT = 4305;

/**
 * Errors that mean "this file cannot be read" (damaged, truncated, missing, not a backup), as
 * opposed to a problem with the statement or the connection, which stops the action.
 */
const MEDIA_ERRORS = new Set([3013, 3201, 3203, 3241, 3242, 3266, 3183]);

interface Redo {
  readonly lsn: string;
  readonly forkId: string;
}

async function readRedo(ctx: ActionContext, target: SqlEndpoint, database: DatabaseName): Promise<Redo> {
  const options = ctx.signal ? { signal: ctx.signal } : {};
  const row = (await ctx.ports.sql.query(target.instanceId, tsql.redoLsn(database), options)).recordsets[0]?.[0];
  const lsn = text(row?.['redo_start_lsn']);
  const forkId = text(row?.['redo_start_fork_guid']);
  if (lsn && forkId) return { lsn, forkId };
  const state = (await ctx.ports.sql.query(target.instanceId, tsql.databaseState(database), options)).recordsets[0]?.[0];
  const desc = text(state?.['state_desc']);
  throw new ActionError(
    desc === undefined
      ? `${database} does not exist on ${describeEndpoint(target)}.`
      : `${database} on ${describeEndpoint(target)} is ${desc}, not RESTORING: no log backup can be applied to it.`,
    desc === 'ONLINE' ? 'The database was already recovered; if the remaining logs matter, it must be restored again from a full backup.' : 'Check that the runbook targets the log-shipping secondary.',
  );
}

/** An LSN column as decimal text; `exact` is false when it arrived as a rounded JS number. */
function lsnColumn(value: unknown): { text: string; exact: boolean } {
  if (typeof value === 'string' && /^\d+$/.test(value)) return { text: value, exact: true };
  if (typeof value === 'bigint') return { text: value.toString(), exact: true };
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return { text: BigInt(value).toString(), exact: Number.isSafeInteger(value) };
  return { text: String(value), exact: true };
}

/** The same rounding a JS number applies: for comparing exact LSNs with rounded ones. */
const rounded = (lsn: string): string => BigInt(Number(lsn)).toString();

interface Headers {
  readonly headers: LogBackupHeader[];
  readonly unreadable: { readonly file: string; readonly error: string }[];
  readonly exact: boolean;
}

async function readHeaders(ctx: ActionContext, target: SqlEndpoint, files: readonly string[]): Promise<Headers> {
  const headers: LogBackupHeader[] = [];
  const unreadable: { file: string; error: string }[] = [];
  let exact = true;
  const options = ctx.signal ? { signal: ctx.signal } : {};
  const version = files.length > 0 ? await headerOnlyMajorVersion(ctx.ports, target.instanceId, ctx.signal) : undefined;
  for (const file of files) {
    let rows: readonly SqlRow[];
    try {
      rows = (await ctx.ports.sql.query(target.instanceId, tsql.restoreHeaderOnly(parseFilePath(file), version !== undefined ? { majorVersion: version } : {}), options)).recordsets[0] ?? [];
    } catch (e) {
      if (!(e instanceof SqlError) || !MEDIA_ERRORS.has(e.number)) throw e;
      unreadable.push({ file, error: `Msg ${e.number}: ${e.message}` });
      continue;
    }
    for (const row of rows) {
      const first = lsnColumn(row['FirstLSN']);
      const last = lsnColumn(row['LastLSN']);
      exact &&= first.exact && last.exact;
      headers.push({
        file,
        position: typeof row['Position'] === 'number' ? row['Position'] : 1,
        databaseName: String(row['DatabaseName'] ?? ''),
        serverName: String(row['ServerName'] ?? ''),
        firstLsn: first.text,
        lastLsn: last.text,
        databaseBackupLsn: lsnColumn(row['DatabaseBackupLSN'] ?? '0').text,
        firstRecoveryForkId: String(row['FirstRecoveryForkID'] ?? ''),
        backupType: Number(row['BackupType']),
        isDamaged: row['IsDamaged'] === true || row['IsDamaged'] === 1,
        backupFinishDate: row['BackupFinishDate'] instanceof Date ? row['BackupFinishDate'].toISOString() : String(row['BackupFinishDate'] ?? ''),
      });
    }
  }
  return { headers, unreadable, exact };
}

export async function applyLogBackups(ctx: ActionContext, database: DatabaseName, target: SqlEndpoint): Promise<void> {
  const where = describeEndpoint(target);
  const folders = logShippingFolders(ctx, database);
  const redo = await readRedo(ctx, target, database);
  const files = await ctx.ports.files.list(folders.copyFolder, '*.trn', ctx.signal ? { signal: ctx.signal } : {});
  const { headers, unreadable, exact } = await readHeaders(ctx, target, files.map((f) => f.path));
  const chain = planLogChain({ headers, redoLsn: exact ? redo.lsn : rounded(redo.lsn), redoForkId: redo.forkId, database, writers: writersOf(ctx, target, folders.snapshot?.primaryServer) });

  // A blocking file is named in the error below, not only warned about.
  for (const r of chain.rejected.filter((x) => !chain.blocking.includes(x))) ctx.emit({ type: 'warning', stepId: ctx.stepId, message: `${baseName(r.header.file)} not applied: ${r.detail}` });
  ctx.output(`${database} on ${where}: redo LSN ${redo.lsn}; ${files.length} file(s) in ${folders.copyFolder}, ${chain.alreadyApplied.length} already applied, ${chain.toApply.length} to apply`);

  let applied = 0;
  for (const header of chain.toApply) {
    const name = baseName(header.file);
    const command = tsql.restoreLog(database, parseFilePath(header.file));
    const outcome = await ctx.unit(`apply:${name}`, async () => {
      try {
        await ctx.ports.sql.query(target.instanceId, command, {
          ...(ctx.signal ? { signal: ctx.signal } : {}),
          onInfo: (message) => ctx.progress(`${name}: ${message}`, percentOf(message)),
        });
        return 'applied';
      } catch (e) {
        if (e instanceof SqlError && e.messages.some((m) => m.number === TOO_EARLY)) return 'already';
        if (e instanceof SqlError && e.messages.some((m) => m.number === TOO_RECENT)) {
          throw new ActionError(`${name} cannot be applied to ${database} on ${where}: a log backup before it is missing (Msg ${TOO_RECENT}: ${e.message}).`, gapHint(ctx.stepId));
        }
        if (e instanceof ConnectionError) {
          // Name the file being restored; an unfinished RESTORE is not applied, and the next run re-reads the redo LSN.
          throw new ActionError(
            `RESTORE LOG of ${name} into ${database} on ${where} was cut off: ${e.message}`,
            `Once ${target.instanceId} answers again, run this step again: it re-reads the redo LSN and applies ${name} and the files after it only if they are not applied yet — nothing twice.`,
          );
        }
        throw e;
      }
    });
    if (outcome === 'applied') applied++;
    ctx.output(`${name}: ${outcome === 'applied' ? 'applied WITH NORECOVERY' : 'already applied (SQL Server: too early), skipped'}`);
  }

  const after = await readRedo(ctx, target, database);
  if ((exact ? after.lsn : rounded(after.lsn)) !== chain.endLsn) {
    throw new ActionError(`After the restores the redo LSN of ${database} on ${where} is ${after.lsn}, not the ${chain.endLsn} the chain reaches: something else restored to it meanwhile.`, 'Run this step again: it re-reads the redo LSN and applies only what is missing.');
  }
  ctx.output(`${applied} applied; ${database} now at redo LSN ${after.lsn}`);

  if (chain.blocking.length > 0) {
    const named = chain.blocking.slice(0, 3).map((r) => `${baseName(r.header.file)} (LSN ${r.header.firstLsn}–${r.header.lastLsn}) ${r.detail}`);
    throw new ActionError(
      `${named.join('; ')}${chain.blocking.length > 3 ? ` and ${chain.blocking.length - 3} more` : ''}: not applied, and its log records lie beyond the redo LSN ${after.lsn} of ${database} on ${where}, so recovering now could lose them.`,
      'Check where the file comes from: if it belongs to this database\'s log chain, put a good copy in the copy folder (and the writer in the estate, as the primary\'s mirror) and run this step again; to accept losing its changes, mark this step done and continue.',
    );
  }
  if (chain.gap) {
    const gap = chain.gap;
    throw new ActionError(
      `Log chain gap for ${database} on ${where}: no log backup holds LSN ${after.lsn} up to ${gap.toLsn}${exact ? '' : ' (approximately: the driver rounds numeric(25,0))'}` +
        ` — missing between ${gap.afterFile ? baseName(gap.afterFile) : 'the database'} and ${baseName(gap.nextFile)}; ${chain.unreachable.length} later file(s) cannot be applied.`,
      gapHint(ctx.stepId),
    );
  }
  const lastApplied = chain.toApply.at(-1) ?? chain.alreadyApplied.at(-1);
  const blocking = unreadable.filter((u) => !lastApplied || baseName(u.file).toLowerCase() > baseName(lastApplied.file).toLowerCase());
  for (const u of unreadable.filter((x) => !blocking.includes(x))) ctx.emit({ type: 'warning', stepId: ctx.stepId, message: `${baseName(u.file)} cannot be read (${u.error}); it is older than the last applied file.` });
  if (blocking.length > 0) {
    throw new ActionError(
      `${blocking.slice(0, 3).map((u) => `${baseName(u.file)} (${u.error})`).join('; ')}${blocking.length > 3 ? ` and ${blocking.length - 3} more` : ''}: the header cannot be read, so the chain stops before it. ${database} is at redo LSN ${after.lsn}.`,
      `Copy a good version of the file from the share (or the primary's backup folder) and run this step again; to accept losing its changes, mark the step done (${howToMarkDone(ctx.stepId)}) and continue.`,
    );
  }
}

const gapHint = (stepId: string): string =>
  `Find the missing log backup (share, primary backup folder, tape), put it in the copy folder and run this step again — it resumes from the redo LSN. To accept losing the changes in the gap, mark this step done (${howToMarkDone(stepId)}) and continue to recovery.`;

/**
 * The servers whose log backups belong to the chain: the primary (from the snapshot, else the
 * estate's primary store) and the estate's primary mirror, which writes the log backups to the
 * same share while it is the principal (domain reference §1.5(b)).
 */
function writersOf(ctx: ActionContext, target: SqlEndpoint, snapshotPrimary: string | undefined): string[] {
  const stores = ctx.plan.pool?.stores?.[target.store];
  const serverOf = (id: string | undefined) => {
    const instance = id ? findSqlInstance(ctx.plan.estate, id) : undefined;
    return instance && (instance.instance ? `${instance.server}\\${instance.instance}` : instance.server);
  };
  const primary = snapshotPrimary ?? serverOf(stores?.primary);
  if (!primary) throw new ActionError(`The primary server of ${target.store} is not known: no snapshot in the journal and no primary store in the estate.`, 'Run snapshot-log-shipping first, or declare stores.mgc.primary for the pool.');
  const mirror = serverOf(stores?.mirror);
  return mirror ? [primary, mirror] : [primary];
}
