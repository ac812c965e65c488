/**
 * Step order per runbook kind: the hard constraints of the procedures (domain reference §1.4, §2.3,
 * §3.4). A constraint is checked only when both milestones are present; missing milestones are
 * other rules' business.
 */
import type { RunbookKind } from '../runbook/model';
import { defineRule } from './define';
import { milestonesOf, rangeOfUse, type Milestones } from './facts';

interface Constraint {
  readonly kinds: readonly RunbookKind[];
  readonly before: keyof Milestones;
  readonly after: keyof Milestones;
  readonly message: string;
}

const CONSTRAINTS: readonly Constraint[] = [
  { kinds: ['persistent-chat-failover'], before: 'recovery', after: 'failedOver', message: 'Recover mgc (RESTORE DATABASE mgc WITH RECOVERY) before switching the pool to FailedOver: the pool must not point at a database still RESTORING.' },
  { kinds: ['persistent-chat-failover'], before: 'recovery', after: 'mirrorInstall', message: 'Mirroring needs an online principal: recover mgc before Install-CsMirrorDatabase.' },
  { kinds: ['persistent-chat-failback'], before: 'mirrorRemoval', after: 'fullBackup', message: 'Remove mirroring from the backup mgc before backing it up.' },
  { kinds: ['persistent-chat-failback'], before: 'fullBackup', after: 'fullRestore', message: 'Restore the primary from the backup taken in the previous step: BACKUP DATABASE first.' },
  { kinds: ['persistent-chat-failback'], before: 'fullRestore', after: 'normal', message: 'Set -PoolState Normal only after the primary mgc is restored.' },
  { kinds: ['persistent-chat-failback'], before: 'fullRestore', after: 'activeSet', message: 'Re-activate the servers only after the primary mgc is restored.' },
  { kinds: ['pool-failback'], before: 'poolFailback', after: 'sync', message: 'Restore the conference content after the failback.' },
];

export const stepOrder = defineRule(
  { id: 'step-order', severity: 'error', description: 'A step runs before a step it depends on (e.g. PoolState FailedOver before the recovery of mgc, Normal before the primary restore).' },
  ({ runbook, facts, report }) => {
    if (!runbook.kind) return;
    const m = milestonesOf(facts);
    for (const c of CONSTRAINTS) {
      if (!c.kinds.includes(runbook.kind)) continue;
      const first = m[c.before][0];
      if (!first) continue;
      for (const early of m[c.after]) if (early.order < first.order) report(rangeOfUse(early.use), `${c.message} (it comes at line ${rangeOfUse(first.use).start.line + 1}).`);
    }
  },
);

export const ORDER_RULES = [stepOrder];
