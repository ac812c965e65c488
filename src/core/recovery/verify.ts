/**
 * Evaluating the procedures' checks (preconditions and verification) through the ports. Each
 * gives ok/not ok and a sentence saying what was seen. A check that cannot be evaluated (the
 * instance does not answer…) is not ok, with the reason — never silently passed.
 */
import * as ps from '../commands/powershell';
import * as tsql from '../commands/tsql';
import { describeCheck } from '../procedures/render';
import { parseFilePath, type FilePath } from '../commands/values';
import type { Check, SqlTarget } from '../procedures/types';
import { cmsMasterOf, hasPrincipal, moduleSyncState, poolAnswers, poolResponse, poolStateOf, replyNamesPartner, textValues } from './lync-status';
import { ConnectionError, PortError, SqlError, SqlLoginError, type SqlRow } from './ports';
import { headerOnlyMajorVersion } from './server-version';
import type { EnginePorts } from './run-types';

export interface CheckContext {
  readonly ports: EnginePorts;
  readonly signal?: AbortSignal;
  /** Whether a runbook step is complete (journal). */
  stepDone(stepId: string): boolean;
  /** Asks the operator; true = confirmed. */
  checkpoint(text: string): Promise<boolean>;
}

export interface CheckResult {
  readonly ok: boolean;
  readonly detail: string;
  /** Set for checks the admin may override (split brain, unreachable share): the warning to show. */
  readonly warning?: string;
  /** Set when the check could not be evaluated: the port error (login refused, no connection…). */
  readonly error?: unknown;
}

const pass = (detail: string): CheckResult => ({ ok: true, detail });
const fail = (detail: string): CheckResult => ({ ok: false, detail });

async function rows(ctx: CheckContext, target: SqlTarget, command: tsql.SqlCommand): Promise<readonly SqlRow[]> {
  return (await ctx.ports.sql.query(target.instanceId, command, ctx.signal ? { signal: ctx.signal } : {})).recordsets[0] ?? [];
}

/** True when the instance answers (a refused login still answers). */
async function answers(ctx: CheckContext, target: SqlTarget): Promise<boolean> {
  try {
    await rows(ctx, target, tsql.serverIdentity());
    return true;
  } catch (e) {
    if (e instanceof SqlLoginError) return true;
    if (e instanceof ConnectionError) return false;
    throw e;
  }
}

const shellJson = (ctx: CheckContext, command: ps.PowerShellCommand) => ctx.ports.shell.runJson(command, ctx.signal ? { signal: ctx.signal } : {});

async function evaluate(check: Check, ctx: CheckContext): Promise<CheckResult> {
  switch (check.kind) {
    case 'database-state': {
      const state = (await rows(ctx, check.target, tsql.databaseState(check.database)))[0]?.['state_desc'];
      return state === check.expect ? pass(`${check.database} is ${state}`) : fail(`${check.database} is ${String(state ?? 'missing')}, expected ${check.expect}`);
    }
    case 'instance-reachable':
      return (await answers(ctx, check.target)) ? pass(`${check.target.instanceId} answers`) : fail(`${check.target.instanceId} does not answer`);
    case 'instance-unreachable': {
      if (!(await answers(ctx, check.target))) return pass(`${check.target.instanceId} does not answer`);
      const state = check.database ? (await rows(ctx, check.target, tsql.databaseState(check.database)))[0]?.['state_desc'] : undefined;
      if (check.database && state !== 'ONLINE') return pass(`${check.target.instanceId} answers, but ${check.database} is ${String(state ?? 'missing')}: nothing can use it`);
      return { ...fail(`${check.target.instanceId} answers${check.database ? ` with ${check.database} ONLINE` : ''}`), warning: check.warning };
    }
    case 'pool-paired': {
      const reply = await shellJson(ctx, ps.getPoolBackupRelationship(check.pool));
      if (replyNamesPartner(reply, check.partner)) return pass(`Get-CsPoolBackupRelationship -PoolFqdn ${check.pool} names ${check.partner}`);
      const seen = [...new Set(textValues(reply))].filter((v) => v.toLowerCase() !== check.pool.toLowerCase());
      return fail(`Get-CsPoolBackupRelationship -PoolFqdn ${check.pool} does not name ${check.partner} (it names ${seen.join(', ') || 'no other pool'}); the estate pairs them — check Associated Backup Pool in Topology Builder`);
    }
    case 'pool-unreachable': {
      // Read, never asked: a person must not confirm "it is down" while the pool answers. A pool
      // that answers fails the check with the evidence; only an explicit override goes on.
      const { answers, said } = await poolResponse(check.pool, () => shellJson(ctx, ps.getBackupModuleStatus(check.pool)));
      return answers ? { ...fail(said), warning: check.warning } : pass(said);
    }
    case 'pool-answers':
      return poolAnswers(check, () => shellJson(ctx, ps.getBackupModuleStatus(check.pool)));
    case 'pool-state': {
      const state = poolStateOf(await shellJson(ctx, ps.getPersistentChatState(check.identity)), check.pool);
      return state === check.expect ? pass(`PoolState ${state}`) : fail(`PoolState ${state ?? 'unknown'}, expected ${check.expect}`);
    }
    case 'cms-active': {
      const master = cmsMasterOf(await shellJson(ctx, ps.getCentralManagementStoreStatus()));
      if (master === undefined) return fail(`the Central Management Store has no active master (it is down): ${check.remedy}`);
      const where = [check.pool, ...(check.servers ?? [])].filter((f): f is NonNullable<typeof f> => f !== undefined).map((f) => f.toLowerCase());
      if (where.length === 0 || where.includes(master.toLowerCase())) return pass(`the Central Management Store answers: active master ${master}`);
      return fail(`the Central Management Store's active master is ${master}, not in ${check.pool}: ${check.remedy}`);
    }
    case 'cms-database-principal': {
      const reply = await shellJson(ctx, ps.getDatabaseMirrorState(check.pool, 'CentralMgmt'));
      return hasPrincipal(reply) ? pass(`the CMS database of ${check.pool} has a principal`) : fail(`no Back End of ${check.pool} is principal for the CMS database (${JSON.stringify(reply)})`);
    }
    case 'log-shipping-removed':
    case 'log-shipping-configured': {
      const count = Number((await rows(ctx, check.target, tsql.logShippingSecondaryCount(check.database)))[0]?.['secondary_rows'] ?? 0);
      const removed = count === 0;
      const ok = check.kind === 'log-shipping-removed' ? removed : !removed;
      return { ok, detail: removed ? `no log-shipping secondary row for ${check.database}` : `${count} log-shipping secondary row(s) for ${check.database}` };
    }
    case 'log-backups-copied':
      return logBackupsCopied(check, ctx);
    case 'log-shipping-primary': {
      const count = Number((await rows(ctx, check.target, tsql.logShippingPrimaryCount(check.database)))[0]?.['primary_rows'] ?? 0);
      return count > 0 ? pass(`${check.target.instanceId} is a log-shipping primary for ${check.database}`) : fail(`no log-shipping primary configuration for ${check.database} on ${check.target.instanceId}`);
    }
    case 'restore-files-fit':
      return restoreFilesFit(check, await rows(ctx, check.target, tsql.restoreFileListOnly(check.path)), await rows(ctx, check.target, tsql.databaseFiles(check.database)));
    case 'no-user-sessions': {
      const sessions = await rows(ctx, check.target, tsql.sessionsInDatabase(check.database));
      return sessions.length === 0 ? pass(`no user session in ${check.database}`) : fail(`${sessions.length} session(s) in ${check.database}`);
    }
    case 'mirroring-removed': {
      const row = (await rows(ctx, check.target, tsql.mirroringStatus(check.database)))[0];
      return row?.['mirroring_guid'] ? fail(`${check.database} is still mirrored (${String(row['mirroring_role_desc'])})`) : pass(`${check.database} is not mirrored`);
    }
    case 'mirroring-established': {
      const row = (await rows(ctx, check.target, tsql.mirroringStatus(check.database)))[0];
      const role = row?.['mirroring_role_desc'];
      const state = row?.['mirroring_state_desc'];
      return role === 'PRINCIPAL' && (state === 'SYNCHRONIZED' || state === 'SYNCHRONIZING')
        ? pass(`${check.database} is the principal, ${String(state)}`)
        : fail(`${check.database}: mirroring role ${String(role ?? 'none')}, state ${String(state ?? 'none')}`);
    }
    case 'backup-sync-state': {
      const state = moduleSyncState(await shellJson(ctx, ps.getBackupModuleStatus(check.pool)), check.module);
      return state?.synced ? pass(`export ${state.exportStatus}, import ${state.importStatus}`) : fail(state ? `export ${state.exportStatus}, import ${state.importStatus}` : `${check.module} not listed`);
    }
    case 'share-reachable':
      try {
        await ctx.ports.files.list(check.path, '*', ctx.signal ? { signal: ctx.signal } : {});
        return pass(`${check.path} answers`);
      } catch (e) {
        if (!(e instanceof PortError)) throw e;
        return { ...fail(e.message), ...(check.overridable ? { warning: check.warning } : {}) };
      }
    case 'backup-file-exists': {
      const cut = check.path.lastIndexOf('\\');
      const found = await ctx.ports.files.list(check.path.slice(0, cut), check.path.slice(cut + 1), ctx.signal ? { signal: ctx.signal } : {});
      return found.length > 0 ? pass(`${check.path} exists (${found[0]!.size} bytes)`) : fail(`${check.path} does not exist`);
    }
    case 'step-done':
      return ctx.stepDone(check.stepId) ? pass(`step ${check.stepId} is done`) : fail(`step ${check.stepId} has not run`);
    case 'operator-confirms':
      return (await ctx.checkpoint(check.text)) ? pass('confirmed') : fail('not confirmed');
  }
}

/**
 * R4: the share and the copy folder are pruned on their own retention periods
 * (`backup_retention_period`, `file_retention_period`), so they are not meant to be equal. What
 * must hold is that every log backup on the share the secondary still needs — records beyond its
 * redo LSN — is in the copy folder, same size. Files of the share not (or not alike) in the copy
 * folder are examined newest first, reading their header on the secondary: log-shipping names carry
 * the backup time and a database's log backups are taken in LSN order, so the first one that ends
 * at or before the redo LSN shows that all older ones are not needed either.
 */
async function logBackupsCopied(check: Extract<Check, { kind: 'log-backups-copied' }>, ctx: CheckContext): Promise<CheckResult> {
  const options = ctx.signal ? { signal: ctx.signal } : {};
  const [source, copies] = await Promise.all([ctx.ports.files.list(check.from, `${check.database}_*.trn`, options), ctx.ports.files.list(check.to, `${check.database}_*.trn`, options)]);
  const have = new Map(copies.map((f) => [f.name.toLowerCase(), f.size]));
  const absent = source.filter((f) => have.get(f.name.toLowerCase()) !== f.size).sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? 1 : -1));
  if (absent.length === 0) return pass(`all ${source.length} log backup(s) on the share are in ${check.to}`);
  const redo = (await rows(ctx, check.target, tsql.redoLsn(check.database)))[0]?.['redo_start_lsn'];
  if (typeof redo !== 'string' || !/^\d+$/.test(redo)) {
    return fail(`${check.database} on ${check.target.instanceId} has no redo LSN (not RESTORING), so which of the ${absent.length} file(s) of the share missing from ${check.to} are still needed cannot be told: ${absent.map((f) => f.name).join(', ')}`);
  }
  const version = await headerOnlyMajorVersion(ctx.ports, check.target.instanceId, ctx.signal);
  const needed: string[] = [];
  for (const file of absent) {
    let last: unknown;
    try {
      last = (await rows(ctx, check.target, tsql.restoreHeaderOnly(parseFilePath(file.path), version !== undefined ? { majorVersion: version } : {})))[0]?.['LastLSN'];
    } catch (e) {
      if (!(e instanceof SqlError)) throw e;
      needed.push(`${file.name} (header unreadable: Msg ${e.number})`);
      continue;
    }
    if (typeof last === 'string' && /^\d+$/.test(last) && BigInt(last) <= BigInt(redo)) break;
    needed.push(have.has(file.name.toLowerCase()) ? `${file.name} (size differs)` : file.name);
  }
  const skipped = absent.length - needed.length;
  return needed.length === 0
    ? pass(`every log backup on the share beyond redo LSN ${redo} is in ${check.to}; ${skipped} older file(s) of the share are not (retention), none needed`)
    : fail(`missing from ${check.to}, and needed beyond redo LSN ${redo} of ${check.database}: ${needed.join(', ')}`);
}

/**
 * Where RESTORE would put each file of the backup (its MOVE target, else the path the backup
 * records) against the files the database already has on that instance, data with data and log
 * with log, in order. When they differ the detail is the restore statement with the MOVE clauses
 * that put every file where the database keeps it.
 */
function restoreFilesFit(check: Extract<Check, { kind: 'restore-files-fit' }>, backupFiles: readonly SqlRow[], current: readonly SqlRow[]): CheckResult {
  const where = `${check.database} on ${check.target.instanceId}`;
  if (backupFiles.length === 0) return fail(`RESTORE FILELISTONLY lists no file in ${check.path}: it is not a full backup`);
  if (current.length === 0) return pass(`${where} does not exist: the files go where ${check.path} records them`);
  const ofType = (rowsOf: readonly SqlRow[], log: boolean, typeOf: (r: SqlRow) => boolean) => rowsOf.filter((r) => typeOf(r) === log);
  const moves: tsql.FileMove[] = [];
  const misplaced: string[] = [];
  for (const log of [false, true]) {
    const wanted = ofType(backupFiles, log, (r) => String(r['Type']).toUpperCase() === 'L');
    const have = ofType(current, log, (r) => r['type_desc'] === 'LOG');
    if (wanted.length !== have.length) {
      return fail(`${check.path} holds ${wanted.length} ${log ? 'log' : 'data'} file(s), ${where} has ${have.length}: restore it with MOVE clauses written by hand (RESTORE FILELISTONLY FROM DISK = N'${check.path}' lists them)`);
    }
    for (const [i, file] of wanted.entries()) {
      const logical = String(file['LogicalName']);
      const to = check.moves.find((m) => m.logical.toLowerCase() === logical.toLowerCase())?.to ?? String(file['PhysicalName']);
      const existing = String(have[i]!['physical_name']);
      let path: FilePath;
      try {
        path = parseFilePath(existing);
      } catch {
        return fail(`${where} keeps ${logical} at ${existing}, a path this tool cannot quote into a MOVE clause: write the restore by hand`);
      }
      moves.push({ logical, to: path });
      if (to.toLowerCase() !== existing.toLowerCase()) misplaced.push(`${logical} would go to ${to}, where ${where} keeps it at ${existing}`);
    }
  }
  if (misplaced.length === 0) return pass(`every file of ${check.path} lands on ${where}'s own`);
  const statement = tsql.restoreDatabaseReplace(check.database, check.path, moves).text;
  return fail(`the paths differ (${misplaced.join('; ')}): restore with MOVE instead — ${statement}`);
}

/**
 * Whether the check reads the system's state, and so can show that an interrupted action took
 * effect. An operator's confirmation cannot (`--yes` gives it unasked, and a person asked the
 * checkpoint's text is not told it decides whether a command is sent again), nor can whether
 * another step is done.
 */
export const readsState = (check: Check): boolean => check.kind !== 'operator-confirms' && check.kind !== 'step-done';

/** Evaluates a check; a port error while checking makes it fail with that error as the detail. */
export async function evaluateCheck(check: Check, ctx: CheckContext): Promise<CheckResult> {
  try {
    return await evaluate(check, ctx);
  } catch (e) {
    if (e instanceof PortError && e.name !== 'CancelledError') return { ...fail(`${describeCheck(check)}: could not be checked: ${e.message}`), error: e };
    throw e;
  }
}
