import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MssqlGateway } from '../../../src/adapters/sql/gateway';
import * as tsql from '../../../src/core/commands/tsql';
import { parseDatabaseName, parseFilePath } from '../../../src/core/commands/values';
import { CancelledError, ConnectionError, SqlError, SqlLoginError, TimeoutError } from '../../../src/core/recovery/ports';
import { readBackupFile } from '../../../src/lab/model';
import { classifyError } from '../../../src/extension/live/readings';
import { createLabCertificate } from '../../../src/lab/tds/certificate';
import type { Lab } from '../../../src/lab/lab';
import { recordingLog, sqlSettings, startSampleLab } from './lab-fixture';

const BACKUP = 'dal-pcbak';
const mgc = parseDatabaseName('mgc');

describe('MssqlGateway against the lab (real mssql/tedious)', () => {
  let lab: Lab;
  let gateway: MssqlGateway;
  const log = recordingLog();
  const errors: Error[] = [];
  const expectError = async <T extends Error>(p: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> => {
    const e = await p.then(() => assert.fail('no error'), (x: unknown) => x);
    assert.ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
    errors.push(e);
    return e;
  };
  /** The log backup in the copy folder that applies at the database's redo point (read through the gateway). */
  const nextLogBackup = async () => {
    const [redo] = (await gateway.query(BACKUP, tsql.redoLsn(mgc))).recordsets[0]!;
    const at = BigInt(String(redo!.redo_start_lsn));
    const link = lab.model.logShipping[0]!;
    const next = link.logBackupsIn(link.copyDir).find((name) => {
      const [set] = readBackupFile(path.join(link.copyDir, name));
      return set!.firstLsn <= at && at < set!.lastLsn;
    });
    assert.ok(next, 'a log backup to apply is in the copy folder');
    return parseFilePath(`D:\\LogShipping\\mgc\\${next}`);
  };
  const restores = () => lab.model.instances.get(BACKUP)!.msdb.restorehistory.length;

  before(async () => {
    lab = await startSampleLab();
    gateway = new MssqlGateway({ settings: sqlSettings(lab), log });
  });
  after(async () => {
    await gateway.close();
    await lab.stop();
  });

  it('runs a parameterised query over verified TLS', async () => {
    const { recordsets } = await gateway.query(BACKUP, tsql.databaseState(mgc));
    assert.deepEqual(recordsets[0]!.map((r) => [r.name, r.state_desc]), [['mgc', 'RESTORING']]);
    const none = await gateway.query(BACKUP, tsql.databaseState(parseDatabaseName('nosuch')));
    assert.equal(none.recordsets[0]!.length, 0);
    const [redo] = (await gateway.query(BACKUP, tsql.redoLsn(mgc))).recordsets[0]!;
    assert.match(String(redo!.redo_start_lsn), /^\d{17,}$/, 'LSNs come back as exact strings');
  });

  it('runs a script batch by batch on GO', async () => {
    const result = await gateway.batch(BACKUP, "SELECT 1 AS a;\nGO\nSELECT N'x' AS b;\n");
    assert.deepEqual(result.recordsets, [[{ a: 1 }], [{ b: 'x' }]]);
  });

  it('streams RESTORE progress (INFO) before the restore completes', async () => {
    const file = await nextLogBackup();
    const before = restores();
    const progress: { message: string; restoresSoFar: number }[] = [];
    await gateway.query(BACKUP, tsql.restoreLog(mgc, file), { onInfo: (message) => progress.push({ message, restoresSoFar: restores() }) });
    assert.ok(progress.some((p) => /\d+ percent processed/.test(p.message)), JSON.stringify(progress));
    assert.equal(progress[0]!.restoresSoFar, before, 'the first progress message arrived while the restore was still running');
    assert.equal(restores(), before + 1);
  });

  it('cancels a RESTORE mid-way, and the pool still works', async () => {
    const file = await nextLogBackup();
    const controller = new AbortController();
    const cancelled = gateway.query(BACKUP, tsql.restoreLog(mgc, file), { signal: controller.signal, onInfo: () => controller.abort() });
    const e = await expectError(cancelled, CancelledError);
    assert.match(e.message, /dal-pcbak/);
    const { recordsets } = await gateway.query(BACKUP, tsql.serverIdentity());
    assert.equal(recordsets[0]![0]!.server_name, 'DAL-PCBAK-001\\PCHAT');
  });

  it('times out a slow statement as TimeoutError; the pool still works', async () => {
    const file = await nextLogBackup();
    const e = await expectError(gateway.query(BACKUP, tsql.restoreLog(mgc, file), { timeoutMs: 30 }), TimeoutError);
    assert.equal(e.timeoutMs, 30);
    assert.equal(e.outcomeUnknown, true, 'the RESTORE had been sent: it may or may not have taken effect');
    assert.equal((await gateway.query(BACKUP, tsql.serverIdentity())).recordsets[0]!.length, 1);
  });

  it('maps SQL Server errors with their number', async () => {
    const e = await expectError(gateway.batch(BACKUP, 'SELEKT 1;'), SqlError);
    assert.ok(e.number > 0);
    assert.equal(e.outcomeUnknown, false, 'the server answered');
    assert.equal(e.instanceId, BACKUP);
  });

  it('maps a refused login to SqlLoginError, and recovers once the login works again', async () => {
    const fresh = new MssqlGateway({ settings: sqlSettings(lab), log });
    try {
      lab.faults.arm('sql-login-fails');
      const e = await expectError(fresh.query(BACKUP, tsql.serverIdentity()), SqlLoginError);
      assert.equal(e.number, 18456);
      assert.equal(e.class, 14);
      assert.match(e.message, /Check the user and password settings/);
      assert.equal(e.outcomeUnknown, false, 'nothing was sent');
      lab.faults.clear('sql-login-fails');
      assert.equal((await fresh.query(BACKUP, tsql.serverIdentity())).recordsets[0]!.length, 1);
    } finally {
      lab.faults.clear('sql-login-fails');
      await fresh.close();
    }
  });

  it('names the instance, host and port when nothing listens', async () => {
    const down = lab.info.instances['atl-pcsql']!;
    assert.equal(down.reachable, false);
    const e = await expectError(gateway.query('atl-pcsql', tsql.serverIdentity()), ConnectionError);
    assert.equal(e.failure, 'refused');
    assert.equal(e.outcomeUnknown, false, 'nothing was sent');
    assert.equal(e.port, down.port);
    assert.ok(e.message.includes(`'atl-pcsql' (127.0.0.1:${down.port})`), e.message);
  });

  it('reports a connection dropped during RESTORE, then reconnects', async () => {
    const file = await nextLogBackup();
    lab.faults.arm('sql-disconnect-during-restore');
    try {
      const e = await expectError(gateway.query(BACKUP, tsql.restoreLog(mgc, file)), ConnectionError);
      assert.equal(e.failure, 'closed');
      assert.equal(e.outcomeUnknown, true);
      assert.match(e.message, /may or may not have completed/);
    } finally {
      lab.faults.clear('sql-disconnect-during-restore');
    }
    assert.equal((await gateway.query(BACKUP, tsql.databaseState(mgc))).recordsets[0]![0]!.state_desc, 'RESTORING');
  });

  it('verifies the server certificate: another CA, or none, is refused', async () => {
    const otherCa = (await createLabCertificate(['localhost'])).caPem;
    for (const caPem of [otherCa, undefined]) {
      const strict = new MssqlGateway({ settings: sqlSettings(lab, { caPem }), log });
      try {
        const e = await expectError(strict.query(BACKUP, tsql.serverIdentity()), ConnectionError);
        assert.equal(e.failure, 'tls', e.message);
        assert.equal(e.outcomeUnknown, false);
      } finally {
        await strict.close();
      }
    }
  });

  it('names a TLS handshake failure against a server without TLS 1.2 as such (fault sql-no-tls12, R8)', async () => {
    lab.faults.arm('sql-no-tls12');
    const old = new MssqlGateway({ settings: sqlSettings(lab), log });
    try {
      const e = await expectError(old.query(BACKUP, tsql.serverIdentity()), ConnectionError);
      assert.equal(e.failure, 'tls', e.message);
      assert.match(e.message, /TLS handshake failed: the server offers no TLS version this client accepts .*KB 3135244/);
      // What "Test Connections" shows for the instance.
      assert.deepEqual(classifyError(e, 5000), { failure: 'tls', message: e.message });
    } finally {
      lab.faults.clear('sql-no-tls12');
      await old.close();
    }
  });

  it('never puts a password in an error message or a log line', () => {
    const password = lab.info.instances[BACKUP]!.password;
    assert.ok(errors.length >= 8, `${errors.length} errors seen`);
    for (const e of errors) assert.ok(!e.message.includes(password), e.message);
    assert.ok(log.lines.length > 0);
    for (const line of log.lines) assert.ok(!line.includes(password), line);
    assert.ok(log.lines.some((l) => l.includes('SqlLoginError')), 'refused logins are logged (without the password)');
  });
});
