/** Scenarios, log shipping on the simulated clock, the LSN rules of RESTORE LOG, and the SQL-side faults' effects. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { FaultSet } from '../../../src/lab/faults';
import { applyScenario, LabModel, logBackupTime, readBackupFile, unreachableInstances } from '../../../src/lab/model';
import { connect, litwareEstate, makeModel, objects, START, tempRoot } from './fixtures';

const SHARE = '\\\\atl-fs-001.litwareinc.com\\pchat-logs';
const COPY = 'D:\\LogShipping\\mgc';

function folders(model: ReturnType<typeof makeModel>) {
  const link = model.logShipping[0]!;
  return { link, share: link.logBackupsIn(link.shareDir), copy: link.logBackupsIn(link.copyDir) };
}

test('steady: log shipping runs on the simulated clock; copy and restore trail the newest backup', (t) => {
  const model = makeModel(t, 'steady');
  const { link, share, copy } = folders(model);
  assert.equal(share.length, 12);
  assert.deepEqual([share[0], share.at(-1)], ['mgc_20240506070500.trn', 'mgc_20240506080000.trn']);
  assert.equal(copy.at(-1), 'mgc_20240506074500.trn');
  const secondary = model.instance('dal-pcbak')!;
  assert.equal(secondary.msdb.log_shipping_secondary_databases[0]!.last_restored_file, `${COPY}\\mgc_20240506073500.trn`);
  model.advance(30);
  assert.equal(folders(model).share.at(-1), 'mgc_20240506083000.trn');
  assert.equal(secondary.msdb.log_shipping_secondary[0]!.last_copied_file, `${COPY}\\mgc_20240506081500.trn`);
  assert.equal(secondary.msdb.log_shipping_monitor_secondary[0]!.last_restored_file, `${COPY}\\mgc_20240506080500.trn`);
  assert.equal(secondary.database('mgc')!.redoLsn, readBackupFile(`${link.copyDir}/mgc_20240506080500.trn`)[0]!.lastLsn);
  assert.ok(logBackupTime('mgc', 'mgc_20240506083000.trn')!.getTime() === Date.UTC(2024, 4, 6, 8, 30));
  assert.deepEqual(unreachableInstances(model, 'steady'), []);
});

test('pchat-dc-loss: primary and mirror dark, backup mgc RESTORING behind the newest log backup, uncopied files on the share', (t) => {
  const model = makeModel(t, 'pchat-dc-loss');
  assert.deepEqual(['atl-pcsql', 'atl-pcsqlm', 'dal-pcbak', 'dal-pcbakm', 'atl-sql'].map((id) => model.instanceReachable(id)), [false, false, true, true, true]);
  assert.equal(model.databaseState('dal-pcbak', 'mgc'), 'RESTORING');
  const { link, share, copy } = folders(model);
  const newest = readBackupFile(`${link.shareDir}/${share.at(-1)}`)[0]!;
  const redo = model.instance('dal-pcbak')!.database('mgc')!.redoLsn!;
  assert.ok(redo < newest.lastLsn, 'redo LSN behind the newest log backup');
  const lastCopied = model.instance('dal-pcbak')!.msdb.log_shipping_secondary[0]!.last_copied_file!.split('\\').pop()!;
  assert.deepEqual(share.filter((n) => n > lastCopied), ['mgc_20240506075000.trn', 'mgc_20240506075500.trn', 'mgc_20240506080000.trn']);
  assert.deepEqual(copy.filter((n) => n > 'mgc_20240506073500.trn'), ['mgc_20240506074000.trn', 'mgc_20240506074500.trn']);
  // The backup job stopped with the primary; the copy job (secondary data center) still runs.
  model.advance(15);
  assert.equal(folders(model).share.length, 12);
  assert.equal(model.mirroringStatus('dal-pcbak', 'mgc').role, null);
  assert.deepEqual(model.mirroringStatus('atl-pcsql', 'mgc'), { role: 'PRINCIPAL', state: 'DISCONNECTED', partner: 'atl-pcsqlm' });
});

test('pchat-dc-loss-after-mirror-failover: the mirror took over 10 minutes before the disaster and shipped the log backups since, to the same share, in one chain', (t) => {
  const model = makeModel(t, 'pchat-dc-loss-after-mirror-failover');
  assert.deepEqual(['atl-pcsql', 'atl-pcsqlm', 'dal-pcbak'].map((id) => model.instanceReachable(id)), [false, false, true]);
  assert.deepEqual(model.mirroringStatus('atl-pcsqlm', 'mgc'), { role: 'PRINCIPAL', state: 'DISCONNECTED', partner: 'atl-pcsql' });
  assert.equal(model.databaseState('atl-pcsql', 'mgc'), 'RESTORING');
  const { link, share } = folders(model);
  const sets = share.map((n) => ({ name: n, ...readBackupFile(`${link.shareDir}/${n}`)[0]! }));
  assert.deepEqual(sets.filter((x) => x.server === 'ATL-PCSQLM-001\\PCHAT').map((x) => x.name), ['mgc_20240506075500.trn', 'mgc_20240506080000.trn']);
  assert.deepEqual(new Set(sets.map((x) => x.server)), new Set(['ATL-PCSQL-001\\PCHAT', 'ATL-PCSQLM-001\\PCHAT']));
  for (let k = 1; k < sets.length; k++) assert.equal(sets[k]!.firstLsn, sets[k - 1]!.lastLsn, `${sets[k]!.name} continues ${sets[k - 1]!.name}`);
  assert.equal(new Set(sets.map((x) => x.recoveryForkId)).size, 1, 'one recovery fork');
  // The secondary still names the original primary (only the primary half of the script ran on the mirror).
  assert.equal(model.instance('dal-pcbak')!.msdb.log_shipping_secondary[0]!.primary_server, 'ATL-PCSQL-001\\PCHAT');
  assert.equal(model.instance('atl-pcsqlm')!.msdb.log_shipping_primary_databases[0]!.backup_share, SHARE);
});

test('pool-loss: the failed Front End pool\'s back end refuses connections', (t) => {
  const model = makeModel(t, 'pool-loss');
  assert.equal(model.instanceReachable('atl-sql'), false);
  assert.equal(model.instanceReachable('dal-sql'), true);
  assert.equal(model.databaseState('dal-sql', 'rtcxds'), 'ONLINE');
});

test('RESTORE LOG applies the chain in LSN order: 4326 too early, 4305 too recent, wrong backup kind, recovered database', async (t) => {
  const model = makeModel(t, 'pchat-dc-loss');
  const c = connect(model, 'dal-pcbak');
  const restore = async (file: string) => (await c.run(`RESTORE LOG mgc FROM DISK = N'${file}' WITH NORECOVERY`)).errors.map((e) => `${e.number} ${e.message}`);
  const early = await restore(`${COPY}\\mgc_20240506073500.trn`);
  assert.match(early[0]!, /^4326 The log in this backup set terminates at LSN \d+, which is too early to apply to the database\. A more recent log backup that includes LSN \d+ can be restored\.$/);
  assert.equal(early[1], '3013 RESTORE LOG is terminating abnormally.');
  const recent = await restore(`${SHARE}\\mgc_20240506075000.trn`);
  assert.match(recent[0]!, /^4305 The log in this backup set begins at LSN \d+, which is too recent to apply/);
  assert.deepEqual(await restore(`${COPY}\\mgc_20240506074000.trn`), []);
  assert.deepEqual(await restore(`${COPY}\\mgc_20240506074500.trn`), []);
  for (const f of ['075000', '075500', '080000']) assert.deepEqual(await restore(`${SHARE}\\mgc_20240506${f}.trn`), [], f);
  const h = objects(await c.run(`RESTORE HEADERONLY FROM DISK = N'${SHARE}\\mgc_20240506080000.trn'`))[0]!;
  const redo = objects(await c.run("SELECT CAST(redo_start_lsn AS varchar(30)) AS lsn FROM sys.master_files WHERE database_id = DB_ID('mgc') AND file_id = 1"))[0]!;
  assert.equal(redo.lsn, String(h.LastLSN));
  // A log of another database (mgccomp's backup written here) is refused.
  const other = `${SHARE}\\mgccomp.bak`;
  assert.deepEqual((await c.run(`BACKUP DATABASE mgccomp TO DISK = N'${other}'`)).errors, []);
  assert.deepEqual((await c.run(`RESTORE LOG mgc FROM DISK = N'${other}' WITH NORECOVERY`)).errors.map((e) => e.number), [3135, 3013]);
  assert.deepEqual((await c.run('RESTORE DATABASE mgc WITH RECOVERY')).errors, []);
  assert.deepEqual(await restore(`${SHARE}\\mgc_20240506080000.trn`), ['3117 The log or differential backup cannot be restored because no files are ready to rollforward.', '3013 RESTORE LOG is terminating abnormally.']);
});

test('error actions (domain reference §6.11): a failed RESTORE ends only its statement — the recovery later in the batch runs (D2)', async (t) => {
  const model = makeModel(t, 'pchat-dc-loss');
  const c = connect(model, 'dal-pcbak');
  // 074500 before 074000: too recent (4305) — and the batch goes on to the recovery, as SQL Server may.
  const r = await c.run(`RESTORE LOG mgc FROM DISK = N'${COPY}\\mgc_20240506074500.trn' WITH NORECOVERY;\nRESTORE DATABASE mgc WITH RECOVERY;`);
  assert.deepEqual(r.errors.map((e) => e.number), [4305, 3013]);
  assert.equal(model.databaseState('dal-pcbak', 'mgc'), 'ONLINE');
});

test('error actions: a conversion error or a failed USE ends the batch [assumption for USE, docs/lab-statements.md]', async (t) => {
  const model = makeModel(t, 'pchat-dc-loss');
  const c = connect(model, 'dal-pcbak');
  for (const sql of ["SELECT CAST(N'x' AS int) AS v; SELECT 1 AS after_error", 'USE nosuchdb; SELECT 1 AS after_error', 'USE mgc; SELECT 1 AS after_error']) {
    const r = await c.run(sql);
    assert.equal(r.errors.length, 1, sql);
    assert.equal(r.sets.length, 0, `${sql}: nothing after the error ran`);
  }
  const kill = await c.run('KILL 32000; SELECT 1 AS after_error');
  assert.deepEqual([kill.errors.map((e) => e.number), kill.sets.length], [[6106], 1], 'KILL of an inactive spid ends only its statement');
});

test('fault log-gap: the oldest uncopied log backup disappears; the chain stops with 4305', async (t) => {
  const model = makeModel(t, 'pchat-dc-loss', ['log-gap']);
  assert.ok(!folders(model).share.includes('mgc_20240506075000.trn'));
  const c = connect(model, 'dal-pcbak');
  for (const f of ['074000', '074500']) assert.deepEqual((await c.run(`RESTORE LOG mgc FROM DISK = N'${COPY}\\mgc_20240506${f}.trn' WITH NORECOVERY`)).errors, []);
  assert.deepEqual((await c.run(`RESTORE LOG mgc FROM DISK = N'${SHARE}\\mgc_20240506075500.trn' WITH NORECOVERY`)).errors.map((e) => e.number), [4305, 3013]);
});

test('fault log-corrupt: the newest uncopied log backup has a damaged header (3241)', async (t) => {
  const model = makeModel(t, 'pchat-dc-loss', ['log-corrupt']);
  const c = connect(model, 'dal-pcbak');
  const device = `${SHARE}\\mgc_20240506080000.trn`;
  const r = await c.run(`RESTORE HEADERONLY FROM DISK = N'${device}'`);
  assert.deepEqual(r.errors.map((e) => e.message), [`The media family on device '${device}' is incorrectly formed. SQL Server cannot process this media family.`, 'RESTORE HEADERONLY is terminating abnormally.']);
  assert.deepEqual((await c.run(`RESTORE LOG mgc FROM DISK = N'${device}' WITH NORECOVERY`)).errors.map((e) => e.number), [3241, 3013]);
});

test('fault share-unreachable: the share folder goes offline (error 53) and comes back when cleared', async (t) => {
  const model = makeModel(t, 'pchat-dc-loss');
  const { link } = folders(model);
  const c = connect(model, 'dal-pcbak');
  model.faults.arm('share-unreachable');
  assert.equal(fs.existsSync(link.shareDir), false);
  const r = await c.run(`RESTORE HEADERONLY FROM DISK = N'${SHARE}\\mgc_20240506080000.trn'`);
  assert.match(r.errors[0]!.message, /Operating system error 53\(The network path was not found\.\)\.$/);
  const copiedBefore = model.instance('dal-pcbak')!.msdb.log_shipping_secondary[0]!.last_copied_file;
  model.advance(15);
  assert.equal(model.instance('dal-pcbak')!.msdb.log_shipping_secondary[0]!.last_copied_file, copiedBefore, 'the copy job copies nothing');
  model.faults.clear('share-unreachable');
  assert.equal(folders(model).share.length, 12);
});

test('fault copy-disk-full: the copy job stops and BACKUP to a drive fails with 3202', async (t) => {
  const model = makeModel(t, 'steady', ['copy-disk-full']);
  const before = model.instance('dal-pcbak')!.msdb.log_shipping_secondary[0]!.last_copied_file;
  model.advance(20);
  assert.equal(model.instance('dal-pcbak')!.msdb.log_shipping_secondary[0]!.last_copied_file, before);
  const c = connect(model, 'dal-pcbak');
  const r = await c.run(`BACKUP DATABASE mgccomp TO DISK = N'${COPY}\\x.bak'`);
  assert.deepEqual(r.errors.map((e) => e.message), [`Write on "${COPY}\\x.bak" failed: 112(There is not enough space on the disk.)`, 'BACKUP DATABASE is terminating abnormally.']);
});

test('LabSqlSide: mirroring set-up and removal, database state, reachability', (t) => {
  const model = makeModel(t, 'pchat-dc-loss');
  assert.throws(() => model.setMirroring('dal-pcbak', 'mgc', 'dal-pcbakm'), /RESTORING/);
  model.instance('dal-pcbak')!.database('mgc')!.state = 'ONLINE';
  model.setMirroring('dal-pcbak', 'mgc', 'dal-pcbakm');
  assert.deepEqual(model.mirroringStatus('dal-pcbak', 'mgc'), { role: 'PRINCIPAL', state: 'SYNCHRONIZED', partner: 'dal-pcbakm' });
  assert.deepEqual(model.mirroringStatus('dal-pcbakm', 'mgc'), { role: 'MIRROR', state: 'SYNCHRONIZED', partner: 'dal-pcbak' });
  assert.equal(model.databaseState('dal-pcbakm', 'mgc'), 'RESTORING');
  model.setMirroring('dal-pcbak', 'mgc', null);
  assert.equal(model.mirroringStatus('dal-pcbakm', 'mgc').role, null);
  assert.equal(model.databaseState('dal-pcbak', 'nope'), undefined);
  assert.throws(() => model.instanceReachable('nope'), /unknown SQL instance/);
});

test('retention (L4): the backup job prunes the share on backup_retention_period, the secondary its copy folder on file_retention_period', (t) => {
  const model = new LabModel({ estate: litwareEstate(), root: tempRoot(t), faults: new FaultSet(), start: START, timing: { backupRetentionMinutes: 30, fileRetentionMinutes: 20 } });
  applyScenario(model, 'steady');
  const secondary = model.instance('dal-pcbak')!;
  assert.equal(model.instance('atl-pcsql')!.msdb.log_shipping_primary_databases[0]!.backup_retention_period, 30);
  assert.equal(secondary.msdb.log_shipping_secondary[0]!.file_retention_period, 20);
  const seen: string[] = [];
  for (const minutes of [0, 30]) {
    model.advance(minutes);
    const now = model.now().getTime();
    const { share, copy } = folders(model);
    const age = (name: string) => (now - logBackupTime('mgc', name)!.getTime()) / 60_000;
    const restored = secondary.msdb.log_shipping_secondary_databases[0]!.last_restored_file!.split('\\').pop()!;
    assert.ok(share.length > 0 && share.every((n) => age(n) <= 30), `share: ${share.join(', ')}`);
    assert.equal(age(share[0]!), 30, 'the share keeps exactly its retention period');
    assert.ok(copy.every((n) => age(n) <= 20 || n > restored), `copy folder: ${copy.join(', ')} (restored up to ${restored})`);
    // Only restored files go: the folders now differ, and the restore job keeps going.
    assert.ok(copy.some((n) => !share.includes(n)) || share.some((n) => !copy.includes(n)));
    seen.push(restored);
  }
  assert.ok(seen[1]! > seen[0]!, `the restore job keeps going: ${seen.join(' → ')}`);
});
