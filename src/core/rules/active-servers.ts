/** Set-CsPersistentChatActiveServer: which Persistent Chat servers accept connections (§1.3 step 7, §2.2). */
import type { Pool } from '../estate/model';
import type { PsArgument, RunbookKind } from '../runbook/model';
import type { Range } from '../text';
import { defineActionRule, defineRule, replaceWith } from './define';
import { isMember, nearest, poolsOfKind, serverDatacenter, storeInstance } from './estate-lookup';
import { argument, calls, milestonesOf, type Facts, type PsUse } from './facts';
import { DOC_SAMPLE_FQDNS } from './samples';

const MAX_ACTIVE = 4;

interface Change {
  readonly use: PsUse;
  /** `set` replaces the list (`Replace`, a plain list, `$Null`). */
  readonly mode: 'set' | 'add' | 'remove';
  readonly servers: readonly { readonly fqdn: string; readonly range: Range }[];
}

const names = (args: readonly PsArgument[]) => args.flatMap((a) => (a.kind === 'array' ? (a.items ?? []) : [a])).filter((a) => a.kind === 'string' || a.kind === 'bare').map((a) => ({ fqdn: a.value, range: a.range }));

/** Every change to the active list, in order. */
function changes(facts: Facts): Change[] {
  const out: Change[] = [];
  for (const use of calls(facts, 'Set-CsPersistentChatActiveServer')) {
    const arg = argument(use.command, 'ActiveServers');
    if (!arg) continue;
    if (arg.kind === 'variable' && arg.text.toLowerCase() === '$null') out.push({ use, mode: 'set', servers: [] });
    else if (arg.kind === 'hashtable') {
      for (const e of arg.entries ?? []) {
        const mode = e.key.toLowerCase() === 'add' ? 'add' : e.key.toLowerCase() === 'remove' ? 'remove' : 'set';
        out.push({ use, mode, servers: names(e.values) });
      }
    } else out.push({ use, mode: 'set', servers: names([arg]) });
  }
  return out;
}

const pcPool = (facts: Facts, estate: Parameters<typeof poolsOfKind>[0]): Pool | undefined =>
  facts.pool?.kind === 'persistent-chat' ? facts.pool : poolsOfKind(estate, 'persistent-chat')[0];

/** Data center of the database the pool uses after this runbook. */
function newPrimaryDatacenter(kind: RunbookKind | undefined, facts: Facts, estate: Parameters<typeof storeInstance>[0]): string | undefined {
  const role = kind === 'persistent-chat-failover' ? 'backup' : kind === 'persistent-chat-failback' ? 'primary' : undefined;
  return role && storeInstance(estate, facts.pool, 'mgc', role)?.datacenter;
}

export const activeServerWrongDatacenter = defineActionRule(
  {
    id: 'active-server-wrong-datacenter',
    severity: 'warning',
    description: 'An active Persistent Chat server is outside the data center of the new primary database; the documentation allows it only for a data center with a low-latency, high-bandwidth link to that database.',
    fix: 'Replaces it with a pool member of the right data center.',
  },
  ({ runbook, estate, facts, report }) => {
    const dc = newPrimaryDatacenter(runbook.kind, facts, estate);
    const pool = pcPool(facts, estate);
    if (!dc || !pool) return;
    const local = pool.servers.filter((s) => (s.datacenter ?? pool.datacenter) === dc).map((s) => s.fqdn);
    for (const c of changes(facts)) {
      if (c.mode === 'remove') continue;
      for (const s of c.servers) {
        const at = serverDatacenter(pool, s.fqdn);
        if (!at || at === dc) continue;
        const suggestion = nearest(s.fqdn, local);
        report(s.range, `${s.fqdn} is in data center ${at}, but the new primary database is in ${dc}: activate servers of ${dc}${suggestion ? ` (e.g. ${suggestion})` : ''}, unless ${at} has a low-latency, high-bandwidth link to ${dc}.`, suggestion ? [replaceWith(`Use ${suggestion}`, s.range, `"${suggestion}"`)] : []);
      }
    }
  },
);

export const activeServersTooMany = defineRule(
  { id: 'active-servers-too-many', severity: 'error', description: 'More than 4 Persistent Chat servers would be active.' },
  ({ estate, facts, report }) => {
    const pool = pcPool(facts, estate);
    const active = new Set((pool?.activeServers ?? []).map((s) => s.toLowerCase()));
    for (const c of changes(facts)) {
      if (c.mode === 'set') active.clear();
      for (const s of c.servers) {
        if (c.mode === 'remove') active.delete(s.fqdn.toLowerCase());
        else active.add(s.fqdn.toLowerCase());
      }
      if (active.size > MAX_ACTIVE) {
        report(argument(c.use.command, 'ActiveServers')!.range, `${active.size} servers would be active; a Persistent Chat pool allows at most ${MAX_ACTIVE}: remove some first (@{Remove=…}), or clear the list ($null) and add only the servers to keep (@{Add=…}).`);
        return;
      }
    }
  },
);

export const activeServerNotMember = defineActionRule(
  { id: 'active-server-not-member', severity: 'error', description: 'A server given to `-ActiveServers` is not a member of the Persistent Chat pool.', fix: 'Replaces it with the nearest pool member.' },
  ({ estate, facts, report }) => {
    const pool = pcPool(facts, estate);
    if (!pool) return;
    for (const c of changes(facts)) {
      for (const s of c.servers) {
        if (isMember(pool, s.fqdn) || DOC_SAMPLE_FQDNS.includes(s.fqdn.toLowerCase()) || s.fqdn.includes('<')) continue;
        const suggestion = nearest(s.fqdn, pool.servers.map((x) => x.fqdn));
        report(s.range, `${s.fqdn} is not a server of ${pool.fqdn}${suggestion ? `: did you mean ${suggestion}?` : '.'}`, suggestion ? [replaceWith(`Use ${suggestion}`, s.range, `"${suggestion}"`)] : []);
      }
    }
  },
);

export const activeServersBeforePoolState = defineRule(
  { id: 'active-servers-before-pool-state', severity: 'warning', description: 'Failover: the active servers are set before the pool is switched to FailedOver.' },
  ({ runbook, facts, report }) => {
    if (runbook.kind !== 'persistent-chat-failover') return;
    const m = milestonesOf(facts);
    const failedOver = m.failedOver[0];
    for (const a of m.activeSet) {
      if (!failedOver || a.order > failedOver.order) continue;
      report((a.use as PsUse).command.range, 'Set the active servers after Set-CsPersistentChatState -PoolState FailedOver, so they connect to the failed-over database: move this step after it.');
    }
  },
);

export const failbackActiveServersNotCleared = defineRule(
  { id: 'failback-active-servers-not-cleared', severity: 'error', description: 'Failback backs up the backup `mgc` without first clearing the active servers (`-ActiveServers $Null`): messages written meanwhile are lost.' },
  ({ runbook, facts, report }) => {
    if (runbook.kind !== 'persistent-chat-failback') return;
    const m = milestonesOf(facts);
    const backup = m.fullBackup[0];
    if (!backup || m.activeCleared.some((c) => c.order < backup.order)) return;
    report('statement' in backup.use ? backup.use.statement.range : backup.use.command.range, 'Clear the active servers before backing up mgc: Set-CsPersistentChatActiveServer -Identity "global" -ActiveServers $Null.');
  },
);

/** Data center of the database a failover leaves: the primary `mgc`'s. */
const lostDatacenter = (kind: RunbookKind | undefined, facts: Facts, estate: Parameters<typeof storeInstance>[0]) =>
  kind === 'persistent-chat-failover' ? storeInstance(estate, facts.pool, 'mgc', 'primary')?.datacenter : undefined;

export const activeServersInLostDatacenter = defineRule(
  { id: 'active-servers-in-lost-datacenter', severity: 'error', description: 'Failover: after the runbook\'s active-server changes, servers of the lost data center that the estate lists as active are still active (e.g. `@{Add=…}` on top of the estate\'s list).', fix: 'Replaces the change with `@{Replace=…}` of the servers that stay.' },
  ({ runbook, estate, facts, report }) => {
    const lost = lostDatacenter(runbook.kind, facts, estate);
    const pool = pcPool(facts, estate);
    const all = changes(facts);
    const last = all[all.length - 1];
    if (!lost || !pool || !last) return;
    const active = new Map((pool.activeServers ?? []).map((s) => [s.toLowerCase(), s]));
    for (const c of all) {
      if (c.mode === 'set') active.clear();
      for (const s of c.servers) {
        if (c.mode === 'remove') active.delete(s.fqdn.toLowerCase());
        else active.set(s.fqdn.toLowerCase(), s.fqdn);
      }
    }
    // Servers the runbook names itself are active-server-wrong-datacenter's; these are left over from the estate's list.
    const written = new Set(all.flatMap((c) => c.servers.map((x) => x.fqdn.toLowerCase())));
    const stale = [...active.values()].filter((fqdn) => serverDatacenter(pool, fqdn) === lost && !written.has(fqdn.toLowerCase()));
    if (!stale.length) return;
    const keep = [...active.values()].filter((fqdn) => !stale.includes(fqdn));
    const arg = argument(last.use.command, 'ActiveServers')!;
    report(arg.range, `After this change ${stale.join(', ')} (data center ${lost}, lost with the primary database) would still be active: FO step 7 activates servers near the new primary only. Clear the list first ($Null) or set it with @{Replace=…}.`, keep.length ? [replaceWith('Replace the list', arg.range, `@{Replace=${keep.map((f) => `"${f}"`).join(',')}}`)] : []);
  },
);

export const activeServersNotSet = defineRule(
  { id: 'active-servers-not-set', severity: 'error', description: 'A Persistent Chat failover (failback) runbook never sets the active servers (`Set-CsPersistentChatActiveServer`, FO step 7 / FB step 6): no server would accept clients on the new primary.' },
  ({ runbook, facts, report }) => {
    const kind = facts.entry('runbook');
    if ((runbook.kind !== 'persistent-chat-failover' && runbook.kind !== 'persistent-chat-failback') || !kind || milestonesOf(facts).activeSet.length) return;
    const where = runbook.kind === 'persistent-chat-failover' ? 'in the backup data center (failover step 7)' : 'in the primary data center (failback step 6)';
    report(kind.valueRange, `This ${runbook.kind} runbook never activates Persistent Chat servers ${where}: add a step that clears the list and adds the servers, as the documentation does: Set-CsPersistentChatActiveServer -Identity "global" -ActiveServers $null, then -ActiveServers @{Add="<server>",…}.`);
  },
);

export const ACTIVE_SERVER_RULES = [activeServersInLostDatacenter, activeServersNotSet, activeServerWrongDatacenter, activeServersTooMany, activeServerNotMember, activeServersBeforePoolState, failbackActiveServersNotCleared];
