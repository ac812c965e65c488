/**
 * Issue 13 items 1, 2 and 4 in the procedures: the pool failover of the pool that hosts the
 * Central Management Store fails the CMS over first, with the cmdlet's real parameter set, and
 * verifies it (domain audit D4); Edge pools using the failed pool as next hop are re-pointed first
 * (reference §3.4 step 0); Persistent Chat checks that the CMS answers before anything (D5) and that
 * the primary's mirror is down too (D3).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Estate, Pool } from '../../../src/core/estate/model';
import { procedureFor, ProcedureError, type Check } from '../../../src/core/procedures';
import { findCmdlet, mandatoryText, resolveParameter } from '../../../src/core/runbook/cmdlets';
import { litware } from './litware';

const PC = 'atl-gc-001.litwareinc.com';
const FE = 'atl-cs-001.litwareinc.com';
const PARTNER = 'dal-cs-001.litwareinc.com';

const change = (estate: Estate, fqdn: string, edit: (p: Pool) => Pool): Estate => ({ ...estate, pools: estate.pools.map((p) => (p.fqdn === fqdn ? edit(p) : p)) });

/** Litware with the CMS on the Atlanta pool and the Dallas pool's Back End (mirrored) declared. */
function cmsInAtlanta(): Estate {
  const base = litware();
  const estate: Estate = {
    ...base,
    centralManagementStore: FE,
    sqlInstances: [...base.sqlInstances, { id: 'dal-sql', server: 'dal-sql-001.litwareinc.com', instance: 'rtc', datacenter: 'dal', path: [] }, { id: 'dal-sqlm', server: 'dal-sqlm-001.litwareinc.com', instance: 'rtc', datacenter: 'dal', path: [] }],
  };
  return change(estate, PARTNER, (p) => ({ ...p, backEnd: 'dal-sql', backEndMirror: 'dal-sqlm' }));
}

const commands = (estate: Estate) =>
  procedureFor('pool-failover', estate, FE).steps.map((s) => [s.id, s.actions.map((a) => (a.kind === 'powershell' ? a.command : a.kind === 'lync' ? a.name : '')).join(' / ')]);

describe('pool failover of the pool that hosts the CMS (D4)', () => {
  test('the CMS is failed over first, in disaster-recovery mode with the real parameters, then the users', () => {
    assert.deepEqual(commands(cmsInAtlanta()), [
      ['check-pairing', "Get-CsPoolBackupRelationship -PoolFqdn 'atl-cs-001.litwareinc.com' -LocalStore"],
      [
        'fail-over-cms',
        "Invoke-CsManagementServerFailover -BackupSqlServerFqdn 'dal-sql-001.litwareinc.com' -BackupSqlInstanceName 'rtc' -BackupMirrorSqlServerFqdn 'dal-sqlm-001.litwareinc.com' -BackupMirrorSqlInstanceName 'rtc' -Force",
      ],
      ['check-edge-next-hop', 'confirm'],
      ['fail-over-pool', "Invoke-CsPoolFailOver -PoolFqdn 'atl-cs-001.litwareinc.com' -DisasterMode"],
    ]);
  });

  test('verified with the CMS status and the mirror state; the users wait for a CMS in the surviving pool', () => {
    const steps = procedureFor('pool-failover', cmsInAtlanta(), FE).steps;
    const cms = steps.find((s) => s.id === 'fail-over-cms')!;
    assert.deepEqual(
      cms.verification.map((c) => (c.kind === 'cms-active' ? `${c.kind} ${c.pool} ${c.servers?.join(',')}` : c.kind === 'cms-database-principal' ? `${c.kind} ${c.pool}` : c.kind)),
      [`cms-active ${PARTNER} dal-fe-001.litwareinc.com`, `cms-database-principal ${PARTNER}`],
    );
    assert.match(cms.why, /Not verified/);
    const users = steps.at(-1)!;
    assert.ok(users.preconditions.some((c: Check) => c.kind === 'cms-active' && c.pool === PARTNER));
  });

  test('no Back End declared on the partner: the plan says what to add and where', () => {
    const estate = change(cmsInAtlanta(), PARTNER, ({ backEnd: _b, backEndMirror: _m, ...p }) => p);
    assert.throws(() => procedureFor('pool-failover', estate, FE), (e: unknown) => e instanceof ProcedureError && e.code === 'no-store' && /declare that Back End as backEnd on dal-cs-001/.test(e.message));
  });

  test('a pool that does not host the CMS has no CMS step', () => {
    assert.deepEqual(
      procedureFor('pool-failover', cmsInAtlanta(), PARTNER).steps.map((s) => s.id),
      ['check-pairing', 'check-edge-next-hop', 'fail-over-pool'],
    );
  });
});

describe('Edge next hop before the pool failover (reference §3.4 step 0)', () => {
  test('Edge pools using the failed pool as next hop are re-pointed to the partner, after the CMS and before the users', () => {
    const estate = change(cmsInAtlanta(), FE, (p) => ({ ...p, edgeNextHopFor: ['atl-edge-001.litwareinc.com'] }));
    const steps = commands(estate);
    assert.deepEqual(steps.map(([id]) => id), ['check-pairing', 'fail-over-cms', 'repoint-edge-next-hop', 'fail-over-pool']);
    assert.equal(steps[2]![1], "Set-CsEdgeServer -Identity 'EdgeServer:atl-edge-001.litwareinc.com' -Registrar 'Registrar:dal-cs-001.litwareinc.com'");
  });
});

describe('Invoke-CsManagementServerFailover in the catalogue: the cmdlet reference\'s parameter sets (R3)', () => {
  test('the backup mirror parameters exist, the failover page\'s -MirrorSqlServerFqdn does not, -BackupSqlServerFqdn and -Force are mandatory in DisasterRecovery', () => {
    const cmdlet = findCmdlet('Invoke-CsManagementServerFailover')!;
    assert.deepEqual(cmdlet.sets, ['DisasterRecovery', 'Normal']);
    for (const name of ['BackupMirrorSqlServerFqdn', 'BackupMirrorSqlInstanceName', 'BackupSqlInstanceName', 'Restore', 'Report']) assert.equal(resolveParameter(cmdlet, name).kind, 'found', name);
    assert.equal(resolveParameter(cmdlet, 'MirrorSqlServerFqdn').kind, 'unknown');
    for (const name of ['BackupSqlServerFqdn', 'Force']) {
      const r = resolveParameter(cmdlet, name);
      assert.equal(r.kind === 'found' && mandatoryText(cmdlet, r.spec), 'mandatory in parameter set DisasterRecovery', name);
    }
  });
});

describe('unverified facts are said at their step (R1)', () => {
  test('Install-CsMirrorDatabase: -Confirm:$false is passed, and the step says its effect on the prompt is not verified and what to do', () => {
    const mirror = procedureFor('persistent-chat-failover', litware(), PC).steps.find((s) => s.id === 'mirror-backup-database')!;
    assert.ok(mirror.actions.every((a) => a.kind === 'powershell' && a.command.endsWith(' -Confirm:$false')));
    assert.match(mirror.why, /Not verified .*-Confirm:\$false suppresses this prompt.*answer A/);
  });
});

describe('Persistent Chat: the CMS first (D5), the primary mirror down too (D3)', () => {
  test('failover and failback check that the CMS answers before their first action', () => {
    for (const kind of ['persistent-chat-failover', 'persistent-chat-failback'] as const) {
      const first = procedureFor(kind, litware(), PC).steps[0]!;
      assert.ok(first.preconditions.some((c) => c.kind === 'cms-active'), kind);
    }
  });

  test('failover refuses, overridably, when the primary mirror still answers', () => {
    const first = procedureFor('persistent-chat-failover', litware(), PC).steps[0]!;
    const guard = first.preconditions.find((c) => c.kind === 'instance-unreachable' && c.target.role === 'mirror');
    assert.ok(guard && guard.kind === 'instance-unreachable' && guard.overridable && guard.target.instanceId === 'atl-pcsqlm' && /Invoke-CsDatabaseFailover/.test(guard.warning));
  });
});
