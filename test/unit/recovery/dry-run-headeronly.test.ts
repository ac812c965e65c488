/**
 * The dry run of apply-log-backups against what the real run sends: the real action reads the
 * server's version and builds RESTORE HEADERONLY's temp table for it, so the dry run must show
 * the version query and, for a server whose version is known, the very header query the real
 * run sends to it — not the builder's default.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tsql from '../../../src/core/commands/tsql';
import { dryRun, formatDryRun, runRunbook } from '../../../src/core/recovery';
import type { SqlRow } from '../../../src/core/recovery/ports';
import { FakeFiles, FakeShell, FakeSql, MemoryJournal, type SentSql } from '../engine/fakes';
import { FENCE, plan, runbookText } from '../engine/support';

const APPLY = runbookText(`## Apply {#apply}\n${FENCE}lync\napply-log-backups database=mgc on=backup\n${FENCE}`);
const FILE = 'mgc_20240501020000.trn';
const FORK = 'BEFDE3CF-1A59-45D6-9A9C-7CB92A1D77D0';

/** What the real apply-log-backups sends to a server of this version: the estate's copy folder holds one file, already applied. */
async function sentByRealRun(productVersion: string): Promise<SentSql[]> {
  const sql = new FakeSql((s): SqlRow[] => {
    if (/redo_start_lsn/.test(s.text)) return [{ redo_start_lsn: '2000', redo_start_fork_guid: FORK }];
    if (s.text === tsql.serverIdentity().text) return [{ server_name: 'DAL-PCBAK-001\\PCHAT', version: 'Microsoft SQL Server', product_version: productVersion }];
    if (/RESTORE HEADERONLY/.test(s.text)) return [{ BackupType: 2, Position: 1, DatabaseName: 'mgc', ServerName: 'ATL-PCSQL-001\\PCHAT', FirstLSN: '1000', LastLSN: '2000', DatabaseBackupLSN: '1', FirstRecoveryForkID: FORK, IsDamaged: false, BackupFinishDate: new Date(0) }];
    return [];
  });
  const files = new FakeFiles(new Map([['d:\\logshipping\\mgc', [{ name: FILE, size: 100 }]]]));
  const result = await runRunbook(await plan(APPLY), { ports: { sql, shell: new FakeShell(), files }, journal: new MemoryJournal(), mode: 'rehearsal', confirm: async () => true });
  assert.equal(result.outcome, 'completed', JSON.stringify(result.failure));
  return sql.sent;
}

/** The dry run's text of the apply action, its `{file}` placeholder filled with the file the real run found. */
async function dryText(productVersion: string | undefined): Promise<string> {
  const steps = dryRun(await plan(APPLY), { productVersion: (id) => (id === 'dal-pcbak' ? productVersion : undefined) });
  return steps[0]!.actions[0]!.text.replaceAll('{file}', FILE);
}

const headerQuery = (sent: readonly SentSql[]) => sent.find((s) => /RESTORE HEADERONLY/.test(s.text))!.text;

describe('dry run of apply-log-backups: RESTORE HEADERONLY for the target server', () => {
  for (const [version, columns] of [
    ['10.50.6000.34', 'SQL Server 2008 R2: no Containment'],
    ['11.0.7001.0', 'SQL Server 2012: no KeyAlgorithm'],
    ['16.0.1000.6', 'SQL Server 2022: LastValidRestoreTime'],
    ['17.0.900.7', 'a version the builder has no result set for: the default'],
  ] as const) {
    it(`${version} (${columns}): the header query is the one the real run sends`, async () => {
      const sent = await sentByRealRun(version);
      const text = await dryText(version);
      assert.ok(text.includes(headerQuery(sent)), `the dry run shows:\n${text}\n\nthe real run sent:\n${headerQuery(sent)}`);
      // The real run reads the version first; the dry run shows that query too.
      assert.ok(sent.some((s) => s.text === tsql.serverIdentity().text));
      assert.ok(text.includes(tsql.serverIdentity().text));
    });
  }

  it('the version matters: a 2012 server gets no 2014 columns, a 2022 server gets its own', async () => {
    assert.doesNotMatch(await dryText('11.0.7001.0'), /KeyAlgorithm/);
    assert.match(await dryText('16.0.1000.6'), /LastValidRestoreTime datetime NULL/);
    assert.notEqual(headerQuery(await sentByRealRun('11.0.7001.0')), headerQuery(await sentByRealRun('12.0.6024.0')));
  });

  it('an unknown version: the template says the columns follow the version the server returns', async () => {
    const text = await dryText(undefined);
    assert.match(text, /the #headers columns follow the major version the query above returns; shown for 12 \(SQL Server 2014\)/);
    assert.ok(text.includes(headerQuery(await sentByRealRun('12.0.6024.0'))), 'shown for the default version');
    assert.match(formatDryRun(await plan(APPLY)), /SERVERPROPERTY\('ProductVersion'\)/);
  });
});
