/**
 * The Central Management Store (CMS) and the Edge next hop in the procedures (reference §3.4
 * step 0, §3.5; Microsoft "Failing over a pool", JJ204678): "the Central Management store must be
 * functional when the pool's users are failed over", and an Edge pool whose next hop is the
 * failed pool makes Invoke-CsPoolFailOver stop. Persistent Chat's pool state and active servers
 * are CMS settings too (domain audit D5), so its procedures check first that the CMS answers.
 */
import * as ps from '../commands/powershell';
import { parseFqdn, type Fqdn } from '../commands/values';
import { fqdnKey, type Estate, type Pool } from '../estate/model';
import { backEnd, estateValue, poolFqdn } from './resolve';
import { confirm, powershell } from './steps';
import { ProcedureError, type Check, type ProcedureStep } from './types';

/** Whether `pool` hosts the CMS: undefined when the estate does not say (`centralManagementStore`). */
export function hostsCms(estate: Estate, pool: Pool): boolean | undefined {
  return estate.centralManagementStore === undefined ? undefined : fqdnKey(estate.centralManagementStore) === fqdnKey(pool.fqdn);
}

/**
 * The CMS answers (an active master) — in `pool` when given. What to do otherwise: fail the CMS
 * over, as the first part of the pool failover of the pool that hosted it.
 */
export function cmsAnswers(pool?: Pool): Check {
  const remedy = 'the Central Management Store must answer first: if its pool is lost, run the pool failover of that pool, which fails the CMS over (Invoke-CsManagementServerFailover) before anything else (Microsoft, "Failing over a pool")';
  if (!pool) return { kind: 'cms-active', remedy };
  const servers = pool.servers.map((s) => estateValue(parseFqdn, s.fqdn, `pool ${pool.fqdn} server`, s.path));
  return { kind: 'cms-active', pool: poolFqdn(pool), servers, remedy };
}

/** Reference §3.5 C3–C5: the CMS moves to the Back End of `partner`, then is verified. */
function cmsFailoverStep(estate: Estate, lost: Fqdn, partner: Pool): ProcedureStep {
  const target = backEnd(estate, partner, 'backEnd');
  if (!target) {
    throw new ProcedureError(
      'no-store',
      `${lost} hosts the Central Management Store (centralManagementStore), so its failover moves the CMS to the Back End of ${partner.fqdn} first: declare that Back End as backEnd on ${partner.fqdn} in the estate (a SQL instance id).`,
      [...partner.path, 'fqdn'],
    );
  }
  const mirror = backEnd(estate, partner, 'backEndMirror');
  const to = poolFqdn(partner);
  return {
    id: 'fail-over-cms',
    title: 'Fail the Central Management Store over',
    why:
      `${lost} hosts the Central Management Store, which "must be functional when the pool's users are failed over": it moves to the Back End of ${to} first, in disaster-recovery mode (-BackupSqlServerFqdn and -Force are mandatory there; the failover page's -MirrorSqlServerFqdn is not a parameter of the cmdlet). ` +
      'Not verified (reference §10 items 10 and 14): whether the cmdlet asks for confirmation in this mode, and whether, given the Back End and its mirror, it picks the current principal itself.',
    target: { kind: 'shell' },
    preconditions: [{ kind: 'cms-database-principal', pool: to }],
    actions: [
      powershell(
        ps.invokeManagementServerFailover({
          backupSqlServerFqdn: target.server,
          ...(target.instanceName ? { backupSqlInstanceName: target.instanceName } : {}),
          ...(mirror ? { backupMirrorSqlServerFqdn: mirror.server, ...(mirror.instanceName ? { backupMirrorSqlInstanceName: mirror.instanceName } : {}) } : {}),
        }),
      ),
    ],
    verification: [cmsAnswers(partner), { kind: 'cms-database-principal', pool: to }],
    destructive: true,
    onFailure: `Run it on a Front End of ${to}, as a member of RTCUniversalServerAdmins. Fix what its error names (the SQL Server of ${to} must answer), then run it again. The CMS may stay on ${to} after the failback.`,
    reference: '§3.5 C3–C5, §4.19, §4.20',
  };
}

/** When the estate does not say where the CMS is, the admin says it. */
function cmsUnknownStep(pool: Fqdn): ProcedureStep {
  return {
    id: 'check-cms',
    title: 'Check where the Central Management Store is',
    why: `The estate does not say which pool hosts the Central Management Store (centralManagementStore). If ${pool} does, the CMS must be failed over before its users.`,
    target: { kind: 'operator' },
    preconditions: [],
    actions: [confirm(`The Central Management Store is not hosted on ${pool}, or was failed over (Invoke-CsManagementServerFailover); Invoke-CsManagementServerFailover -WhatIf on a Front End shows where it is.`)],
    verification: [],
    destructive: false,
    onFailure: `Record the CMS pool as centralManagementStore in the estate and generate the procedure again: it then fails the CMS over first.`,
    reference: '§3.5 C0–C1',
  };
}

/** The CMS part of a pool failover: its failover when the failed pool hosts it, a checkpoint when the estate does not say. */
export function cmsSteps(estate: Estate, pool: Pool, partner: Pool): ProcedureStep[] {
  const hosts = hostsCms(estate, pool);
  if (hosts === undefined) return [cmsUnknownStep(poolFqdn(pool))];
  return hosts ? [cmsFailoverStep(estate, poolFqdn(pool), partner)] : [];
}

/** Reference §3.4 step 0: the Edge pools whose next hop is the failed pool are re-pointed to its partner first. */
export function edgeNextHopStep(pool: Pool, partner: Pool): ProcedureStep {
  const from = poolFqdn(pool);
  const to = poolFqdn(partner);
  const edges = (pool.edgeNextHopFor ?? []).map((e, i) => estateValue(parseFqdn, e, `pool ${pool.fqdn} edgeNextHopFor`, [...pool.path, 'edgeNextHopFor', i]));
  const base = {
    why: `Invoke-CsPoolFailOver stops when an Edge pool uses ${from} as its next hop ("This Front-end pool … is specified in topology as the next hop for the Edge server"): the Edge pool is re-pointed first.`,
    reference: '§3.4 step 0, §3.6, §4.22',
  };
  if (edges.length === 0) {
    return {
      ...base,
      id: 'check-edge-next-hop',
      title: 'Check the Edge next hop',
      target: { kind: 'operator' },
      preconditions: [],
      actions: [confirm(`No Edge pool uses ${from} as its next hop (Topology Builder: Edge pool → Edit Properties → Next Hop), or it was re-pointed to ${to}.`)],
      verification: [],
      destructive: false,
      onFailure: `Re-point it: in the same site, Topology Builder (Edit Properties → Next Hop → Next hop pool) and publish; in another site, Set-CsEdgeServer -Identity EdgeServer:<Edge pool> -Registrar Registrar:${to}. Record the Edge pools as edgeNextHopFor in the estate so the procedure does it.`,
    };
  }
  return {
    ...base,
    id: 'repoint-edge-next-hop',
    title: 'Re-point the Edge next hop',
    target: { kind: 'shell' },
    // Set-CsEdgeServer changes the topology the CMS holds (inference: it needs the CMS).
    preconditions: [cmsAnswers()],
    actions: edges.map((edge) => powershell(ps.setEdgeServerNextHop(edge, to))),
    verification: [],
    destructive: true,
    onFailure: `If an Edge pool is in the same site as ${to}, Microsoft's page does it in Topology Builder instead (Edit Properties → Next Hop) and publishes.`,
  };
}
