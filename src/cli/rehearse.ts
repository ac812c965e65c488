/**
 * `lync-runbook rehearse [--keep-lab] [--fault NAME]... FILE`: a fresh rehearsal lab built from
 * the runbook's estate, in the state the runbook's kind starts from, and every step of the runbook
 * run against it with the real adapters. Destructive actions and checkpoints are confirmed
 * automatically (and say so); overridable preconditions are never overridden. Prints a step
 * table and the final state read from the lab itself.
 *
 * Exit codes: 0 the rehearsal completed, 1 it failed (or the runbook cannot be planned),
 * 2 bad usage or unreadable input.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FileJournalStore } from '../adapters/journal';
import { importModule } from '../adapters/shell';
import type { Estate } from '../core/estate/model';
import type { ProcedureKind } from '../core/procedures';
import { planProcedure, runRunbook, type RunPlan, type RunResult } from '../core/recovery';
import { loadPowerShellParser, parseRunbook, type RunbookKind } from '../core/runbook';
import { FAULTS, isFaultName } from '../lab/faults';
import { startLab, type Lab } from '../lab/lab';
import type { LyncState } from '../lab/lync/state';
import { DEFAULT_TIMING, LogShippingLink, type ScenarioName } from '../lab/model';
import { startShellServer, type ShellServer } from '../lab/shell/server';
import { grammarFiles } from '../server/grammar';
import { consoleIo, loadRunbook, planOrReport, printResult, renderEvent, type Io, type LoadedRunbook } from './run';
import { wirePorts, type Wiring } from './wiring';

export const REHEARSE_USAGE = 'Usage: lync-runbook rehearse [--keep-lab] [--fault NAME]... FILE';

/** The lab state a runbook of this kind starts from. */
export function scenarioFor(kind: RunbookKind | undefined): ScenarioName {
  if (kind === 'persistent-chat-failover' || kind === 'persistent-chat-failback') return 'pchat-dc-loss';
  if (kind === 'conference-restore' || kind === 'pool-failover' || kind === 'pool-failback') return 'pool-loss';
  return 'steady';
}

/** Failbacks start after the failover: the built-in failover procedure runs first, as set-up. */
const SETUP: Partial<Record<RunbookKind, ProcedureKind>> = {
  'persistent-chat-failback': 'persistent-chat-failover',
  'pool-failback': 'pool-failover',
};

export interface Rehearsal {
  readonly lab: Lab;
  /** The Lync side of the lab (pool states, active servers, Backup Service). */
  readonly lync: LyncState;
  readonly wiring: Wiring;
  stop(): Promise<void>;
}

export interface RehearsalOptions {
  readonly scenario: ScenarioName;
  readonly faults?: readonly string[];
  readonly root?: string;
  readonly timing?: Parameters<typeof startLab>[0]['timing'];
  readonly progressDelayMs?: number;
}

/**
 * Starts the lab with its PowerShell stand-in server and wires the real adapters to it. The shell
 * server is started here rather than by startLab so that the Lync-side state can be read back.
 */
export async function startRehearsal(estate: Estate, options: RehearsalOptions): Promise<Rehearsal> {
  const lab = await startLab({
    estate,
    scenario: options.scenario,
    shell: false,
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.root ? { root: options.root } : {}),
    ...(options.timing ? { timing: options.timing } : {}),
    ...(options.progressDelayMs !== undefined ? { progressDelayMs: options.progressDelayMs } : {}),
  });
  let shell: ShellServer;
  try {
    shell = await startShellServer({ estate, sql: lab.model, scenario: lab.info.scenario, faults: lab.faults });
  } catch (e) {
    await lab.stop();
    throw e;
  }
  // Drive-letter paths live on a server; the only ones the procedures use are the copy folder on
  // the Persistent Chat backup store.
  const pc = estate.pools.find((p) => p.kind === 'persistent-chat' && p.stores?.mgc?.backup);
  const backupServer = estate.sqlInstances.find((i) => i.id === pc?.stores?.mgc?.backup)?.server;
  const password = Object.values(lab.info.instances)[0]?.password;
  const wiring = wirePorts({
    sql: (id) => {
      const i = lab.info.instances[id];
      if (!i) throw new Error(`SQL instance ${id} is not in the rehearsal lab.`);
      return { host: i.host, port: i.port, auth: { kind: 'sql', user: i.user, password: i.password }, caPem: fs.readFileSync(i.caFile, 'utf8'), tlsServerName: 'localhost', connectTimeoutMs: 5000 };
    },
    shell: { executable: shell.launch.executable, args: shell.launch.args, env: shell.launch.env, prelude: [importModule('Lync')] },
    files: {
      mapPath: (p) => (p.startsWith('\\\\') ? lab.pathFor(p) : lab.pathFor(p, backupServer)),
      fault: (p, op) => lab.fileFault(p, op),
    },
    secrets: password ? [password] : [],
  });
  return {
    lab,
    lync: shell.lync,
    wiring,
    stop: async () => {
      await wiring.close();
      await shell.stop();
      await lab.stop();
    },
  };
}

/**
 * The failed data center comes back rebuilt, as a failback (or a conference restore) assumes: its
 * SQL instances answer again, with no user session left, their databases (reinstalled with
 * Topology Builder) no longer mirrored; a lost Front End pool answers again, its conference
 * content still lost.
 */
export function rebuildFailedDatacenter(rehearsal: Rehearsal): void {
  for (const pool of rehearsal.lab.model.estate.pools) {
    const fe = pool.kind === 'front-end' ? rehearsal.lync.fePool(pool.fqdn) : undefined;
    if (fe) fe.reachable = true;
  }
  const model = rehearsal.lab.model;
  for (const inst of model.instances.values()) {
    if (inst.reachable) continue;
    model.setReachable(inst.id, true);
    for (const session of inst.sessions) if (!session.system) inst.closeSession(session.spid);
    for (const db of inst.databases) if (db.mirroring?.role === 'PRINCIPAL') model.setMirroring(inst.id, db.name, null);
  }
}

/**
 * What the admin does by hand at a checkpoint, done in the lab so the rehearsal can go on:
 * re-establishing log shipping (the SSMS wizard of the failback's step 5) initialises the backup
 * database from the primary and recreates the jobs and msdb rows.
 */
export function performManualStep(rehearsal: Rehearsal, plan: RunPlan, stepId: string): string | undefined {
  const step = plan.steps.find((s) => s.id === stepId);
  if (step?.checks.procedureStep !== 're-establish-log-shipping') return undefined;
  const pool = plan.pool;
  const model = rehearsal.lab.model;
  const primary = model.instance(pool?.stores?.mgc?.primary ?? '');
  const backup = model.instance(pool?.stores?.mgc?.backup ?? '');
  if (!pool?.logShipping || !primary || !backup) return undefined;
  const stale = model.logShipping.findIndex((l) => l.database === 'mgc' && l.secondary === backup);
  if (stale >= 0) model.logShipping.splice(stale, 1);
  const link = new LogShippingLink(model, primary, backup, 'mgc', pool.logShipping.share, pool.logShipping.copyFolder, DEFAULT_TIMING);
  link.setUp();
  model.logShipping.push(link);
  return `the lab set up log shipping for mgc from ${primary.id} to ${backup.id}`;
}

/** The lab state after a run, read from the lab (never from the engine's own report). */
export function labState(rehearsal: Rehearsal): string[] {
  const lines: string[] = [];
  for (const inst of rehearsal.lab.model.instances.values()) {
    const dbs = inst.databases.filter((d) => !d.system).map((d) => `${d.name} ${d.state}${d.mirroring ? ` (${d.mirroring.role.toLowerCase()})` : ''}`);
    lines.push(`SQL ${inst.id}${inst.reachable ? '' : ' (down)'}: ${dbs.join(', ') || 'no user database'}`);
  }
  for (const pc of rehearsal.lync.pcPools()) lines.push(`Persistent Chat ${pc.fqdn}: PoolState ${pc.poolState}; active ${pc.activeServers.join(', ') || 'none'}`);
  for (const pool of rehearsal.lab.model.estate.pools.filter((p) => p.kind === 'front-end')) {
    const fe = rehearsal.lync.fePool(pool.fqdn);
    if (!fe) continue;
    let dataConf;
    try {
      dataConf = rehearsal.lync.backupStatus(fe.fqdn).find((m) => m.module === 'ConfServices.DataConf');
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

function parseArgs(argv: readonly string[]): { keepLab: boolean; faults: string[]; file: string } | string {
  let keepLab = false;
  const faults: string[] = [];
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--keep-lab') keepLab = true;
    else if (a === '--fault') {
      const name = argv[++i];
      if (name === undefined) return '--fault needs a fault name';
      faults.push(name);
    } else if (a.startsWith('--')) return `unknown option '${a}'`;
    else files.push(a);
  }
  if (files.length !== 1) return files.length === 0 ? 'no runbook file given' : 'give one runbook file';
  return { keepLab, faults, file: files[0]! };
}

/** Rehearsal polls the lab's Backup Service often: its syncs take seconds, not minutes. */
const REHEARSAL_POLL_MS = 250;

async function runInLab(rehearsal: Rehearsal, plan: RunPlan, journalDir: string, io: Io, label: string): Promise<RunResult> {
  const journal = await new FileJournalStore({ directory: journalDir, secrets: rehearsal.wiring.secrets }).open(plan.runbookPath);
  try {
    return await runRunbook(plan, {
      ports: rehearsal.wiring.ports,
      journal,
      mode: 'rehearsal',
      pollIntervalMs: REHEARSAL_POLL_MS,
      confirm: async (request) => {
        io.out(`   ${label}: confirmed automatically — ${request.kind === 'destructive' ? `${request.text.split('\n')[0]} on ${request.target}` : request.text}`);
        const done = request.kind === 'checkpoint' ? performManualStep(rehearsal, plan, request.stepId) : undefined;
        if (done) io.out(`   ${label}: ${done}`);
        return true;
      },
      onEvent: (event) => {
        const line = renderEvent(event);
        if (line !== undefined) io.out(line);
      },
    });
  } finally {
    await journal.close();
  }
}

/** Brings the lab to where a failback starts: the failover done, the failed data center back. */
async function setUp(rehearsal: Rehearsal, loaded: LoadedRunbook, kind: ProcedureKind, journalDir: string, io: Io): Promise<boolean> {
  const pool = loaded.runbook.frontMatter?.entries.find((e) => e.key === 'pool')?.value ?? '';
  const powershell = await loadPowerShellParser(grammarFiles);
  const plan = planProcedure(kind, loaded.estate, pool, { runbookPath: `${loaded.file}#rehearsal-setup`, parse: (text) => parseRunbook(text, { powershell }) });
  io.out(`Setting up: the built-in ${kind} procedure runs first, then the failed data center comes back.`);
  const result = await runInLab(rehearsal, plan, journalDir, io, 'set-up');
  if (result.outcome !== 'completed') {
    printResult(io, result);
    return false;
  }
  rebuildFailedDatacenter(rehearsal);
  io.out('Set-up done.\n');
  return true;
}

export async function rehearse(argv: readonly string[], io: Io = consoleIo): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.err(`lync-runbook rehearse: ${args}\n${REHEARSE_USAGE}`);
    return 2;
  }
  const unknown = args.faults.filter((f) => !isFaultName(f));
  if (unknown.length > 0) {
    io.err(`lync-runbook rehearse: unknown fault ${unknown.join(', ')} (known: ${FAULTS.map((f) => f.name).join(', ')})`);
    return 2;
  }
  const loaded = await loadRunbook(args.file);
  if (typeof loaded === 'string') {
    io.err(`lync-runbook rehearse: ${loaded}`);
    return 2;
  }
  const plan = planOrReport(loaded, io, 'rehearse');
  if (!plan) return 1;
  const scenario = scenarioFor(plan.kind);
  const rehearsal = await startRehearsal(loaded.estate, { scenario, faults: args.faults });
  const journalDir = path.join(rehearsal.lab.info.root, 'journals');
  io.out(`REHEARSAL of ${plan.title} — lab scenario ${scenario}${args.faults.length ? `, faults ${args.faults.join(', ')}` : ''}. Nothing here touches the live estate; destructive actions and checkpoints are confirmed automatically, overridable preconditions are never overridden.`);
  let result: RunResult | undefined;
  try {
    const setup = plan.kind ? SETUP[plan.kind] : undefined;
    // A conference restore runs once the lost pool is back, its content still missing.
    if (plan.kind === 'conference-restore') rebuildFailedDatacenter(rehearsal);
    if (!setup || (await setUp(rehearsal, loaded, setup, journalDir, io))) {
      result = await runInLab(rehearsal, plan, journalDir, io, 'rehearsal');
      printResult(io, result);
    }
    io.out('\nFinal state (read from the lab):');
    for (const line of labState(rehearsal)) io.out(`  ${line}`);
    if (args.keepLab) await keepLabRunning(rehearsal, io);
  } finally {
    await rehearsal.stop();
  }
  return result?.outcome === 'completed' ? 0 : 1;
}

async function keepLabRunning(rehearsal: Rehearsal, io: Io): Promise<void> {
  io.out('\nThe lab keeps running (Ctrl+C stops it):');
  for (const i of Object.values(rehearsal.lab.info.instances)) io.out(`  SQL ${i.id}: 127.0.0.1:${i.port}${i.reachable ? '' : ' (down)'}, user ${i.user}, CA ${i.caFile}`);
  io.out(`  folders: ${rehearsal.lab.info.root}`);
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
}
