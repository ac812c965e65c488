import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LiveRef } from '../../../src/extension/live/plan';
import type { LiveEntry, PoolReading, SqlReading } from '../../../src/extension/live/readings';
import { formatAge, liveDecoration, md, poolDecoration, storeDecoration } from '../../../src/extension/live/viewModel';

const READ_AT = Date.UTC(2024, 0, 1, 10, 10, 2);
const store = (role: 'primary' | 'mirror' | 'backup' | 'backupMirror', db: 'mgc' | 'mgccomp' = 'mgc', instanceId = 'dal-pcbak') =>
  ({ kind: 'store', instanceId, db, role, poolFqdn: 'atl-gc-001.litwareinc.com' }) as const;
const pcPool = { kind: 'pool', fqdn: 'atl-gc-001.litwareinc.com', poolKind: 'persistent-chat', sqlInstanceIds: [] } as const;
const fePool = { kind: 'pool', fqdn: 'atl-cs-001.litwareinc.com', poolKind: 'front-end', sqlInstanceIds: [] } as const;

const up = (databases: Extract<SqlReading, { status: 'up' }>['databases']): LiveEntry<SqlReading> => ({
  reading: false,
  last: { status: 'up', serverName: 'DAL-PCBAK-001\\PCHAT', version: 'Microsoft SQL Server 2012 (SP4) - 11.0.7001.0 (X64)\n\tAug 15 2017', databases, readAt: READ_AT, ms: 12 },
});
const failed = (failure: Extract<SqlReading, { status: 'failed' }>['failure'], message: string): LiveEntry<SqlReading> => ({
  reading: false,
  last: { status: 'failed', failure, message, readAt: READ_AT, ms: 5000 },
});

test('backup mgc RESTORING: standby icon, state, log-shipping latency, full details in the tooltip', () => {
  const entry = up([
    {
      db: 'mgc', exists: true, state: 'RESTORING', mirroring: null, redoLsn: '34000000171300001',
      logShipping: { primaryServer: 'ATL-PCSQL-001\\PCHAT', lastCopiedFile: 'D:\\LogShipping\\mgc\\mgc_1.trn', lastCopiedAt: READ_AT - 3 * 60_000, lastRestoredFile: 'D:\\LogShipping\\mgc\\mgc_0.trn', lastRestoredAt: READ_AT - 7 * 60_000 },
    },
  ]);
  const d = storeDecoration(store('backup'), entry, { badge: 'REHEARSAL' })!;
  assert.equal(d.icon, 'standby');
  assert.equal(d.facet, 'status=standby');
  assert.equal(d.description, 'RESTORING · restored 7 min ago');
  assert.match(d.tooltip, /\*\*RESTORING\*\*/);
  assert.match(d.tooltip, /`D:\\LogShipping\\mgc\\mgc_1\.trn` at 10:07:02/);
  assert.match(d.tooltip, /last restored: `D:\\LogShipping\\mgc\\mgc_0\.trn`/);
  assert.match(d.tooltip, /LSN `34000000171300001`/);
  assert.match(d.tooltip, /Read at 10:10:02 in 12 ms, from the REHEARSAL lab/);
  assert.match(d.tooltip, /DAL-PCBAK-001\\PCHAT/);
});

test('RESTORING without log-shipping data shows the redo point, shortened', () => {
  const d = storeDecoration(store('backup'), up([{ db: 'mgc', exists: true, state: 'RESTORING', mirroring: null, logShipping: null, redoLsn: '34000000171300001' }]), { badge: 'LIVE' })!;
  assert.equal(d.description, 'RESTORING · redo 3400…');
  assert.match(d.tooltip, /from the LIVE estate/);
});

test('RESTORING on the primary needs attention; ONLINE is ok; mirroring role and state are shown', () => {
  assert.equal(storeDecoration(store('primary'), up([{ db: 'mgc', exists: true, state: 'RESTORING', mirroring: null }]), { badge: 'LIVE' })!.icon, 'attention');
  const online = storeDecoration(store('primary'), up([{ db: 'mgc', exists: true, state: 'ONLINE', mirroring: { role: 'PRINCIPAL', state: 'SYNCHRONIZED', partner: 'TCP://m:5022' } }]), { badge: 'LIVE' })!;
  assert.equal(online.icon, 'ok');
  assert.equal(online.description, 'ONLINE · principal synchronized');
  assert.match(online.tooltip, /Mirroring: PRINCIPAL, SYNCHRONIZED/);
  assert.equal(storeDecoration(store('primary'), up([{ db: 'mgc', exists: true, state: 'SUSPECT', mirroring: null }]), { badge: 'LIVE' })!.icon, 'down');
});

test('a database the instance lacks, or a failed query, is flagged while the instance is up', () => {
  const missing = storeDecoration(store('backupMirror'), up([{ db: 'mgc', exists: false }]), { badge: 'LIVE' })!;
  assert.deepEqual([missing.icon, missing.description], ['attention', 'up · mgc not found']);
  const broken = storeDecoration(store('backup'), up([{ db: 'mgc', exists: true, error: 'Invalid object name msdb.dbo.log_shipping_secondary.' }]), { badge: 'LIVE' })!;
  assert.deepEqual([broken.icon, broken.description], ['attention', 'up · mgc unreadable']);
  assert.match(broken.tooltip, /log\\_shipping\\_secondary/);
});

test('timeout → down within the timeout, refused → down, with the message in the tooltip', () => {
  const timeout = storeDecoration(store('primary', 'mgc', 'atl-pcsql'), failed('timeout', 'No answer within 5 s.'), { badge: 'LIVE' })!;
  assert.deepEqual([timeout.icon, timeout.description], ['down', 'down · no answer in 5 s']);
  assert.match(timeout.tooltip, /No answer within 5 s\\\./);
  const refused = storeDecoration(store('primary'), failed('unreachable', "Cannot connect to SQL instance 'atl-pcsql' (127.0.0.1:1): connection refused"), { badge: 'LIVE' })!;
  assert.deepEqual([refused.icon, refused.description], ['down', 'down · connection refused']);
  assert.equal(storeDecoration(store('primary'), failed('login', 'Login failed'), { badge: 'LIVE' })!.description, 'login refused');
});

test('not configured / no password are unknown, not down', () => {
  const d = storeDecoration(store('primary'), failed('unconfigured', 'No connection settings for atl-pcsql'), { badge: 'LIVE' })!;
  assert.deepEqual([d.icon, d.description], ['unknown', 'not configured']);
  assert.equal(storeDecoration(store('primary'), failed('no-password', 'x'), { badge: 'LIVE' })!.description, 'password needed — refresh to enter it');
});

test('while reading: spinner, the previous words kept; before any reading: nothing, or "reading…"', () => {
  const entry = { ...failed('timeout', 'No answer within 5 s.'), reading: true };
  const d = storeDecoration(store('primary'), entry, { badge: 'LIVE' })!;
  assert.deepEqual([d.icon, d.description, d.facet], ['reading', 'down · no answer in 5 s', 'status=down']);
  assert.equal(storeDecoration(store('primary'), undefined, { badge: 'LIVE' }), undefined);
  assert.equal(storeDecoration(store('primary'), { reading: true }, { badge: 'LIVE' })!.description, 'reading…');
});

test('Persistent Chat pool: PoolState Normal ok, FailedOver attention; failures of the shell', () => {
  const pc = (poolState: string): LiveEntry<PoolReading> => ({ reading: false, last: { status: 'ok', kind: 'persistent-chat', poolState, identity: 'service:PersistentChatServer:atl-gc-001.litwareinc.com', readAt: READ_AT, ms: 4 } });
  const normal = poolDecoration(pcPool, pc('Normal'), { badge: 'REHEARSAL' })!;
  assert.deepEqual([normal.icon, normal.description], ['ok', 'Normal']);
  assert.match(normal.tooltip, /PoolState: \*\*Normal\*\*/);
  assert.deepEqual([poolDecoration(pcPool, pc('FailedOver'), { badge: 'LIVE' })!.icon], ['attention']);
  const noShell: LiveEntry<PoolReading> = { reading: false, last: { status: 'failed', failure: 'shell', message: 'PowerShell not found: set lyncRecovery.shell.executable', readAt: READ_AT, ms: 1 } };
  assert.deepEqual([poolDecoration(pcPool, noShell, { badge: 'LIVE' })!.icon, poolDecoration(pcPool, noShell, { badge: 'LIVE' })!.description], ['unknown', 'shell unavailable']);
});

test('Front End pool: Backup Service summary from the modules', () => {
  const fe = (dataConf: string, importStatus = 'NormalState'): LiveEntry<PoolReading> => ({
    reading: false,
    last: {
      status: 'ok', kind: 'front-end', readAt: READ_AT, ms: 3,
      modules: [
        { module: 'UserServices.PresenceFocus', exportStatus: 'SteadyState', importStatus: 'NormalState' },
        { module: 'ConfServices.DataConf', exportStatus: dataConf, importStatus },
        { module: 'CentralMgmt.CMSMaster', exportStatus: 'NotInitialized', importStatus: 'NormalState' },
      ],
    },
  });
  assert.deepEqual(pick(poolDecoration(fePool, fe('SteadyState'), { badge: 'LIVE' })!), ['ok', 'Backup Service: steady']);
  assert.deepEqual(pick(poolDecoration(fePool, fe('NonSteadyState'), { badge: 'LIVE' })!), ['attention', 'Backup Service: NonSteadyState (DataConf)']);
  assert.deepEqual(pick(poolDecoration(fePool, fe('ErrorState'), { badge: 'LIVE' })!), ['down', 'Backup Service: ErrorState (DataConf)']);
  assert.deepEqual(pick(poolDecoration(fePool, fe('SteadyState', 'ErrorState'), { badge: 'LIVE' })!), ['down', 'Backup Service: ErrorState (DataConf)']);
  assert.match(poolDecoration(fePool, fe('SteadyState'), { badge: 'LIVE' })!.tooltip, /\| `ConfServices\.DataConf` \| SteadyState \| NormalState \|/);
});

test('liveDecoration dispatches on the row kind', () => {
  const lookup = { sql: () => failed('timeout', 'No answer within 2 s.'), pool: () => undefined };
  assert.equal(liveDecoration(store('primary') as LiveRef, lookup, { badge: 'LIVE' })!.description, 'down · no answer in 2 s');
  assert.equal(liveDecoration(pcPool as LiveRef, lookup, { badge: 'LIVE' }), undefined);
});

test('Markdown escaping and ages', () => {
  assert.equal(md('a_b*c[d](e)'), 'a\\_b\\*c\\[d\\]\\(e\\)');
  assert.equal(formatAge(20_000), 'under a minute');
  assert.equal(formatAge(7 * 60_000), '7 min');
  assert.equal(formatAge(125 * 60_000), '2 h 5 min');
  assert.equal(formatAge(3 * 86_400_000), '3 days');
});

function pick(d: { icon: string; description: string }): [string, string] {
  return [d.icon, d.description];
}

test('an instance with no connection settings: its row offers Configure Login… (the unconfigured facet)', () => {
  const d = storeDecoration(store('backup'), failed('unconfigured', 'No connection settings for dal-pcbak: add it to lyncRecovery.sql.connections.'), { badge: 'LIVE' })!;
  assert.deepEqual([d.icon, d.description, d.facet], ['unknown', 'not configured', 'status=unknown;unconfigured']);
  assert.equal(storeDecoration(store('backup'), failed('unreachable', 'connection refused'), { badge: 'LIVE' })!.facet, 'status=down');
});
