/**
 * Which commands need a trusted workspace, as one table (no `vscode`: unit-tested against
 * package.json). Restricted Mode: checking, viewing, dry runs and the report work everywhere;
 * whatever connects to a server, starts a shell or a lab, or runs a step refuses with an
 * explanation. `registerCommand` (./register.ts) enforces it for every command it registers, so a
 * command cannot be added without a decision here: an unclassified id throws at registration.
 */
import { STEP_COMMAND_PREFIX } from '../guided/model';

/**
 * Why a command needs trust — each reason has its own sentence ("Trust the workspace to …").
 * `undefined`: the command works in Restricted Mode.
 */
export type TrustReason = 'read-live-status' | 'test-connections' | 'run-steps' | 'rehearse';

export interface CommandPolicy {
  /** Set when the command connects or executes: it refuses in an untrusted workspace. */
  readonly trust?: TrustReason;
}

const NONE: CommandPolicy = {};

/** Every command id the extension contributes, except the per-step commands (see `commandPolicy`). */
export const COMMAND_POLICIES: Readonly<Record<string, CommandPolicy>> = {
  // Estate and view: files only.
  'lyncRecovery.restartLanguageServer': NONE,
  'lyncRecovery.importTopology': NONE,
  'lyncRecovery.openEstate': NONE,
  'lyncRecovery.refreshEstate': NONE,
  'lyncRecovery.openSampleEstate': NONE,
  'lyncRecovery.openEstateFormat': NONE,
  'lyncRecovery.revealInEstate': NONE,
  'lyncRecovery.copyFqdn': NONE,
  // Live status and connections: connect to SQL Server and start the shell.
  'lyncRecovery.refreshStatus': { trust: 'read-live-status' },
  'lyncRecovery.refreshAllStatus': { trust: 'read-live-status' },
  'lyncRecovery.testConnections': { trust: 'test-connections' },
  // Choosing the target only says where the guarded commands would connect; deleting a saved password is always allowed.
  'lyncRecovery.forgetPassword': NONE,
  'lyncRecovery.configureLogin': NONE,
  'lyncRecovery.useRehearsalLab': NONE,
  'lyncRecovery.useLiveEstate': NONE,
  'lyncRecovery.chooseTarget': NONE,
  // Runbook stepping: running sends commands; dry runs, marks and views do not.
  'lyncRecovery.runStep': { trust: 'run-steps' },
  'lyncRecovery.retryStep': { trust: 'run-steps' },
  'lyncRecovery.runRemaining': { trust: 'run-steps' },
  'lyncRecovery.dryRunStep': NONE,
  'lyncRecovery.dryRunRunbook': NONE,
  'lyncRecovery.markStepDone': NONE,
  'lyncRecovery.skipStep': NONE,
  'lyncRecovery.resetStep': NONE,
  'lyncRecovery.showStepOutput': NONE,
  'lyncRecovery.showSteps': NONE,
  // Guided procedures run steps; writing a runbook from a procedure does not.
  'lyncRecovery.failOverPersistentChat': { trust: 'run-steps' },
  'lyncRecovery.failBackPersistentChat': { trust: 'run-steps' },
  'lyncRecovery.restoreConferenceContent': { trust: 'run-steps' },
  'lyncRecovery.failOverFrontEndPool': { trust: 'run-steps' },
  'lyncRecovery.failBackFrontEndPool': { trust: 'run-steps' },
  'lyncRecovery.newRunbookFromProcedure': NONE,
  // Rehearsal starts a lab (processes on this machine) and runs steps against it; stopping it is always allowed.
  'lyncRecovery.rehearseRunbook': { trust: 'rehearse' },
  'lyncRecovery.stopRehearsal': NONE,
  'lyncRecovery.exportRecoveryReport': NONE,
};

/** The policy of a command id; undefined for an id nobody classified (a bug: registration throws). */
export function commandPolicy(id: string): CommandPolicy | undefined {
  // One command per step of each procedure (`lyncRecovery.step.<kind>.<step>`): each runs that step.
  if (id.startsWith(STEP_COMMAND_PREFIX)) return { trust: 'run-steps' };
  return Object.prototype.hasOwnProperty.call(COMMAND_POLICIES, id) ? COMMAND_POLICIES[id] : undefined;
}

/** Whether the command refuses in an untrusted workspace (throws for an unclassified id). */
export function needsTrust(id: string): boolean {
  const policy = commandPolicy(id);
  if (!policy) throw new Error(`Command ${id} has no trust policy in src/extension/commands/policy.ts.`);
  return policy.trust !== undefined;
}
