/** Install-CsMirrorDatabase during a Persistent Chat failover, mirroring removal during failback. */
import { defineActionRule, defineRule, replaceWith } from './define';
import { sameFqdn, storeInstance } from './estate-lookup';
import { argument, calls, isMirrorRemoval, literal } from './facts';

export const mirrorOnDeadPrimary = defineActionRule(
  { id: 'mirror-on-dead-primary', severity: 'error', description: 'Failover: `Install-CsMirrorDatabase -SqlServerFqdn` is the original primary (or its mirror) in the failed data center instead of the backup server.', fix: 'Replaces it with the backup SQL server.' },
  ({ runbook, estate, facts, report }) => {
    if (runbook.kind !== 'persistent-chat-failover') return;
    const dead = (['primary', 'mirror'] as const).map((r) => storeInstance(estate, facts.pool, 'mgc', r)).filter((i) => !!i);
    const backup = storeInstance(estate, facts.pool, 'mgc', 'backup');
    for (const { command } of calls(facts, 'Install-CsMirrorDatabase')) {
      const arg = argument(command, 'SqlServerFqdn');
      const value = literal(arg);
      if (!arg || !value || !dead.some((i) => sameFqdn(i.server, value))) continue;
      report(arg.range, `${value} is the failed primary side: mirror the new principal, the backup server${backup ? ` ${backup.server}` : ''}.`, backup ? [replaceWith(`Use ${backup.server}`, arg.range, backup.server)] : []);
    }
  },
);

export const mirrorBackupStoreUndefined = defineActionRule(
  { id: 'mirror-backup-store-undefined', severity: 'error', description: 'Failover installs mirroring for the backup store, but the estate (topology) defines no backup mirror for `mgc`.' },
  ({ runbook, estate, facts, report }) => {
    if (runbook.kind !== 'persistent-chat-failover' || !estate || !facts.pool?.stores?.mgc) return;
    if (facts.pool.stores.mgc.backupMirror) return;
    for (const { command } of calls(facts, 'Install-CsMirrorDatabase')) {
      report(command.nameRange, `No backup mirror is defined for mgc of ${facts.pool.fqdn}: add the backup store's mirror in Topology Builder (and backupMirror in the estate) before installing mirroring.`);
    }
  },
);

export const failbackMirrorRemovalIncomplete = defineRule(
  { id: 'failback-mirror-removal-incomplete', severity: 'warning', description: 'Failback removes mirroring from only one of `mgc` and `mgccomp` on the backup instance.' },
  ({ runbook, facts, report }) => {
    if (runbook.kind !== 'persistent-chat-failback') return;
    const removals = facts.sql.filter((u) => isMirrorRemoval(u.statement));
    const dbs = new Set(removals.map((u) => u.statement.database?.name));
    const needsComp = !facts.pool || !!facts.pool.stores?.mgccomp?.backupMirror;
    for (const missing of needsComp ? ['mgc', 'mgccomp'] : ['mgc']) {
      if (dbs.has(missing) || !removals.length) continue;
      report(removals[0]!.statement.range, `Mirroring is removed from ${[...dbs].join(', ')} but not from ${missing}: add ALTER DATABASE ${missing} SET PARTNER OFF.`);
    }
  },
);

export const MIRROR_RULES = [mirrorOnDeadPrimary, mirrorBackupStoreUndefined, failbackMirrorRemovalIncomplete];
