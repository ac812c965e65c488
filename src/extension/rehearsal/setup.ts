/**
 * The extension's side of the rehearsal set-up, free of `vscode` so tests run it as the extension
 * does: the lab itself brings its state to where the runbook's kind starts (`Lab.prepareRehearsal`,
 * the same implementation `lync-runbook rehearse` uses); this only builds the engine's ports from
 * the target's clients and hands the run controller what it maps files and checkpoints through.
 */
import type { Estate } from '../../core/estate/model';
import type { Runbook } from '../../core/runbook/model';
import type { Lab, RehearsalPreparation } from '../../lab';
import type { TargetClients } from '../connections/clients';
import type { Logger } from '../log';
import { enginePorts, type LabFiles } from '../stepping/ports';

/** What the run controller maps rehearsal files through, and the lab's manual steps at checkpoints. */
export function labFilesOf(lab: Lab): LabFiles {
  return {
    root: lab.info.root,
    files: () => lab.files(),
    checkpoint: (plan, stepId) => lab.rehearsalCheckpoint(plan, stepId),
  };
}

export interface PrepareOptions {
  readonly kind: string | undefined;
  readonly estate: Estate;
  /** The runbook's `pool:`. */
  readonly pool: string | undefined;
  readonly runbookPath: string;
  /** The clients of the rehearsal target pointed at `lab`. */
  readonly clients: TargetClients;
  readonly parse: (text: string) => Promise<Runbook>;
  readonly log: Logger;
  readonly user?: string;
  readonly signal?: AbortSignal;
}

/** Brings `lab` to where a runbook of `options.kind` starts, through the target's own clients. */
export async function prepareLab(lab: Lab, options: PrepareOptions): Promise<RehearsalPreparation> {
  const ports = await enginePorts(options.clients, options.estate, labFilesOf(lab), options.log);
  return lab.prepareRehearsal(options.kind, {
    ports,
    parse: options.parse,
    pool: options.pool ?? '',
    runbookPath: options.runbookPath,
    ...(options.user ? { user: options.user } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onConfirmed: (request) => options.log.info(`[REHEARSAL] set-up #${request.stepId} confirmed automatically: ${request.text.split('\n')[0]}`),
    onEvent: (event) => {
      if (event.type === 'action-finished' && !event.ok) options.log.warn(`[REHEARSAL] set-up #${event.stepId} line ${event.line}: ${event.error ?? 'failed'}`);
    },
    onNote: (note) => options.log.info(`[REHEARSAL] lab: ${note}`),
  });
}
