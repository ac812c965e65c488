/**
 * Front End pools (§3): conference-content restore through the Backup Service, pool failover and
 * failback. `-PoolFqdn` of the failover and failback is always the pool that homes the users (the
 * failed pool); the Backup Service sync runs on the pool that still holds the data.
 */
import * as ps from '../commands/powershell';
import type { Fqdn } from '../commands/values';
import type { Estate } from '../estate/model';
import { cmsAnswers, cmsSteps, edgeNextHopStep, hostsCms } from './cms';
import { findPool, pairedPool, poolFqdn, requireKind } from './resolve';
import { lync, operatorConfirms, powershell } from './steps';
import { SYNCED_EXPORT_STATES, type Check, type ProcedureOptions, type ProcedurePlan, type ProcedureStep } from './types';

const DATA_CONF = 'ConfServices.DataConf' as const;

function pair(estate: Estate, fqdn: string, procedure: string): { pool: Fqdn; partner: Fqdn } {
  const pool = findPool(estate, fqdn);
  requireKind(pool, 'front-end', procedure);
  return { pool: poolFqdn(pool), partner: poolFqdn(pairedPool(estate, pool)) };
}

/**
 * The Backup Service copies conference content into a pool that runs; into one still down (lost,
 * or failed over and not yet failed back) the sync ends in ErrorState. The documented order is
 * failover → failback → conference restore (§3.4 "Failing back a pool", §3.1).
 */
function lostPoolAnswers(lost: Fqdn, partner: Fqdn, remedy: string): Check {
  return { kind: 'pool-answers', pool: lost, partner, remedy };
}

function checkPairingStep(pool: Fqdn, partner: Fqdn, preconditions: readonly Check[] = [], options: { readonly localStore?: boolean } = {}): ProcedureStep {
  return {
    id: 'check-pairing',
    title: 'Check the pool pairing',
    why:
      `Pool failover and the Backup Service only work between paired pools; ${pool} must be paired with ${partner} in the published topology. ` +
      `Not verified (reference §4.14): the names of the reply's properties — the product looks for ${partner} among its values.` +
      (options.localStore ? ' -LocalStore reads the local replica of the Central Management Store, whose master may be down with the pool.' : ''),
    target: { kind: 'shell' },
    preconditions,
    actions: [powershell(ps.getPoolBackupRelationship(pool, options))],
    verification: [{ kind: 'pool-paired', pool, partner }],
    destructive: false,
    onFailure: 'Pairing is set in Topology Builder (Resiliency → Associated Backup Pool) and published; there is no cmdlet to set it.',
    reference: '§3.3, §4.14',
  };
}

function syncSteps(holder: Fqdn, lost: Fqdn, lostAnswers: Check, options: ProcedureOptions, reference: string): ProcedureStep[] {
  return [
    {
      id: 'start-conference-sync',
      title: 'Start the conference-content sync',
      why: `Invoke-CsBackupServiceSync runs on ${holder}, the pool that still holds the conference content, and copies what ${lost} is missing.`,
      target: { kind: 'shell' },
      preconditions: [lostAnswers, { kind: 'pool-paired', pool: lost, partner: holder }],
      actions: [powershell(ps.invokeBackupServiceSync(holder, DATA_CONF))],
      verification: [],
      destructive: false,
      onFailure: 'Only RTCUniversalServerAdmins may run the Backup Service cmdlets by default; check that the LYNCBACKUP service runs on both pools.',
      reference,
    },
    {
      id: 'wait-for-conference-sync',
      title: 'Wait until the data-conferencing module is in sync',
      why: 'The restore is complete when ConfServices.DataConf reports SteadyState or FinalState (NonSteadyState: still catching up; ErrorState or NotInitialized: a problem).',
      target: { kind: 'shell' },
      preconditions: [],
      actions: [lync('wait-backup-sync', [['pool', holder], ['module', DATA_CONF], ['timeout', options.syncTimeout ?? '30m']])],
      verification: [{ kind: 'backup-sync-state', pool: holder, module: DATA_CONF, expect: SYNCED_EXPORT_STATES }],
      destructive: false,
      onFailure: 'ErrorState: check the Backup Service event log and the file-store shares of both pools (SMB, TCP 445). The time needed grows with the amount of conference content.',
      reference: '§3.1, §3.2',
    },
  ];
}

export function conferenceRestore(estate: Estate, lostPoolFqdn: string, options: ProcedureOptions = {}): ProcedurePlan {
  const { pool: lost, partner } = pair(estate, lostPoolFqdn, 'Conference restore');
  const answers = lostPoolAnswers(
    lost,
    partner,
    `Fail the pool back first (Lync: Fail Back Front End Pool…, or Invoke-CsPoolFailBack -PoolFqdn ${lost}), then run the conference restore again: the content is copied back after the failback (§3.4)`,
  );
  return {
    kind: 'conference-restore',
    title: `Restore the conference content of ${lost} from ${partner}`,
    summary: `${lost} lost its conference content; the Backup Service copies it back from its paired pool ${partner}, as in "Restoring conference contents using the Backup Service". ${lost} must run again: after a pool failover, this comes after the failback.`,
    pool: partner,
    lostPool: lost,
    notes: [],
    // Checked before the first step too, so a run against a pool still down sends nothing.
    steps: [checkPairingStep(lost, partner, [answers]), ...syncSteps(partner, lost, answers, options, '§3.1, §4.10')],
  };
}

export function poolFailover(estate: Estate, fqdn: string, options: ProcedureOptions = {}): ProcedurePlan {
  const { pool, partner } = pair(estate, fqdn, 'Pool failover');
  const lost = findPool(estate, pool);
  const survivor = findPool(estate, partner);
  const cmsHere = hostsCms(estate, lost) === true;
  const disasterMode = options.disasterMode ?? true;
  return {
    kind: 'pool-failover',
    title: `Fail over the users of ${pool} to ${partner}`,
    summary: `${pool} is ${disasterMode ? 'down' : 'to be taken out of service'}; its users sign in to the paired pool ${partner} until failback, as in "Failing over a pool".${cmsHere ? ` ${pool} hosts the Central Management Store: it is failed over to ${partner} first.` : ''}`,
    pool,
    notes: disasterMode ? [] : ['Planned failover: -DisasterMode is left out because the pool is still running.'],
    steps: [
      checkPairingStep(pool, partner, [], { localStore: cmsHere }),
      ...cmsSteps(estate, lost, survivor),
      edgeNextHopStep(lost, survivor),
      {
        id: 'fail-over-pool',
        title: 'Fail the pool over',
        why: `Invoke-CsPoolFailOver takes the failed pool (${pool}), never the surviving partner; -DisasterMode is needed when the pool no longer answers. The Central Management Store must answer first.`,
        target: { kind: 'shell' },
        preconditions: [
          ...(disasterMode ? [{ kind: 'pool-unreachable' as const, pool, overridable: true as const, warning: `${pool} still answers: a planned failover (without -DisasterMode) keeps data the disaster mode may lose.` }] : []),
          cmsAnswers(cmsHere ? survivor : undefined),
        ],
        actions: [powershell(ps.invokePoolFailOver(pool, { disasterMode }))],
        verification: [operatorConfirms(`Users homed on ${pool} can sign in through ${partner}.`)],
        destructive: true,
        onFailure: 'Read the cmdlet error: an Edge next-hop or CMS problem is named in it ("the Central Management store is not yet fully failed over": fix it as the error says, then run again). Run it from a Front End of the surviving pool.',
        reference: '§3.4 step 7, §3.5 C7, §4.13',
      },
    ],
  };
}

export function poolFailback(estate: Estate, fqdn: string, options: ProcedureOptions = {}): ProcedurePlan {
  const { pool, partner } = pair(estate, fqdn, 'Pool failback');
  return {
    kind: 'pool-failback',
    title: `Fail back the users of ${pool} from ${partner}`,
    summary: `${pool} is back; its users return to it and their conference content is copied back from ${partner}, as in "Failing back a pool".`,
    pool,
    notes: [],
    steps: [
      checkPairingStep(pool, partner),
      {
        id: 'fail-back-pool',
        title: 'Fail the pool back',
        why: `Invoke-CsPoolFailBack takes the same pool as the failover (${pool}). It can take about an hour for 20,000 users.`,
        target: { kind: 'shell' },
        preconditions: [],
        actions: [powershell(ps.invokePoolFailBack(pool))],
        verification: [operatorConfirms(`Users homed on ${pool} sign in to ${pool} again.`)],
        destructive: true,
        onFailure: `If ${partner} is unavailable, -DisasterMode allows the failback, but what failed-over users changed on ${partner} is lost.`,
        reference: '§3.4 failback, §4.13',
      },
      ...syncSteps(
        partner,
        pool,
        lostPoolAnswers(pool, partner, `Invoke-CsPoolFailBack did not bring it back: check that its Front End servers and their Backup Service run (Start-CsWindowsService -Name LYNCBACKUP), then run again`),
        options,
        '§3.1 (after a pool failback)',
      ),
    ],
  };
}
