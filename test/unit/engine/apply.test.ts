/** apply-log-backups against an in-memory SQL Server: order, skips, gaps, resume, rounded LSNs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runRunbook } from '../../../src/core/recovery';
import { SqlError, type SqlRow } from '../../../src/core/recovery/ports';
import { FakeFiles, FakeShell, FakeSql, MemoryJournal, type SentSql } from './fakes';
import { FENCE, plan, runbookText } from './support';

const FORK = 'BEFDE3CF-1A59-45D6-9A9C-7CB92A1D77D0';
const FOLDER = 'd:\\logshipping\\mgc';
// Above 2^53, as real LSNs are.
const lsn = (k: number) => 34000000041600001n + BigInt(k) * 18500000n;

/** A restoring mgc whose redo point starts at file `appliedUpTo`; `missing` files are absent. */
function server(count: number, appliedUpTo: number, missing: number[] = [], failAfter?: number, roundedLsns = false, writer: (k: number) => string = () => 'ATL-PCSQL-001\\PCHAT') {
  let redo = lsn(appliedUpTo);
  const restored: string[] = [];
  const names = Array.from({ length: count }, (_, k) => `mgc_202401010${String(k).padStart(5, '0')}.trn`);
  const present = names.filter((_, k) => !missing.includes(k));
  const handler = (s: SentSql): SqlRow[] => {
    if (/redo_start_lsn/.test(s.text)) return [{ redo_start_lsn: redo.toString(), redo_start_fork_guid: FORK }];
    const file = /([A-Za-z]:\\[^']+\.trn)/.exec(s.text)?.[1] ?? '';
    const k = names.indexOf(file.split('\\').pop()!);
    if (/HEADERONLY/.test(s.text)) {
      // As text when the server casts them (the builder's query), as rounded numbers otherwise.
      const value = (v: bigint) => (roundedLsns ? Number(v) : v.toString());
      return [{ BackupType: 2, Position: 1, DatabaseName: 'mgc', ServerName: writer(k), FirstLSN: value(lsn(k)), LastLSN: value(lsn(k + 1)), DatabaseBackupLSN: 1, FirstRecoveryForkID: FORK, IsDamaged: false, BackupFinishDate: new Date(0) }];
    }
    if (/^RESTORE LOG/.test(s.text)) {
      if (failAfter !== undefined && restored.length === failAfter) throw new SqlError('connection dropped', 'dal-pcbak', [{ number: 0, class: 20, state: 1, message: 'dropped' }]);
      if (lsn(k + 1) <= redo) throw new SqlError('too early', 'dal-pcbak', [{ number: 4326, class: 16, state: 1, message: 'too early' }]);
      if (lsn(k) > redo) throw new SqlError('too recent', 'dal-pcbak', [{ number: 4305, class: 16, state: 1, message: 'too recent' }]);
      redo = lsn(k + 1);
      restored.push(names[k]!);
      return [];
    }
    return [];
  };
  const files = new FakeFiles(new Map([[FOLDER, present.map((name) => ({ name, size: 100 }))]]));
  return { sql: new FakeSql(handler), files, restored, names };
}

const APPLY = runbookText(`## Apply {#apply}\n${FENCE}lync\napply-log-backups database=mgc on=backup\n${FENCE}`);

async function apply(s: ReturnType<typeof server>, journal = new MemoryJournal()) {
  return runRunbook(await plan(APPLY), { ports: { sql: s.sql, shell: new FakeShell(), files: s.files }, journal, mode: 'rehearsal', confirm: async () => true });
}

describe('apply-log-backups', () => {
  it('applies the unapplied files in LSN order and skips the applied ones', async () => {
    const s = server(8, 3);
    const result = await apply(s);
    assert.equal(result.outcome, 'completed', JSON.stringify(result.failure));
    assert.deepEqual(s.restored, s.names.slice(3));
  });

  it('plans correctly with LSNs rounded by the driver (numeric(25,0) as JS numbers)', async () => {
    const s = server(8, 2, [], undefined, true);
    const result = await apply(s);
    assert.equal(result.outcome, 'completed', JSON.stringify(result.failure));
    assert.deepEqual(s.restored, s.names.slice(2));
  });

  it('stops at a gap, after applying what it can, naming the missing LSN range', async () => {
    const s = server(8, 1, [4]);
    const result = await apply(s);
    assert.equal(result.outcome, 'failed');
    assert.deepEqual(s.restored, s.names.slice(1, 4));
    assert.match(result.failure!.message, new RegExp(`LSN ${lsn(4)} up to \\d+`));
    assert.match(result.failure!.message, /mgc_20240101000003\.trn and mgc_20240101000005\.trn/);
  });

  it('applies the log backups the primary\'s mirror wrote after a mirror failover, in LSN order with the primary\'s (D1)', async () => {
    const s = server(8, 1, [], undefined, false, (k) => (k >= 4 ? 'ATL-PCSQLM-001\\PCHAT' : 'ATL-PCSQL-001\\PCHAT'));
    const result = await apply(s);
    assert.equal(result.outcome, 'completed', JSON.stringify(result.failure));
    assert.deepEqual(s.restored, s.names.slice(1));
  });

  it('stops, naming the file, when a file beyond the redo point was written by a server that is neither the primary nor its mirror (D1)', async () => {
    const s = server(8, 1, [], undefined, false, (k) => (k === 5 ? 'DAL-PCBAK-001\\PCHAT' : 'ATL-PCSQL-001\\PCHAT'));
    const result = await apply(s);
    assert.equal(result.outcome, 'failed');
    assert.deepEqual(s.restored, s.names.slice(1, 5), 'the chain up to the rejected file is applied, nothing after it');
    assert.match(result.failure!.message, /mgc_20240101000005\.trn \(LSN \d+–\d+\) was written by DAL-PCBAK-001\\PCHAT, neither the primary .* nor its mirror atl-pcsqlm-001\.litwareinc\.com\\pchat: not applied, and its log records lie beyond the redo LSN/);
    assert.match(result.failure!.hint!, /mark this step done/);
  });

  it('resumes from the redo LSN after an interruption: nothing applied twice', async () => {
    const s = server(8, 0, [], 3);
    const journal = new MemoryJournal();
    assert.equal((await apply(s, journal)).outcome, 'failed');
    const resumed = server(8, 3);
    const result = await apply(resumed, journal);
    assert.equal(result.outcome, 'completed', JSON.stringify(result.failure));
    assert.deepEqual(resumed.restored, resumed.names.slice(3));
  });
});
