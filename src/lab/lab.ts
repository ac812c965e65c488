/**
 * `startLab`: the whole rehearsal lab in this process — the SQL-side model of the estate, one TDS
 * listener per SQL instance on 127.0.0.1 (instances a scenario takes down do not listen, so
 * connecting is refused), the lab CA for TLS, and the server of the lab's PowerShell (LyncLab module). `Lab.info` is
 * everything a client needs, JSON-serialisable (docs/lab.md).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Estate } from '../core/estate/model';
import type { RunPlan } from '../core/recovery/plan';
import { FaultSet } from './faults';
import { createLyncState, type LyncState } from './lync/state';
import { applyScenario, baseScenario, isScenarioName, LabModel, type LogShippingTiming, SCENARIOS, type ScenarioName, WARM_UP_MINUTES, wireFaultEffects } from './model';
import { labFileFault, labFileMapping, labPathFor } from './model/paths';
import { describeLabState, prepareRehearsal, rebuildFailedDatacenter, rehearsalCheckpoint, type PrepareRehearsalOptions, type RehearsalPreparation } from './rehearsal';
import { type ShellLaunch, startShellServer } from './shell/server';
import { SqlEngine } from './sql/engine';
import { createLabCertificate } from './tds/certificate';
import { TdsServer } from './tds/server';

export interface StartLabOptions {
  readonly estate: Estate;
  readonly scenario?: string;
  /** Faults armed from the start (names from faults.ts). */
  readonly faults?: readonly string[];
  /** Lab root directory (shares, drives, CA file); default: a new temporary directory, removed by stop(). */
  readonly root?: string;
  readonly clock?: {
    /** Simulated time at which the scenario's failure happens (default: now). */
    readonly start?: Date;
  };
  readonly timing?: Partial<LogShippingTiming>;
  /** Real delay between RESTORE progress messages (default 20 ms; 0 for benches). */
  readonly progressDelayMs?: number;
  /** The lab's SQL login (default user `lab`, a random password). */
  readonly credentials?: { readonly user: string; readonly password: string };
  /** Start the shell server that real PowerShell's LyncLab module talks to (default true). */
  readonly shell?: boolean;
  /** Protocol log lines (logins, batches, RPCs), for `npm run lab` on stderr. */
  readonly log?: (line: string) => void;
}

export interface LabInstanceInfo {
  readonly id: string;
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Estate FQDN of the SQL Server host. */
  readonly server: string;
  readonly instance: string | null;
  /** @@SERVERNAME. */
  readonly serverName: string;
  readonly user: string;
  readonly password: string;
  /** PEM file of the lab CA: pass its content as `cryptoCredentialsDetails.ca`, server name `localhost`. */
  readonly caFile: string;
  /** False when the scenario took the instance down (connections are refused). */
  readonly reachable: boolean;
}

export interface LabInfo {
  readonly root: string;
  readonly scenario: ScenarioName;
  readonly faults: readonly string[];
  readonly caFile: string;
  readonly instances: Readonly<Record<string, LabInstanceInfo>>;
  /** How to start the lab's PowerShell (node-powershell `executable`, arguments, environment, prelude). */
  readonly shell: ShellLaunch | null;
}

export interface Lab {
  readonly info: LabInfo;
  readonly model: LabModel;
  readonly faults: FaultSet;
  /** The Lync side (pool states, active servers, Front End pools, Backup Service), served to the lab's PowerShell. */
  readonly lync: LyncState;
  /**
   * The next call of `cmdlet` reaches the lab and is never answered (its PowerShell waits until it
   * is killed), so a test can interrupt a command in flight: resolves when the call arrives.
   */
  holdNextCall(cmdlet: string): Promise<void>;
  /** Moves the simulated clock (log shipping jobs run). */
  advance(minutes: number): void;
  /** Local path standing for a Windows path of the estate (`server`: host a drive path is on). */
  pathFor(windowsPath: string, server?: string): string;
  /** The error a file operation on `windowsPath` meets under the armed faults, if any (for the rehearsal file adapter). */
  fileFault(windowsPath: string, op: 'read' | 'write'): NodeJS.ErrnoException | undefined;
  /** `mapPath` and `fault` for the product's log-backup file adapter (drive paths on the copy folder's server). */
  files(): ReturnType<typeof labFileMapping>;
  /**
   * Brings the lab to where a runbook of `kind` starts (failbacks: the failover runs first through
   * `options.ports`; conference restore: the lost pool is back) — src/lab/rehearsal.ts.
   */
  prepareRehearsal(kind: string | undefined, options: PrepareRehearsalOptions): Promise<RehearsalPreparation>;
  /** At a rehearsal checkpoint, does in the lab what the admin does by hand; says what, or undefined. */
  rehearsalCheckpoint(plan: RunPlan, stepId: string): string | undefined;
  /** The failed data center comes back rebuilt; returns what came back. */
  rebuildFailedDatacenter(): string[];
  /** The lab state, one line per SQL instance and pool (read from the lab). */
  describeState(): string[];
  /** Closes listeners, connections and the shell server; removes a temporary root. Idempotent. */
  stop(): Promise<void>;
}

/** A free port on 127.0.0.1 for an instance that must refuse connections for now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function startLab(opts: StartLabOptions): Promise<Lab> {
  const scenario = opts.scenario ?? 'steady';
  if (!isScenarioName(scenario)) throw new Error(`unknown scenario '${scenario}' (known: ${SCENARIOS.join(', ')})`);
  const ownRoot = !opts.root;
  const root = opts.root ? path.resolve(opts.root) : fs.mkdtempSync(path.join(os.tmpdir(), 'lync-lab-'));
  fs.mkdirSync(root, { recursive: true });
  // Key generation runs on the thread pool while the model is built.
  const certificatePromise = createLabCertificate(opts.estate.sqlInstances.map((i) => i.server));
  const faults = new FaultSet(opts.faults ?? []);
  const failureAt = opts.clock?.start ?? new Date();
  const model = new LabModel({ estate: opts.estate, root, faults, start: new Date(failureAt.getTime() - WARM_UP_MINUTES * 60_000), ...(opts.timing ? { timing: opts.timing } : {}) });
  applyScenario(model, scenario);
  // The Lync side knows cms-pool-loss; the SQL-history variants are their base there.
  const lync = createLyncState(opts.estate, scenario === 'cms-pool-loss' ? scenario : baseScenario(scenario));
  const unwireFaults = wireFaultEffects(model);

  const certificate = await certificatePromise;
  const caFile = path.join(root, 'lab-ca.pem');
  fs.writeFileSync(caFile, certificate.caPem);
  const credentials = opts.credentials ?? { user: 'lab', password: `Lab-${randomBytes(9).toString('base64url')}` };
  const engine = new SqlEngine({ progressDelayMs: opts.progressDelayMs ?? 20 });

  const servers = new Map<string, TdsServer>();
  const instances: Record<string, LabInstanceInfo> = {};
  const stopped: { done?: Promise<void> } = {};
  let shell: Awaited<ReturnType<typeof startShellServer>> | undefined;
  const stop = () =>
    (stopped.done ??= (async () => {
      model.off('reachability', onReachability);
      unwireFaults();
      await Promise.all([...servers.values()].map((s) => s.close()));
      await shell?.stop();
      if (ownRoot) fs.rmSync(root, { recursive: true, force: true });
    })());
  // A scenario or a test can take an instance down (or bring it back) while the lab runs.
  const onReachability = (id: string, reachable: boolean) => {
    const server = servers.get(id);
    if (!server || stopped.done) return;
    if (reachable) void server.listen().catch((e: unknown) => opts.log?.(`[${id}] cannot listen again: ${String(e)}`));
    else void server.close();
  };
  model.on('reachability', onReachability);

  try {
    for (const inst of model.instances.values()) {
      // An instance that is down keeps a reserved port number, so it is reachable at the same address when it comes back.
      const tdsOptions = { instance: inst, model, engine, credentials, tls: { key: certificate.keyPem, cert: certificate.certPem }, faults, ...(opts.log ? { log: opts.log } : {}) };
      const server = new TdsServer(tdsOptions, inst.reachable ? 0 : await freePort());
      servers.set(inst.id, server);
      const port = inst.reachable ? await server.listen() : server.port;
      instances[inst.id] = {
        id: inst.id, host: '127.0.0.1', port, server: inst.server, instance: inst.instanceName ?? null, serverName: inst.serverName,
        user: credentials.user, password: credentials.password, caFile, reachable: inst.reachable,
      };
    }
    if (opts.shell !== false) {
      shell = await startShellServer({ estate: opts.estate, sql: model, scenario: baseScenario(scenario), faults, lync });
    }
  } catch (e) {
    await stop();
    throw e;
  }

  return {
    info: { root, scenario, faults: faults.armed, caFile, instances, shell: shell?.launch ?? null },
    model,
    faults,
    lync,
    prepareRehearsal: (kind, options) => prepareRehearsal({ model, lync, root, scenario, secrets: [credentials.password] }, kind, options),
    rehearsalCheckpoint: (plan, stepId) => rehearsalCheckpoint(model, plan, stepId),
    rebuildFailedDatacenter: () => rebuildFailedDatacenter(model, lync),
    describeState: () => describeLabState(model, lync),
    holdNextCall: (cmdlet) => (shell ? shell.holdNextCall(cmdlet) : Promise.reject(new Error('this lab has no shell'))),
    advance: (minutes) => model.advance(minutes),
    pathFor: (windowsPath, server) => labPathFor(windowsPath, server ? { root, server } : { root }),
    fileFault: (windowsPath, op) => labFileFault(windowsPath, op, faults),
    files: () => labFileMapping(root, opts.estate, faults),
    stop,
  };
}
