/**
 * `lync-runbook rehearse [--keep-lab] [--fault NAME]... [--override CHECK --reason TEXT]... FILE`:
 * lints first like `run` (and refuses the same way), then a fresh rehearsal lab built from
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
import type { Estate } from '../core/estate/model';
import { lockTargets, runRunbook, type CheckOverride, type RunPlan, type RunResult } from '../core/recovery';
import { loadPowerShellParser, parseRunbook } from '../core/runbook';
import { FAULTS, isFaultName } from '../lab/faults';
import { startLab, type Lab } from '../lab/lab';
import type { LyncState } from '../lab/lync/state';
import type { ScenarioName } from '../lab/model';
import { REHEARSAL_POLL_MS, REHEARSAL_SETUP, rehearsalScenario } from '../lab/rehearsal';
import { grammarFiles } from '../adapters/grammar';
import { consoleIo, describeAutoConfirm, loadRunbook, planOrReport, printResult, redactedIo, renderEvent, stillWaiting, visibleIo, type Io, type LoadedRunbook } from './run';
import { wirePorts, type Wiring } from './wiring';
import { overridesAndRunbook, parseCommandLine } from './options';

export const REHEARSE_USAGE = 'Usage: lync-runbook rehearse [--keep-lab] [--fault NAME]... [--override CHECK --reason TEXT]... FILE';

/** The lab state a runbook of this kind starts from (the lab's own rule, shared with the extension). */

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
  /** Told every 15 s while the shell has not answered a command (a hung shell is otherwise silent). */
  readonly onShellWaiting?: (waitedMs: number) => void;
}

/** Starts the lab (with its PowerShell side) and wires the real adapters to it. */
export async function startRehearsal(estate: Estate, options: RehearsalOptions): Promise<Rehearsal> {
  const lab = await startLab({
    estate,
    scenario: options.scenario,
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.root ? { root: options.root } : {}),
    ...(options.timing ? { timing: options.timing } : {}),
    ...(options.progressDelayMs !== undefined ? { progressDelayMs: options.progressDelayMs } : {}),
  });
  const shell = lab.info.shell;
  if (!shell) {
    await lab.stop();
    throw new Error('the rehearsal lab started without its PowerShell side');
  }
  const password = Object.values(lab.info.instances)[0]?.password;
  const wiring = wirePorts({
    sql: (id) => {
      const i = lab.info.instances[id];
      if (!i) throw new Error(`SQL instance ${id} is not in the rehearsal lab.`);
      return { host: i.host, port: i.port, auth: { kind: 'sql', user: i.user, password: i.password }, caPem: fs.readFileSync(i.caFile, 'utf8'), tlsServerName: 'localhost', connectTimeoutMs: 5000 };
    },
    shell: { executable: shell.executable, args: shell.args, env: shell.env, prelude: shell.prelude, ...(options.onShellWaiting ? { onWaiting: options.onShellWaiting } : {}) },
    files: lab.files(),
    secrets: password ? [password] : [],
  });
  return {
    lab,
    lync: lab.lync,
    wiring,
    stop: async () => {
      await wiring.close();
      await lab.stop();
    },
  };
}

/** The failed data center comes back rebuilt (src/lab/rehearsal.ts). */
export function rebuildFailedDatacenter(rehearsal: Rehearsal): void {
  rehearsal.lab.rebuildFailedDatacenter();
}

/** What the admin does by hand at a checkpoint, done in the lab (src/lab/rehearsal.ts). */
export function performManualStep(rehearsal: Rehearsal, plan: RunPlan, stepId: string): string | undefined {
  return rehearsal.lab.rehearsalCheckpoint(plan, stepId);
}

function parseArgs(argv: readonly string[]): { keepLab: boolean; faults: string[]; overrides: CheckOverride[]; file: string } | string {
  const parsed = parseCommandLine(argv, {
    'keep-lab': { type: 'boolean', default: false },
    fault: { type: 'string', multiple: true, default: [] },
    override: { type: 'string', multiple: true },
    reason: { type: 'string', multiple: true },
  });
  if (typeof parsed === 'string') return parsed;
  const common = overridesAndRunbook(parsed);
  if (typeof common === 'string') return common;
  const { overrides, file } = common;
  return { keepLab: parsed.values['keep-lab'], faults: parsed.values.fault, overrides, file };
}

async function runInLab(rehearsal: Rehearsal, plan: RunPlan, journalDir: string, io: Io, label: string): Promise<RunResult> {
  const journal = await new FileJournalStore({ directory: journalDir, secrets: rehearsal.wiring.secrets }).open(plan.runbookPath, { targets: lockTargets(plan) });
  try {
    return await runRunbook(plan, {
      ports: rehearsal.wiring.ports,
      journal,
      mode: 'rehearsal',
      pollIntervalMs: REHEARSAL_POLL_MS,
      confirm: async (request) => {
        io.out(`   ${label}: ${describeAutoConfirm(request)}`);
        const done = request.kind === 'checkpoint' ? rehearsal.lab.rehearsalCheckpoint(plan, request.stepId) : undefined;
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

/**
 * Brings the lab to where the runbook starts, through the lab's own set-up (shared with the
 * extension): failbacks run the built-in failover first (labelled "set-up"), then the failed
 * data center comes back; a conference restore starts with the lost pool back.
 */
async function prepare(rehearsal: Rehearsal, loaded: LoadedRunbook, plan: RunPlan, journalDir: string, io: Io): Promise<boolean> {
  const powershell = await loadPowerShellParser(grammarFiles);
  const setupKind = plan.kind ? REHEARSAL_SETUP[plan.kind] : undefined;
  if (setupKind) io.out(`Setting up: the built-in ${setupKind} procedure runs first, then the failed data center comes back.`);
  const prepared = await rehearsal.lab.prepareRehearsal(plan.kind, {
    ports: rehearsal.wiring.ports,
    parse: (text) => parseRunbook(text, { powershell }),
    pool: loaded.runbook.frontMatter?.entries.find((e) => e.key === 'pool')?.value ?? '',
    runbookPath: loaded.file,
    journalDirectory: journalDir,
    onConfirmed: (request) => io.out(`   set-up: ${describeAutoConfirm(request)}`),
    onEvent: (event) => {
      const line = renderEvent(event);
      if (line !== undefined) io.out(line);
    },
    onNote: (note) => io.out(`   lab: ${note}`),
  });
  if (!prepared.ok) {
    if (prepared.setup) printResult(io, prepared.setup);
    return false;
  }
  if (setupKind) io.out('Set-up done.\n');
  return true;
}

export async function rehearse(argv: readonly string[], terminal: Io = consoleIo): Promise<number> {
  let io = visibleIo(terminal);
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
  const plan = planOrReport(loaded, io, 'rehearse', args.overrides);
  if (!plan) return 1;
  const scenario = rehearsalScenario(plan.kind);
  const rehearsal = await startRehearsal(loaded.estate, { scenario, faults: args.faults, onShellWaiting: (ms) => io.err(stillWaiting(ms)) });
  io = redactedIo(visibleIo(terminal), rehearsal.wiring.secrets);
  const journalDir = path.join(rehearsal.lab.info.root, 'journals');
  io.out(`REHEARSAL of ${plan.title} — lab scenario ${scenario}${args.faults.length ? `, faults ${args.faults.join(', ')}` : ''}. Nothing here touches the live estate; destructive actions and checkpoints are confirmed automatically, overridable preconditions are never overridden.`);
  let result: RunResult | undefined;
  try {
    if (await prepare(rehearsal, loaded, plan, journalDir, io)) {
      result = await runInLab(rehearsal, plan, journalDir, io, 'rehearsal');
      printResult(io, result);
    }
    io.out('\nFinal state (read from the lab):');
    for (const line of rehearsal.lab.describeState()) io.out(`  ${line}`);
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
