/**
 * tsql.restoreHeaderOnly through the real mssql (tedious) against the lab: the LSNs arrive as the
 * exact decimal text of the lab's backup headers — digits beyond 2^53 intact — where the plain
 * RESTORE HEADERONLY hands them over as rounded JS numbers; a temp table of another SQL Server
 * version's shape fails with Msg 213, as on a real server.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type sql from 'mssql';
import { parseFilePath, tsql } from '../../../src/core/commands';
import { readBackupFile, writeBackupFile, type BackupSetHeader } from '../../../src/lab/model/backup-file';
import { makeLsn } from '../../../src/lab/model/lsn';
import { deviceFile } from '../../../src/lab/model/operations';
import { openPool, testLab } from './lab-fixture';

const COPY = 'D:\\LogShipping\\mgc';
const LOG = `${COPY}\\mgc_20240506074000.trn`;
const LSN_COLUMNS = ['FirstLSN', 'LastLSN', 'CheckpointLSN', 'DatabaseBackupLSN', 'ForkPointLSN', 'DifferentialBaseLSN'] as const;

/** What a JS number makes of an LSN. */
const asDouble = (lsn: bigint): bigint => BigInt(Number(lsn));

interface MssqlError extends Error {
  readonly number?: number;
  readonly class?: number;
  readonly precedingErrors?: MssqlError[];
}
/** Every server message mssql attached to a failed request, in order. */
const serverErrors = (e: MssqlError): { number?: number; class?: number; message: string }[] => [...(e.precedingErrors ?? []), e].map((x) => ({ number: x.number, class: x.class, message: x.message }));

async function majorVersion(pool: sql.ConnectionPool): Promise<number> {
  const identity = (await pool.request().query(tsql.serverIdentity().text)).recordset[0];
  assert.equal(identity.product_version, '11.0.7001.0');
  assert.match(identity.version, /11\.0\.7001\.0/);
  return tsql.majorVersionOf(identity.product_version);
}

test('restoreHeaderOnly: the LSNs as exact strings, equal to the lab\'s true LSNs', async (t) => {
  const lab = await testLab(t);
  const pool = await openPool(t, lab, 'dal-pcbak');
  const version = await majorVersion(pool);
  assert.equal(version, 11);

  const instance = lab.model.instance('dal-pcbak')!;
  const where = deviceFile(lab.model, instance, LOG, 'read');
  assert.ok('file' in where);
  const [truth] = readBackupFile(where.file);
  // The file chosen holds LSNs a double cannot represent.
  assert.notEqual(asDouble(truth!.firstLsn), truth!.firstLsn);
  assert.notEqual(asDouble(truth!.lastLsn), truth!.lastLsn);

  // The problem: the plain statement's numeric(25,0) columns arrive as rounded JS numbers.
  const plain = (await pool.request().query(`RESTORE HEADERONLY FROM DISK = N'${LOG}'`)).recordset[0];
  assert.equal(typeof plain.FirstLSN, 'number');
  assert.notEqual(BigInt(plain.FirstLSN as number), truth!.firstLsn);

  // The fix.
  const r = await pool.request().query(tsql.restoreHeaderOnly(parseFilePath(LOG), { majorVersion: version }).text);
  assert.equal(r.recordsets.length, 1, 'one result set');
  assert.equal(r.recordset.length, 1);
  const row = r.recordset[0];
  assert.equal(row.FirstLSN, truth!.firstLsn.toString());
  assert.equal(row.LastLSN, truth!.lastLsn.toString());
  assert.equal(row.CheckpointLSN, truth!.checkpointLsn.toString());
  assert.equal(row.DatabaseBackupLSN, truth!.databaseBackupLsn.toString());
  assert.equal(row.ForkPointLSN, null);
  assert.equal(row.DifferentialBaseLSN, null);
  for (const c of LSN_COLUMNS) assert.ok(row[c] === null || typeof row[c] === 'string', c);
  // The other columns keep their types and names.
  assert.equal(row.Position, 1);
  assert.equal(row.BackupType, 2);
  assert.equal(row.DatabaseName, 'mgc');
  assert.equal(row.ServerName, 'ATL-PCSQL-001\\PCHAT');
  assert.equal(row.FirstRecoveryForkID, truth!.recoveryForkId.toUpperCase());
  assert.equal(row.IsDamaged, false);
  assert.ok(row.BackupFinishDate instanceof Date);
});

test('restoreHeaderOnly: an arranged file, two backup sets at LSNs 2^53 + 1 and 10^25 - 1, in Position order', async (t) => {
  const lab = await testLab(t);
  const pool = await openPool(t, lab, 'dal-pcbak');
  const instance = lab.model.instance('dal-pcbak')!;
  const source = deviceFile(lab.model, instance, LOG, 'read');
  assert.ok('file' in source);
  const [template] = readBackupFile(source.file);
  const arranged = `${COPY}\\mgc_lsn_edges.trn`;
  const target = deviceFile(lab.model, instance, arranged, 'write');
  assert.ok('file' in target);
  const top = 10n ** 25n - 1n;
  const sets: BackupSetHeader[] = [
    { ...template!, firstLsn: 2n ** 53n + 1n, lastLsn: 2n ** 53n + 3n, checkpointLsn: 2n ** 53n + 1n, databaseBackupLsn: makeLsn(34, 416, 1) },
    { ...template!, firstLsn: top - 2n, lastLsn: top, checkpointLsn: top - 1n, databaseBackupLsn: makeLsn(34, 416, 1) },
  ];
  writeBackupFile(target.file, sets, 'init');

  const r = await pool.request().query(tsql.restoreHeaderOnly(parseFilePath(arranged), { majorVersion: 11 }).text);
  assert.deepEqual(
    r.recordset.map((row: Record<string, unknown>) => [row.Position, row.FirstLSN, row.LastLSN, row.CheckpointLSN, row.DatabaseBackupLSN]),
    [
      [1, '9007199254740993', '9007199254740995', '9007199254740993', '34000000041600001'],
      [2, '9999999999999999999999997', '9999999999999999999999999', '9999999999999999999999998', '34000000041600001'],
    ],
  );
  // As numbers, 2^53 + 1 and 2^53 would be one value; as text they stay apart.
  assert.equal(BigInt(r.recordset[0].FirstLSN as string), 2n ** 53n + 1n);
});

test('restoreHeaderOnly: a temp table of another version\'s shape fails with Msg 213; the connection stays usable', async (t) => {
  const lab = await testLab(t);
  const pool = await openPool(t, lab, 'dal-pcbak', { max: 1 });
  const file = parseFilePath(LOG);
  for (const wrong of [10, 12, 13, 14, 15, 16]) {
    await assert.rejects(pool.request().query(tsql.restoreHeaderOnly(file, { majorVersion: wrong }).text), (e: MssqlError) => {
      assert.deepEqual(serverErrors(e), [
        { number: 213, class: 16, message: 'Column name or number of supplied values does not match table definition.' },
        { number: 3013, class: 16, message: 'RESTORE HEADERONLY is terminating abnormally.' },
      ], `majorVersion ${wrong}`);
      return true;
    });
  }
  // The default (SQL Server 2014) is not the lab's version either.
  await assert.rejects(pool.request().query(tsql.restoreHeaderOnly(file).text), (e: MssqlError) => serverErrors(e)[0]!.number === 213);
  // Same connection: no #headers left behind (no Msg 2714), the right version works.
  const ok = await pool.request().query(tsql.restoreHeaderOnly(file, { majorVersion: 11 }).text);
  assert.equal(ok.recordset.length, 1);
  // Run as a plain batch (no sp_executesql scope) it cleans up after itself as well.
  await pool.request().batch(tsql.restoreHeaderOnly(file, { majorVersion: 11 }).text);
  assert.equal((await pool.request().batch(tsql.restoreHeaderOnly(file, { majorVersion: 11 }).text)).recordset.length, 1);
});
