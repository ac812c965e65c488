/**
 * Rehearsal set-up, shared by `lync-runbook rehearse` and the extension's "Rehearse Runbook": the
 * lab scenario a runbook kind starts from, and what has to happen in the lab before (and during)
 * the rehearsal so that the runbook meets the state it expects:
 *
 * - Persistent Chat / pool failover: the scenario as it is (`pchat-dc-loss`, `pool-loss`).
 * - Failbacks: the built-in failover procedure runs first, through the caller's ports (the
 *   product's real drivers), journaled under `<runbook>#rehearsal-setup`; then the failed data
 *   center comes back rebuilt.
 * - Conference restore: the lost Front End pool is back (answers, its Backup Service too) with
 *   its conference content still missing.
 * - At the failback's checkpoints the lab does what the admin does by hand (re-establishing log
 *   shipping from the primary, then from its mirror) — `rehearsalCheckpoint`.
 *
 * One implementation: both front ends call these through `Lab` (docs/lab.md "Rehearsal set-up").
 */
import path from 'node:path';
import { FileJournalStore } from '../adapters/journal';
import { procedureFor, renderRunbook } from '../core/procedures';
import type { ProcedureKind } from '../core/procedures/types';
import { planProcedure, type RunPlan } from '../core/recovery/plan';
import { runRunbook } from '../core/recovery/engine';
import type { ConfirmRequest, EnginePorts, RunEvent, RunResult } from '../core/recovery/run-types';
import type { Runbook } from '../core/runbook/model';
import type { LyncState } from './lync/state';
import { baseScenario, DEFAULT_TIMING, LogShippingLink, type LabModel, type ScenarioName } from './model';

/** The lab scenario a runbook of this kind starts from. */
export function rehearsalScenario(kind: string | undefined): ScenarioName {
  if (kind === 'persistent-chat-failover' || kind === 'persistent-chat-failback') return 'pchat-dc-loss';
  if (kind === 'conference-restore' || kind === 'pool-failover' || kind === 'pool-failback') return 'pool-loss';
  return 'steady';
}

/** Failbacks start after the failover: the built-in failover procedure runs first, as set-up. */
export const REHEARSAL_SETUP: Readonly<Partial<Record<string, ProcedureKind>>> = {
  'persistent-chat-failback': 'persistent-chat-failover',
  'pool-failback': 'pool-failover',
};

/** Polling of the Backup Service during a rehearsal: the lab's syncs take seconds. */
export const REHEARSAL_POLL_MS = 250;

export interface PrepareRehearsalOptions {
  /** The engine's ports, connected to this lab (needed when a set-up procedure runs: failbacks). */
  readonly ports?: EnginePorts;
  /** Parses runbook text (the set-up procedure is rendered to a runbook and planned like any other). */
  readonly parse?: (text: string) => Runbook | Promise<Runbook>;
  /** The runbook's `pool:` (the pool the set-up procedure acts on). */
  readonly pool?: string;
  /** The rehearsed runbook's path: the set-up journals under `<path>#rehearsal-setup`. */
  readonly runbookPath: string;
  /** Where the set-up's journal goes; default `<lab root>/journals`. */
  readonly journalDirectory?: string;
  /** Who runs it, for the journal. */
  readonly user?: string;
  readonly signal?: AbortSignal;
  /** Events of the set-up run (to show it, labelled as set-up). */
  onEvent?(event: RunEvent): void;
  /** Every confirmation of the set-up run is automatic; this is told each one. */
  onConfirmed?(request: ConfirmRequest): void;
  /** What the lab did (one sentence each). */
  onNote?(note: string): void;
  readonly pollIntervalMs?: number;
  wait?(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface RehearsalPreparation {
  readonly ok: boolean;
  /** The set-up procedure that ran first, if any. */
  readonly setupKind?: ProcedureKind;
  /** Its result (when it did not complete, the rehearsal cannot go on). */
  readonly setup?: RunResult;
  /** What the lab did, in order. */
  readonly notes: readonly string[];
}

/** What the rehearsal module needs from a running lab. */
export interface RehearsalLab {
  readonly model: LabModel;
  readonly lync: LyncState;
  readonly root: string;
  readonly scenario: ScenarioName;
  readonly secrets: readonly string[];
}

/**
 * The failed data center comes back rebuilt, as a failback (or a conference restore) assumes: its
 * SQL instances answer again, with no user session left, their databases (reinstalled with
 * Topology Builder) no longer mirrored; a lost Front End pool answers again, its conference
 * content still lost. Returns what it did.
 */
export function rebuildFailedDatacenter(model: LabModel, lync: LyncState): string[] {
  const did: string[] = [];
  for (const pool of model.estate.pools) {
    if (pool.kind !== 'front-end') continue;
    const fe = lync.fePool(pool.fqdn);
    if (fe && !fe.reachable) {
      lync.bringBack(fe.fqdn);
      did.push(`Front End pool ${fe.fqdn} is back${fe.conferenceContentLost ? ', its conference content still missing' : ''}`);
    }
  }
  for (const inst of model.instances.values()) {
    if (inst.reachable) continue;
    model.setReachable(inst.id, true);
    for (const session of inst.sessions) if (!session.system) inst.closeSession(session.spid);
    for (const db of inst.databases) if (db.mirroring?.role === 'PRINCIPAL') model.setMirroring(inst.id, db.name, null);
    // A rebuilt server has a fresh msdb: its log-shipping primary configuration is gone until the failback re-creates it.
    inst.msdb.log_shipping_primary_databases.length = 0;
    did.push(`SQL instance ${inst.id} answers again (rebuilt: no user session, no mirroring, no log-shipping configuration)`);
  }
  return did;
}

/**
 * What the admin does by hand at a checkpoint, done in the lab so the rehearsal can go on:
 * re-establishing log shipping from the primary (the SSMS wizard of the failback's step 5)
 * initialises the backup database from the primary and recreates the jobs and msdb rows; log
 * shipping from the primary mirror (the documented set-up between two database failovers) makes
 * the mirror a log-shipping primary to the same share. Undefined: nothing to do here.
 */
export function rehearsalCheckpoint(model: LabModel, plan: RunPlan, stepId: string): string | undefined {
  const step = plan.steps.find((s) => s.id === stepId);
  const procedureStep = step?.checks.procedureStep;
  if (procedureStep !== 're-establish-log-shipping' && procedureStep !== 're-establish-mirror-log-shipping') return undefined;
  const pool = plan.pool;
  const primary = model.instance(pool?.stores?.mgc?.primary ?? '');
  const backup = model.instance(pool?.stores?.mgc?.backup ?? '');
  if (!pool?.logShipping || !primary || !backup) return undefined;
  if (procedureStep === 're-establish-mirror-log-shipping') {
    const mirror = model.instance(pool.stores?.mgc?.mirror ?? '');
    const link = model.logShipping.find((l) => l.database === 'mgc' && l.primary === primary && l.secondary === backup);
    if (!mirror || !link) return undefined;
    link.shipFromMirror(mirror);
    return `the lab set up log shipping for mgc from the primary mirror ${mirror.id} to ${backup.id}`;
  }
  const stale = model.logShipping.findIndex((l) => l.database === 'mgc' && l.secondary === backup);
  if (stale >= 0) model.logShipping.splice(stale, 1);
  const link = new LogShippingLink(model, primary, backup, 'mgc', pool.logShipping.share, pool.logShipping.copyFolder, DEFAULT_TIMING);
  link.setUp();
  model.logShipping.push(link);
  return `the lab set up log shipping for mgc from ${primary.id} to ${backup.id}`;
}

/** Brings the lab to where a runbook of `kind` starts (see the module comment). */
export async function prepareRehearsal(lab: RehearsalLab, kind: string | undefined, options: PrepareRehearsalOptions): Promise<RehearsalPreparation> {
  const expected = rehearsalScenario(kind);
  if (baseScenario(lab.scenario) !== expected) {
    throw new Error(`a ${kind ?? 'custom'} runbook is rehearsed in the ${expected} scenario, but this lab runs ${lab.scenario}; start the lab with scenario ${expected}.`);
  }
  const notes: string[] = [];
  const note = (n: string) => {
    notes.push(n);
    options.onNote?.(n);
  };
  const setupKind = kind ? REHEARSAL_SETUP[kind] : undefined;
  let setup: RunResult | undefined;
  if (setupKind) {
    if (!options.ports || !options.parse) throw new Error(`rehearsing a ${kind} runbook first runs the ${setupKind} procedure: pass the engine's ports and a runbook parser.`);
    note(`the built-in ${setupKind} procedure runs first, then the failed data center comes back`);
    // planProcedure renders and parses; the caller's parser may be asynchronous (the extension's),
    // so the rendered text is parsed first and handed back to planProcedure's synchronous `parse`.
    const runbook = await options.parse(renderRunbook(procedureFor(setupKind, lab.model.estate, options.pool ?? '')));
    const plan = planProcedure(setupKind, lab.model.estate, options.pool ?? '', { runbookPath: `${options.runbookPath}#rehearsal-setup`, parse: () => runbook });
    const journal = await new FileJournalStore({ directory: options.journalDirectory ?? path.join(lab.root, 'journals'), secrets: lab.secrets }).open(plan.runbookPath);
    try {
      setup = await runRunbook(plan, {
        ports: options.ports,
        journal,
        mode: 'rehearsal',
        pollIntervalMs: options.pollIntervalMs ?? REHEARSAL_POLL_MS,
        ...(options.wait ? { wait: options.wait } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.user ? { user: options.user } : {}),
        confirm: async (request) => {
          options.onConfirmed?.(request);
          return true;
        },
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      });
    } finally {
      await journal.close();
    }
    if (setup.outcome !== 'completed') return { ok: false, setupKind, setup, notes };
  }
  if (setupKind || kind === 'conference-restore') for (const n of rebuildFailedDatacenter(lab.model, lab.lync)) note(n);
  return { ok: true, ...(setupKind ? { setupKind } : {}), ...(setup ? { setup } : {}), notes };
}

/** The lab state, one line per instance and pool, read from the lab (never from an engine's report). */
export function describeLabState(model: LabModel, lync: LyncState): string[] {
  const lines: string[] = [];
  for (const inst of model.instances.values()) {
    const dbs = inst.databases.filter((d) => !d.system).map((d) => `${d.name} ${d.state}${d.mirroring ? ` (${d.mirroring.role.toLowerCase()})` : ''}`);
    lines.push(`SQL ${inst.id}${inst.reachable ? '' : ' (down)'}: ${dbs.join(', ') || 'no user database'}`);
  }
  for (const pc of lync.pcPools()) lines.push(`Persistent Chat ${pc.fqdn}: PoolState ${pc.poolState}; active ${pc.activeServers.join(', ') || 'none'}`);
  for (const pool of model.estate.pools.filter((p) => p.kind === 'front-end')) {
    const fe = lync.fePool(pool.fqdn);
    if (!fe) continue;
    let dataConf;
    try {
      dataConf = lync.backupStatus(fe.fqdn).find((m) => m.module === 'ConfServices.DataConf');
    } catch {
      // The pool's Backup Service does not answer (the pool is down): nothing to show.
    }
    lines.push(
      `Front End ${fe.fqdn}: ${fe.reachable ? 'up' : 'down'}${fe.failedOver ? `, users served by ${fe.backupPool}` : ''}${fe.conferenceContentLost ? ', conference content lost' : ''}` +
        (dataConf ? `; DataConf export ${dataConf.exportStatus}, import ${dataConf.importStatus}` : ''),
    );
  }
  return lines;
}
