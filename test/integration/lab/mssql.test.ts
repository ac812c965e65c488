/** The real mssql (tedious 19.2.2) against the lab's TDS server over 127.0.0.1. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { test } from 'node:test';
import sql from 'mssql';
import { createLabCertificate } from '../../../src/lab/tds/certificate';
import { openPool, poolConfig, testLab } from './lab-fixture';

const COPY = 'D:\\LogShipping\\mgc';
const NEXT_LOG = `RESTORE LOG mgc FROM DISK = N'${COPY}\\mgc_20240506074000.trn' WITH NORECOVERY`;
const REDO = "SELECT CAST(redo_start_lsn AS varchar(30)) AS lsn FROM sys.master_files WHERE database_id = DB_ID(N'mgc') AND file_id = 1";

test('plain and TLS connections; TLS verifies the server against the lab CA', async (t) => {
  const lab = await testLab(t);
  for (const encrypt of [false, true]) {
    const pool = await openPool(t, lab, 'dal-pcbak', { encrypt });
    const r = await pool.request().query("SELECT name, state_desc FROM sys.databases WHERE name = N'mgc'");
    assert.deepEqual(r.recordset, [{ name: 'mgc', state_desc: 'RESTORING' }]);
    const b = await pool.request().batch('select @@servername as s');
    assert.deepEqual(b.recordset, [{ s: 'DAL-PCBAK-001\\PCHAT' }]);
  }
  // Another CA: the certificate is not trusted, so the connection fails.
  const stranger = (await createLabCertificate([])).caPem;
  await assert.rejects(new sql.ConnectionPool(poolConfig(lab, 'dal-pcbak', { encrypt: true, ca: stranger })).connect(), (e: Error & { code?: string }) => e.code === 'ESOCKET');
});

test('parameters of every type the product uses come back intact', async (t) => {
  const lab = await testLab(t);
  const pool = await openPool(t, lab, 'dal-pcbak');
  const long = 'y'.repeat(9000);
  const r = await pool.request()
    .input('s', sql.NVarChar(128), 'mgc ü')
    .input('max', sql.NVarChar(sql.MAX), long)
    .input('vc', sql.VarChar(50), 'ascii')
    .input('i', sql.Int, -123456)
    .input('big', sql.BigInt, '9007199254740993')
    .input('b', sql.Bit, true)
    .input('d', sql.DateTime, new Date('2024-05-06T07:08:09.123Z'))
    .input('d2', sql.DateTime2(7), new Date('2024-05-06T07:08:09.123Z'))
    .input('dec', sql.Decimal(18, 2), '1234.50')
    .input('g', sql.UniqueIdentifier, '6F9619FF-8B86-D011-B42D-00C04FC964FF')
    .input('vb', sql.VarBinary(sql.MAX), Buffer.alloc(9000, 7))
    .input('nul', sql.NVarChar(10), null)
    .query('SELECT @s AS s, @max AS max, @vc AS vc, @i AS i, @big AS big, @b AS b, @d AS d, @d2 AS d2, @dec AS dec, @g AS g, @vb AS vb, @nul AS nul, CAST(@big AS varchar(30)) AS bigText');
  const row = r.recordset[0];
  assert.equal(row.s, 'mgc ü');
  assert.equal(row.max, long);
  assert.equal(row.vc, 'ascii');
  assert.equal(row.i, -123456);
  assert.equal(row.big, '9007199254740993');
  assert.equal(row.bigText, '9007199254740993');
  assert.equal(row.b, true);
  assert.equal((row.d as Date).toISOString(), '2024-05-06T07:08:09.123Z');
  assert.equal((row.d2 as Date).toISOString(), '2024-05-06T07:08:09.123Z');
  assert.equal(row.dec, 1234.5);
  assert.equal(row.g, '6F9619FF-8B86-D011-B42D-00C04FC964FF');
  assert.deepEqual(row.vb, Buffer.alloc(9000, 7));
  assert.equal(row.nul, null);
  const found = await pool.request().input('db', sql.NVarChar(128), 'MGC').query('SELECT name FROM sys.databases WHERE name = @db');
  assert.deepEqual(found.recordset, [{ name: 'mgc' }]);
});

test('several result sets, LSNs as varchar strings, a procedure by RPC', async (t) => {
  const lab = await testLab(t);
  const pool = await openPool(t, lab, 'dal-pcbak');
  const r = await pool.request().query(`SELECT 1 AS one; ${REDO}; SELECT name FROM sys.databases WHERE database_id < 3 ORDER BY database_id`);
  const sets = r.recordsets as sql.IRecordSet<Record<string, unknown>>[];
  assert.equal(sets.length, 3);
  assert.deepEqual([...sets[0]!], [{ one: 1 }]);
  assert.match(String(sets[1]![0]!.lsn), /^\d{17}$/);
  assert.deepEqual([...sets[2]!], [{ name: 'master' }, { name: 'tempdb' }]);
  const who = await pool.request().input('loginame', sql.NVarChar(128), 'active').execute('sp_who2');
  assert.ok(who.recordset.some((row: { Login: string }) => row.Login === 'lab'));
  await assert.rejects(pool.request().query('SELECT * FROM dbo.nope'), (e: Error & { number?: number; class?: number }) => e.number === 208 && e.class === 16 && e.message === "Invalid object name 'dbo.nope'.");
});

test('RESTORE streams INFO progress before it ends', async (t) => {
  const lab = await testLab(t, { progressDelayMs: 10 });
  const pool = await openPool(t, lab, 'dal-pcbak');
  const req = pool.request();
  const seen: { at: number; message: string }[] = [];
  req.on('info', (m: { message: string }) => seen.push({ at: performance.now(), message: m.message }));
  await req.batch(NEXT_LOG);
  const end = performance.now();
  assert.equal(seen[0]!.message, '5 percent processed.');
  assert.match(seen.at(-1)!.message, /^RESTORE LOG successfully processed/);
  assert.ok(end - seen[0]!.at >= 100, `first progress message arrived ${(end - seen[0]!.at).toFixed(0)} ms before the end`);
});

test('cancel mid-RESTORE: acknowledged, nothing applied, the connection stays usable', async (t) => {
  const lab = await testLab(t, { progressDelayMs: 50 });
  const pool = await openPool(t, lab, 'dal-pcbak', { max: 1 });
  const before = (await pool.request().query(REDO)).recordset[0].lsn;
  const req = pool.request();
  req.on('info', () => req.cancel());
  await assert.rejects(req.batch(NEXT_LOG), (e: Error & { code?: string }) => e.code === 'ECANCEL');
  const after = await pool.request().query(REDO);
  assert.equal(after.recordset[0].lsn, before);
  const applied = await pool.request().batch(NEXT_LOG);
  assert.equal(applied.rowsAffected.length >= 0, true);
  assert.notEqual((await pool.request().query(REDO)).recordset[0].lsn, before);
});

test('login failure is 18456; the sql-login-fails fault fails every login until cleared', async (t) => {
  const lab = await testLab(t);
  const loginError = (e: Error & { code?: string }) => e.code === 'ELOGIN' && e.message === "Login failed for user 'lab'.";
  await assert.rejects(new sql.ConnectionPool(poolConfig(lab, 'dal-pcbak', { password: 'wrong' })).connect(), loginError);
  lab.faults.arm('sql-login-fails');
  await assert.rejects(new sql.ConnectionPool(poolConfig(lab, 'dal-pcbak')).connect(), loginError);
  lab.faults.clear('sql-login-fails');
  await openPool(t, lab, 'dal-pcbak');
});

test('transactions: begin/commit and begin/rollback are answered', async (t) => {
  const lab = await testLab(t);
  const pool = await openPool(t, lab, 'dal-pcbak');
  for (const end of ['commit', 'rollback'] as const) {
    const tx = new sql.Transaction(pool);
    await tx.begin();
    const r = await new sql.Request(tx).query('SELECT @@TRANCOUNT AS n');
    assert.deepEqual(r.recordset, [{ n: 1 }]);
    await tx[end]();
  }
  assert.deepEqual((await pool.request().query('SELECT @@TRANCOUNT AS n')).recordset, [{ n: 0 }]);
});

test('fault sql-disconnect-during-restore: the socket closes mid-RESTORE, nothing is applied; cleared, the restore succeeds', async (t) => {
  const lab = await testLab(t, { faults: ['sql-disconnect-during-restore'] });
  const pool = await openPool(t, lab, 'dal-pcbak');
  const before = (await pool.request().query(REDO)).recordset[0].lsn;
  const infos: string[] = [];
  const req = pool.request();
  req.on('info', (m: { message: string }) => infos.push(m.message));
  await assert.rejects(req.batch(NEXT_LOG), /socket hang up|Connection lost/);
  assert.ok(infos.includes('50 percent processed.') && !infos.includes('55 percent processed.'));
  lab.faults.clear('sql-disconnect-during-restore');
  const again = await openPool(t, lab, 'dal-pcbak');
  assert.equal((await again.request().query(REDO)).recordset[0].lsn, before);
  await again.request().batch(NEXT_LOG);
});

test('an instance the scenario took down refuses connections; KILL closes a real connection', async (t) => {
  const lab = await testLab(t);
  assert.equal(lab.info.instances['atl-pcsql']!.reachable, false);
  await assert.rejects(new sql.ConnectionPool(poolConfig(lab, 'atl-pcsql')).connect(), (e: Error & { code?: string }) => e.code === 'ESOCKET');
  const refused = net.connect(lab.info.instances['atl-pcsql']!.port, '127.0.0.1');
  const [error] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
  assert.equal(error.code, 'ECONNREFUSED');
  const victim = new sql.ConnectionPool(poolConfig(lab, 'dal-pcbak'));
  victim.on('error', () => undefined);
  await victim.connect();
  const spid = (await victim.request().query('SELECT @@SPID AS spid')).recordset[0].spid;
  const admin = await openPool(t, lab, 'dal-pcbak');
  await admin.request().batch(`KILL ${spid}`);
  const sessions = await admin.request().input('spid', sql.Int, spid).query('SELECT session_id FROM sys.dm_exec_sessions WHERE session_id = @spid');
  assert.deepEqual(sessions.recordset, []);
  // The pool notices the closed connection and opens another one: a new session.
  assert.notEqual((await victim.request().query('SELECT @@SPID AS spid')).recordset[0].spid, undefined);
  await victim.close();
  lab.model.setReachable('atl-pcsql', true);
  const back = await openPool(t, lab, 'atl-pcsql');
  assert.deepEqual((await back.request().query('SELECT @@SERVERNAME AS s')).recordset, [{ s: 'ATL-PCSQL-001\\PCHAT' }]);
});
