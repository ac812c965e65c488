import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseEstate } from '../../../src/core/estate/load';
import type { Estate } from '../../../src/core/estate/model';
import { ConnectionError, ShellError, type ShellSession, type SqlGateway, type SqlResult } from '../../../src/core/recovery/ports';
import type { SqlCommand } from '../../../src/core/commands/tsql';
import type { PowerShellCommand } from '../../../src/core/commands/powershell';
import type { SqlAccess, TargetClients } from '../../../src/extension/connections/clients';
import { keysOfRef, livePlan, planScope, poolKey, scopeOfRef, sqlKey } from '../../../src/extension/live/plan';
import { parseBackupServiceStatus, parsePoolState } from '../../../src/extension/live/readings';
import { LiveStatusService, runLimited } from '../../../src/extension/live/statusService';
import { silentLogger } from '../../../src/extension/log';

const SAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../samples/litware/lync-estate.yaml');
function sample(): Estate {
  const { estate } = parseEstate(fs.readFileSync(SAMPLE, 'utf8'), SAMPLE);
  assert.ok(estate);
  return estate;
}

const rs = (...rows: Record<string, unknown>[]): SqlResult => ({ recordsets: [rows], rowsAffected: [rows.length] });

/** A gateway answering like a healthy backup server; `behaviour[id]` overrides per instance. */
function fakeGateway(behaviour: Record<string, 'hang' | 'refused'>, calls: string[], active = { now: 0, max: 0 }): SqlGateway {
  return {
    async query(id: string, command: SqlCommand, options): Promise<SqlResult> {
      calls.push(`${id}: ${command.text.slice(0, 30)}`);
      active.now++;
      active.max = Math.max(active.max, active.now);
      try {
        if (behaviour[id] === 'hang') {
          await new Promise<void>((_, reject) => options?.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
        }
        if (behaviour[id] === 'refused') throw new ConnectionError(`Cannot connect to SQL instance '${id}': connection refused`, id, '127.0.0.1', 1, 'refused');
        await new Promise((r) => setTimeout(r, 5));
        if (command.text.includes('@@SERVERNAME')) return rs({ server_name: id.toUpperCase(), version: 'Microsoft SQL Server 2012\nmore' });
        if (command.text.includes('sys.databases')) return rs({ name: command.params.db?.value, state_desc: 'RESTORING', user_access_desc: 'MULTI_USER' });
        if (command.text.includes('database_mirroring')) return rs({ mirroring_guid: null });
        if (command.text.includes('log_shipping_secondary')) return rs({ primary_server: 'P', last_copied_file: 'a.trn', last_copied_date: new Date(0), last_restored_file: 'b.trn', last_restored_date: new Date(0) });
        if (command.text.includes('redo_start_lsn')) return rs({ redo_start_lsn: '34000000171300001' });
        return rs();
      } finally {
        active.now--;
      }
    },
    batch: () => Promise.reject(new Error('not used')),
    close: async () => undefined,
  };
}

function fakeShell(reply: (command: string) => unknown[] | Error, calls: string[]): ShellSession {
  return {
    run: () => Promise.reject(new Error('not used')),
    async runJson(command: PowerShellCommand) {
      calls.push(command);
      const r = reply(command);
      if (r instanceof Error) throw r;
      return r;
    },
    close: async () => undefined,
  };
}

function clients(sql: SqlGateway, shell: ShellSession | undefined, access: (id: string) => SqlAccess = () => ({ ok: true })): TargetClients {
  return {
    target: { kind: 'live' },
    sql,
    shell,
    prepareSql: async (id) => access(id),
    describeSql: () => undefined,
    describeShell: () => 'fake',
    dispose: async () => undefined,
  };
}

const pcState = (state: number | string) => () => [{ Identity: 'service:PersistentChatServer:atl-gc-001.litwareinc.com', PoolState: state }];

test('the plan of the sample: the four store instances with their databases and roles, and every pool', () => {
  const plan = livePlan(sample());
  assert.deepEqual(plan.sql.map((p) => [p.instanceId, p.databases.map((d) => `${d.db}:${d.roles.join('+')}`).join(' ')]), [
    ['atl-pcsql', 'mgc:primary mgccomp:primary'],
    ['atl-pcsqlm', 'mgc:mirror mgccomp:mirror'],
    ['dal-pcbak', 'mgc:backup mgccomp:backup'],
    ['dal-pcbakm', 'mgc:backupMirror mgccomp:backupMirror'],
  ]);
  assert.deepEqual(plan.pools.map((p) => `${p.kind}:${p.fqdn}`), ['front-end:atl-cs-001.litwareinc.com', 'front-end:dal-cs-001.litwareinc.com', 'persistent-chat:atl-gc-001.litwareinc.com']);
  const poolRef = { kind: 'pool', fqdn: 'ATL-GC-001.litwareinc.com', poolKind: 'persistent-chat', sqlInstanceIds: ['atl-pcsql', 'dal-pcbak'] } as const;
  const part = planScope(plan, scopeOfRef(poolRef));
  assert.deepEqual([part.sql.map((p) => p.instanceId), part.pools.map((p) => p.fqdn)], [['atl-pcsql', 'dal-pcbak'], ['atl-gc-001.litwareinc.com']]);
  const storeRef = { kind: 'store', instanceId: 'dal-pcbak', db: 'mgc', role: 'backup', poolFqdn: 'x' } as const;
  assert.deepEqual(planScope(plan, scopeOfRef(storeRef)).pools, []);
  assert.deepEqual(keysOfRef(storeRef), [sqlKey('dal-pcbak')]);
  // A pool row also shows what is down among its instances (the roll-up): their readings redraw it.
  assert.deepEqual(keysOfRef(poolRef), [poolKey('atl-gc-001.litwareinc.com'), sqlKey('atl-pcsql'), sqlKey('dal-pcbak')]);
});

test('a hanging server is down within the timeout and does not hold up the others', async () => {
  const calls: string[] = [];
  const shellCalls: string[] = [];
  const estate = sample();
  const service = new LiveStatusService({
    clients: () => clients(fakeGateway({ 'atl-pcsql': 'hang', 'atl-pcsqlm': 'refused' }, calls), fakeShell((c) => (c.includes('PersistentChat') ? pcState('FailedOver')() : [{ Identity: 'ConfServices.DataConf', ExportStatus: 'SteadyState', ImportStatus: 'NormalState' }]), shellCalls)),
    plan: () => livePlan(estate),
    timeoutMs: () => 300,
    log: silentLogger,
  });
  const fired: string[] = [];
  service.onDidChange((keys) => fired.push(...keys));
  const started = Date.now();
  const summary = await service.refresh();
  const elapsed = Date.now() - started;
  assert.ok(elapsed < 300 + 250, `took ${elapsed} ms with a 300 ms timeout`);
  assert.equal(summary.sql, 4);
  const hung = service.sqlEntry('atl-pcsql')?.last;
  assert.ok(hung?.status === 'failed' && hung.failure === 'timeout', JSON.stringify(hung));
  assert.match(hung.message, /0\.3 s/);
  const refused = service.sqlEntry('atl-pcsqlm')?.last;
  assert.ok(refused?.status === 'failed' && refused.failure === 'unreachable');
  const backup = service.sqlEntry('dal-pcbak')?.last;
  assert.ok(backup?.status === 'up', JSON.stringify(backup));
  assert.deepEqual(backup.databases.map((d) => [d.db, d.state, d.redoLsn, d.logShipping?.lastRestoredFile]), [
    ['mgc', 'RESTORING', '34000000171300001', 'b.trn'],
    ['mgccomp', 'RESTORING', '34000000171300001', 'b.trn'],
  ]);
  const pc = service.poolEntry('atl-gc-001.litwareinc.com')?.last;
  assert.ok(pc?.status === 'ok' && pc.kind === 'persistent-chat' && pc.poolState === 'FailedOver', 'PoolState read by name');
  assert.equal(shellCalls.length, 3);
  // Every key fired "reading" and then its result.
  assert.equal(fired.filter((k) => k === sqlKey('atl-pcsql')).length, 2);
  assert.equal(fired.filter((k) => k === poolKey('atl-gc-001.litwareinc.com')).length, 2);
});

test('bounded concurrency: at most `concurrency` SQL instances at a time', async () => {
  const active = { now: 0, max: 0 };
  const estate = sample();
  const service = new LiveStatusService({
    clients: () => clients(fakeGateway({}, [], active), undefined),
    plan: () => livePlan(estate),
    timeoutMs: () => 2000,
    concurrency: 2,
    log: silentLogger,
  });
  await service.refresh();
  assert.ok(active.max <= 2 && active.max >= 1, `max ${active.max}`);
  const pool = service.poolEntry('atl-cs-001.litwareinc.com')?.last;
  assert.ok(pool?.status === 'failed' && pool.failure === 'shell', 'no shell → every pool says so');
  let running = 0;
  let max = 0;
  await runLimited(Array.from({ length: 10 }, () => async () => {
    running++;
    max = Math.max(max, running);
    await new Promise((r) => setTimeout(r, 2));
    running--;
  }), 4);
  assert.equal(max, 4);
});

test('a shell that cannot start is tried once per refresh; unconfigured instances are not contacted', async () => {
  const calls: string[] = [];
  const shellCalls: string[] = [];
  const estate = sample();
  const service = new LiveStatusService({
    clients: () => clients(fakeGateway({}, calls), fakeShell(() => new ShellError("PowerShell not found: set lyncRecovery.shell.executable (tried 'pwsh').", 'PowerShell (pwsh)', 'not-found'), shellCalls), (id) =>
      id === 'dal-pcbak' ? { ok: true } : { ok: false, state: 'unconfigured', message: `No connection settings for ${id}` }),
    plan: () => livePlan(estate),
    timeoutMs: () => 1000,
    log: silentLogger,
  });
  await service.refresh();
  assert.equal(shellCalls.length, 1);
  for (const fqdn of ['atl-cs-001.litwareinc.com', 'dal-cs-001.litwareinc.com', 'atl-gc-001.litwareinc.com']) {
    const last = service.poolEntry(fqdn)?.last;
    assert.ok(last?.status === 'failed' && last.failure === 'shell' && /not found/.test(last.message), fqdn);
  }
  assert.deepEqual([...new Set(calls.map((c) => c.split(':')[0]))], ['dal-pcbak']);
  const other = service.sqlEntry('atl-pcsql')?.last;
  assert.ok(other?.status === 'failed' && other.failure === 'unconfigured');
});

test('refreshing one row reads only its targets; reset forgets readings and drops late results', async () => {
  const calls: string[] = [];
  const estate = sample();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const gateway = fakeGateway({}, calls);
  const slow: SqlGateway = { ...gateway, query: async (...args) => { await gate; return gateway.query(...args); } };
  const service = new LiveStatusService({ clients: () => clients(slow, undefined), plan: () => livePlan(estate), timeoutMs: () => 2000, log: silentLogger });
  const pending = service.refresh({ sql: ['dal-pcbak'] });
  assert.equal(service.sqlEntry('dal-pcbak')?.reading, true);
  assert.equal(service.sqlEntry('atl-pcsql'), undefined);
  service.reset();
  release();
  await pending;
  assert.equal(service.sqlEntry('dal-pcbak'), undefined, 'a result read for the old target is dropped');
  await service.refresh({ sql: ['dal-pcbak'] });
  assert.equal(service.sqlEntry('dal-pcbak')?.last?.status, 'up');
  assert.deepEqual([...new Set(calls.map((c) => c.split(':')[0]))], ['dal-pcbak']);
});

test('shell JSON: PoolState by name only (a 5.1 enum number is not guessed); Backup Service modules by name only', () => {
  // A number is not mapped through a guessed numbering (domain audit D7).
  assert.deepEqual(parsePoolState([{ Identity: 'x', PoolState: 0 }]), { poolState: 'unknown (0: not a name)', identity: 'x' });
  assert.deepEqual(parsePoolState([{ PoolState: 'FailedOver' }]), { poolState: 'FailedOver' });
  assert.throws(() => parsePoolState([]), /returned nothing/);
  // getBackupModuleStatus: one object per module, the enums cast to [string] in PowerShell.
  assert.deepEqual(parseBackupServiceStatus([{ Identity: 'ConfServices.DataConf', ExportStatus: 'ErrorState', ImportStatus: 'NormalState' }]), [
    { module: 'ConfServices.DataConf', exportStatus: 'ErrorState', importStatus: 'NormalState' },
  ]);
  // A number (undocumented numbering) is shown as such, never mapped to a name.
  assert.deepEqual(parseBackupServiceStatus([{ BackupModules: [{ Identity: 'ConfServices.DataConf', ExportStatus: 4, ImportStatus: 'NormalState' }] }]), [
    { module: 'ConfServices.DataConf', exportStatus: '#4 (unknown)', importStatus: 'NormalState' },
  ]);
  assert.throws(() => parseBackupServiceStatus([{}]), /no backup modules/);
});
