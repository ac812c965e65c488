import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { FAULTS, FaultSet } from '../../../src/lab/faults';
import { BackupFileDamaged, damageBackupFile, type BackupSetHeader, readBackupFile, writeBackupFile } from '../../../src/lab/model/backup-file';
import { advanceLsn, formatLsn, makeLsn, parseLsn } from '../../../src/lab/model/lsn';
import { labPathFor, parseWindowsPath } from '../../../src/lab/model/paths';
import { tempRoot } from './fixtures';

test('LSNs are exact bigints beyond 2^53 in SQL Server decimal form', () => {
  const lsn = makeLsn(34, 416, 1);
  assert.equal(formatLsn(lsn), '34000000041600001');
  assert.ok(lsn > BigInt(Number.MAX_SAFE_INTEGER));
  assert.equal(formatLsn(advanceLsn(lsn, 37)), '34000000045300001');
  assert.equal(formatLsn(advanceLsn(makeLsn(34, 999_990, 7), 20)), '35000000001100001');
  assert.equal(parseLsn('34000000041600001'), 34000000041600001n);
  assert.throws(() => parseLsn('34e15'));
});

test('labPathFor maps UNC shares and drive paths under the lab root, case-insensitively', () => {
  const root = '/lab';
  assert.equal(labPathFor('\\\\ATL-FS-001.litwareinc.com\\PChat-Logs\\mgc_1.trn', { root }), path.join(root, 'shares', 'atl-fs-001.litwareinc.com', 'pchat-logs', 'mgc_1.trn'));
  assert.equal(labPathFor('D:\\LogShipping\\MGC', { root, server: 'DAL-PCBAK-001.litwareinc.com' }), path.join(root, 'drives', 'dal-pcbak-001.litwareinc.com', 'D', 'logshipping', 'mgc'));
  assert.equal(labPathFor('d:/LogShipping/mgc/', { root, server: 'x' }), path.join(root, 'drives', 'x', 'D', 'logshipping', 'mgc'));
  assert.throws(() => labPathFor('D:\\x', { root }), /needs the server/);
  assert.throws(() => labPathFor('relative\\x', { root }), /not an absolute Windows path/);
  assert.throws(() => labPathFor('\\\\h\\s\\..\\..\\etc', { root }), /'\.\.' is not allowed/);
  assert.deepEqual(parseWindowsPath('\\\\h\\s').segments, []);
});

test('backup files round-trip their headers; a damaged header fails to read', (t) => {
  const dir = tempRoot(t);
  const file = path.join(dir, 'mgc_1.trn');
  const header: BackupSetHeader = {
    type: 'L', database: 'mgc', server: 'ATL\\PCHAT', machine: 'ATL', recoveryForkId: 'F', firstLsn: 34000000041600001n, lastLsn: 34000000045300001n,
    checkpointLsn: 34000000041600001n, databaseBackupLsn: 34000000001000001n, backupStart: new Date('2024-05-06T07:05:00Z'),
    backupFinish: new Date('2024-05-06T07:05:02Z'), backupSetGuid: 'G', familyGuid: 'B', bindingId: 'B', recoveryModel: 'FULL', pages: 8,
  };
  writeBackupFile(file, [header], 'init');
  assert.deepEqual(readBackupFile(file), [header]);
  writeBackupFile(file, [{ ...header, type: 'D' }], 'append');
  assert.deepEqual(readBackupFile(file).map((h) => h.type), ['L', 'D']);
  assert.ok(fs.statSync(file).size > 16 * 512, 'padding gives the file a realistic size');
  damageBackupFile(file);
  assert.throws(() => readBackupFile(file), BackupFileDamaged);
});

test('FaultSet arms, clears and reports changes; unknown names are refused', () => {
  const faults = new FaultSet(['log-gap']);
  const seen: string[] = [];
  faults.on('change', (c) => seen.push(`${c.name}:${c.armed}`));
  assert.ok(faults.has('log-gap'));
  faults.arm('pwsh-crash');
  faults.arm('pwsh-crash');
  faults.clear('log-gap');
  faults.clearAll();
  assert.deepEqual(seen, ['pwsh-crash:true', 'log-gap:false', 'pwsh-crash:false']);
  assert.deepEqual(faults.armed, []);
  assert.throws(() => faults.arm('sql-explodes'), /unknown fault 'sql-explodes'/);
  assert.equal(FAULTS.length, 11);
  assert.deepEqual(FAULTS.filter((f) => f.owner === 'sql').map((f) => f.name), ['sql-disconnect-during-restore', 'sql-login-fails', 'sql-no-tls12', 'log-gap', 'log-corrupt', 'share-unreachable', 'copy-disk-full']);
});
