import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { InvalidValueError } from '../../../src/core/commands';
import { planLogChain, sameServer, type LogBackupHeader, type LogChainInput } from '../../../src/core/recovery/lsn';

const FORK = '6f9619ff-8b86-d011-b42d-00c04fc964ff';
const OTHER_FORK = '00000000-1111-2222-3333-444444444444';
/** Above 2^53 (9007199254740992): these LSNs are not representable as JS numbers. */
const BASE = 34000000041600000n;
const L = (offset: number) => (BASE + BigInt(offset)).toString();

const h = (file: string, first: number, last: number, more: Partial<LogBackupHeader> = {}): LogBackupHeader => ({
  file,
  databaseName: 'mgc',
  serverName: 'ATL-PCSQL-001\\PCHAT',
  firstLsn: L(first),
  lastLsn: L(last),
  databaseBackupLsn: L(0),
  firstRecoveryForkId: FORK,
  backupType: 2,
  backupFinishDate: '2024-01-01T12:00:00Z',
  ...more,
});

const input = (headers: LogBackupHeader[], redo: number, more: Partial<LogChainInput> = {}): LogChainInput => ({
  headers,
  redoLsn: L(redo),
  redoForkId: FORK,
  database: 'mgc',
  writers: ['atl-pcsql-001.litwareinc.com\\pchat', 'atl-pcsqlm-001.litwareinc.com\\pchat'],
  ...more,
});

/** Written by the primary's mirror while it was the principal (domain reference §1.5(b)). */
const MIRROR = 'ATL-PCSQLM-001\\PCHAT';

const files = (list: readonly LogBackupHeader[]) => list.map((x) => x.file);

const A = h('mgc_01.trn', 100, 200);
const B = h('mgc_02.trn', 200, 300);
const C = h('mgc_03.trn', 300, 400);
const D = h('mgc_04.trn', 400, 500);

interface Scenario {
  readonly name: string;
  readonly headers: LogBackupHeader[];
  readonly redo: number;
  readonly apply: string[];
  readonly applied?: string[];
  readonly gap?: { from: number; to: number; after?: string; next: string };
  readonly unreachable?: string[];
  readonly rejected?: [string, string][];
  readonly end: number;
}

const scenarios: Scenario[] = [
  { name: 'empty input', headers: [], redo: 100, apply: [], end: 100 },
  { name: 'redo at the start of the first file', headers: [A, B, C], redo: 100, apply: ['mgc_01.trn', 'mgc_02.trn', 'mgc_03.trn'], end: 400 },
  { name: 'redo in the middle of a file', headers: [A, B, C], redo: 250, apply: ['mgc_02.trn', 'mgc_03.trn'], applied: ['mgc_01.trn'], end: 400 },
  { name: 'redo exactly at a LastLSN (exclusive end)', headers: [A, B, C], redo: 200, apply: ['mgc_02.trn', 'mgc_03.trn'], applied: ['mgc_01.trn'], end: 400 },
  { name: 'everything already applied', headers: [A, B], redo: 300, apply: [], applied: ['mgc_01.trn', 'mgc_02.trn'], end: 300 },
  { name: 'out-of-order input', headers: [C, A, D, B], redo: 100, apply: ['mgc_01.trn', 'mgc_02.trn', 'mgc_03.trn', 'mgc_04.trn'], end: 500 },
  { name: 'gap at the start', headers: [B, C], redo: 100, apply: [], gap: { from: 100, to: 200, next: 'mgc_02.trn' }, unreachable: ['mgc_02.trn', 'mgc_03.trn'], end: 100 },
  { name: 'gap in the middle', headers: [A, C, D], redo: 100, apply: ['mgc_01.trn'], gap: { from: 200, to: 300, after: 'mgc_01.trn', next: 'mgc_03.trn' }, unreachable: ['mgc_03.trn', 'mgc_04.trn'], end: 200 },
  { name: 'the same file listed twice', headers: [A, B, A], redo: 100, apply: ['mgc_01.trn', 'mgc_02.trn'], rejected: [['mgc_01.trn', 'duplicate']], end: 300 },
  {
    name: 'the same set under two names keeps the first name, whatever the order',
    headers: [h('copy\\mgc_02.trn', 200, 300), A, B],
    redo: 100,
    apply: ['mgc_01.trn', 'copy\\mgc_02.trn'],
    rejected: [['mgc_02.trn', 'duplicate']],
    end: 300,
  },
  {
    name: 'the same set under two names, listed the other way round',
    headers: [B, A, h('copy\\mgc_02.trn', 200, 300)],
    redo: 100,
    apply: ['mgc_01.trn', 'copy\\mgc_02.trn'],
    rejected: [['mgc_02.trn', 'duplicate']],
    end: 300,
  },
  {
    name: 'a copy-only log backup covered by the regular one',
    headers: [h('copyonly.trn', 100, 150), h('regular.trn', 100, 300), C],
    redo: 120,
    apply: ['regular.trn', 'mgc_03.trn'],
    rejected: [['copyonly.trn', 'duplicate']],
    end: 400,
  },
  {
    name: 'files of another database, server, fork, type or damaged are rejected',
    headers: [
      A,
      h('mgccomp_02.trn', 200, 300, { databaseName: 'mgccomp' }),
      h('other-server.trn', 200, 300, { serverName: 'DAL-PCBAK-001\\PCHAT' }),
      h('other-instance.trn', 200, 300, { serverName: 'ATL-PCSQL-001' }),
      h('full.bak', 200, 300, { backupType: 1 }),
      h('damaged.trn', 200, 300, { isDamaged: true }),
      h('fork.trn', 200, 300, { firstRecoveryForkId: OTHER_FORK }),
      B,
    ],
    redo: 100,
    apply: ['mgc_01.trn', 'mgc_02.trn'],
    rejected: [
      ['mgccomp_02.trn', 'other-database'],
      ['other-server.trn', 'other-server'],
      ['other-instance.trn', 'other-server'],
      ['full.bak', 'not-a-log'],
      ['damaged.trn', 'damaged'],
      ['fork.trn', 'other-fork'],
    ],
    end: 300,
  },
  {
    name: 'a fork change: the new fork\'s files are rejected and the chain ends on the old fork',
    headers: [A, B, h('newfork_03.trn', 300, 400, { firstRecoveryForkId: OTHER_FORK }), h('newfork_04.trn', 400, 500, { firstRecoveryForkId: OTHER_FORK })],
    redo: 100,
    apply: ['mgc_01.trn', 'mgc_02.trn'],
    rejected: [
      ['newfork_03.trn', 'other-fork'],
      ['newfork_04.trn', 'other-fork'],
    ],
    end: 300,
  },
  {
    name: 'LSNs that collide as JS numbers are told apart',
    headers: [h('x1.trn', 0, 1), h('x2.trn', 1, 3), h('x3.trn', 3, 4)],
    redo: 1,
    apply: ['x2.trn', 'x3.trn'],
    applied: ['x1.trn'],
    end: 4,
  },
];

describe('planLogChain', () => {
  for (const s of scenarios) {
    test(s.name, () => {
      const plan = planLogChain(input(s.headers, s.redo));
      assert.deepEqual(files(plan.toApply), s.apply);
      assert.deepEqual(files(plan.alreadyApplied), s.applied ?? []);
      assert.deepEqual(plan.rejected.map((r) => [r.header.file, r.reason]), s.rejected ?? []);
      assert.deepEqual(files(plan.unreachable), s.unreachable ?? []);
      assert.equal(plan.endLsn, L(s.end));
      if (s.gap) {
        assert.deepEqual(plan.gap, { fromLsn: L(s.gap.from), toLsn: L(s.gap.to), ...(s.gap.after ? { afterFile: s.gap.after } : {}), nextFile: s.gap.next });
      } else {
        assert.equal(plan.gap, undefined);
      }
    });
  }

  test('log backups written by the primary\'s mirror continue the chain like the primary\'s (D1)', () => {
    const plan = planLogChain(input([A, h('mgc_02.trn', 200, 300, { serverName: MIRROR }), h('mgc_03.trn', 300, 400, { serverName: MIRROR }), h('mgc_04.trn', 400, 500)], 100));
    assert.deepEqual(files(plan.toApply), ['mgc_01.trn', 'mgc_02.trn', 'mgc_03.trn', 'mgc_04.trn']);
    assert.deepEqual(plan.rejected, []);
    assert.deepEqual(plan.blocking, []);
  });

  test('a file rejected beyond the redo point blocks, named with its reason; before it, it does not (D1)', () => {
    const stranger = h('mgc_03.trn', 300, 400, { serverName: 'DAL-PCBAK-001\\PCHAT' });
    const damaged = h('mgc_04.trn', 400, 500, { isDamaged: true });
    const old = h('mgc_00.trn', 0, 100, { serverName: 'DAL-PCBAK-001\\PCHAT' });
    const plan = planLogChain(input([old, A, B, stranger, damaged, h('mgccomp_05.trn', 500, 600, { databaseName: 'mgccomp' })], 100));
    assert.deepEqual(files(plan.toApply), ['mgc_01.trn', 'mgc_02.trn']);
    assert.deepEqual(plan.blocking.map((r) => [r.header.file, r.reason, r.detail]), [
      ['mgc_03.trn', 'other-server', 'was written by DAL-PCBAK-001\\PCHAT, neither the primary atl-pcsql-001.litwareinc.com\\pchat nor its mirror atl-pcsqlm-001.litwareinc.com\\pchat'],
      ['mgc_04.trn', 'damaged', 'the backup set is marked damaged'],
    ]);
    assert.deepEqual(plan.rejected.map((r) => r.header.file), ['mgc_00.trn', 'mgc_03.trn', 'mgc_04.trn', 'mgccomp_05.trn']);
  });

  test('the JS-number trap is real for these LSNs', () => {
    assert.equal(Number(L(0)), Number(L(1)));
  });

  test('rejections explain themselves', () => {
    const plan = planLogChain(input([A, A, h('x.trn', 200, 300, { databaseName: 'mgccomp' })], 100));
    assert.deepEqual(plan.rejected.map((r) => r.detail), ['mgc_01.trn is listed twice', 'belongs to database mgccomp, not mgc']);
  });

  test('fork ids compare without braces and case', () => {
    const plan = planLogChain(input([h('a.trn', 100, 200, { firstRecoveryForkId: `{${FORK.toUpperCase()}}` })], 100));
    assert.deepEqual(files(plan.toApply), ['a.trn']);
  });

  test('malformed LSNs are refused naming the file and column', () => {
    assert.throws(() => planLogChain(input([h('bad.trn', 100, 200, { firstLsn: '12e5' })], 100)), (e: unknown) => e instanceof InvalidValueError && /FirstLSN of bad\.trn/.test(e.reason));
    assert.throws(() => planLogChain(input([h('neg.trn', 300, 200)], 100)), (e: unknown) => e instanceof InvalidValueError && /after its LastLSN/.test(e.reason));
    assert.throws(() => planLogChain(input([], 0, { redoLsn: '1.5' })), InvalidValueError);
  });

  // A contiguous chain, shuffled, with the redo point anywhere inside: the plan starts with the
  // file holding the redo point and runs consecutively to the end; removing one later file
  // produces exactly that file's range as the gap.
  test('property: contiguous chains and single gaps', () => {
    const arb = fc
      .record({ lengths: fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 40 }), redoPick: fc.nat(), drop: fc.nat(), seed: fc.nat() })
      .map(({ lengths, redoPick, drop, seed }) => {
        let at = 0;
        const chain = lengths.map((len, k) => {
          const header = h(`f${String(k).padStart(3, '0')}.trn`, at, at + len);
          at += len;
          return header;
        });
        return { chain, redoIndex: redoPick % chain.length, drop, seed };
      });
    fc.assert(
      fc.property(arb, ({ chain, redoIndex, drop, seed }) => {
        const holder = chain[redoIndex]!;
        const redo = Number(BigInt(holder.firstLsn) - BASE) + (seed % Number(BigInt(holder.lastLsn) - BigInt(holder.firstLsn)));
        const shuffled = [...chain].sort((x, y) => ((x.file.charCodeAt(2) * 31 + seed) % 7) - ((y.file.charCodeAt(2) * 31 + seed) % 7));
        const plan = planLogChain(input(shuffled, redo));
        assert.deepEqual(files(plan.toApply), files(chain.slice(redoIndex)));
        assert.deepEqual(files(plan.alreadyApplied), files(chain.slice(0, redoIndex)));
        for (let k = 1; k < plan.toApply.length; k++) assert.equal(plan.toApply[k]!.firstLsn, plan.toApply[k - 1]!.lastLsn);
        assert.equal(plan.gap, undefined);

        if (chain.length - redoIndex >= 3) {
          const dropIndex = redoIndex + 1 + (drop % (chain.length - redoIndex - 2));
          const missing = chain[dropIndex]!;
          const gapped = planLogChain(input(shuffled.filter((x) => x !== missing), redo));
          assert.deepEqual(gapped.gap && [gapped.gap.fromLsn, gapped.gap.toLsn], [missing.firstLsn, missing.lastLsn]);
          assert.deepEqual(files(gapped.toApply), files(chain.slice(redoIndex, dropIndex)));
          assert.deepEqual(files(gapped.unreachable), files(chain.slice(dropIndex + 1)));
        }
      }),
    );
  });
});

describe('sameServer', () => {
  const table: [string, string, boolean][] = [
    ['ATL-PCSQL-001\\PCHAT', 'atl-pcsql-001.litwareinc.com\\pchat', true],
    ['ATL-PCSQL-001\\PCHAT', 'atl-pcsql-001\\pchat', true],
    ['ATL-PCSQL-001', 'atl-pcsql-001.litwareinc.com', true],
    ['ATL-PCSQL-001', 'atl-pcsql-001\\MSSQLSERVER', true],
    ['ATL-PCSQL-001\\PCHAT', 'atl-pcsql-001', false],
    ['ATL-PCSQL-002\\PCHAT', 'atl-pcsql-001\\pchat', false],
  ];
  for (const [a, b, expected] of table) test(`${a} vs ${b}`, () => assert.equal(sameServer(a, b), expected));
});
