import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import MarkdownIt from 'markdown-it';
import type { Estate, Pool } from '../../../src/core/estate/model';
import { procedureFor, ProcedureError, renderRunbook, PROCEDURE_KINDS, type ProcedureKind, type ProcedurePlan } from '../../../src/core/procedures';
import { parseRunbook } from '../../../src/core/runbook';
import { powershellParser } from '../runbook/grammar';
import { litware } from './litware';

const PC = 'atl-gc-001.litwareinc.com';
const FE = 'atl-cs-001.litwareinc.com';
const poolOf: Record<ProcedureKind, string> = {
  'persistent-chat-failover': PC,
  'persistent-chat-failback': PC,
  'conference-restore': FE,
  'pool-failover': FE,
  'pool-failback': FE,
};

const withPool = (fqdn: string, change: (p: Pool) => Pool, estate: Estate = litware()): Estate => ({
  ...estate,
  pools: estate.pools.map((p) => (p.fqdn === fqdn ? change(p) : p)),
});

const ids = (plan: ProcedurePlan) => plan.steps.map((s) => s.id);

describe('procedureFor on the Litware estate', () => {
  const expected: Record<ProcedureKind, string[]> = {
    'persistent-chat-failover': ['back-up-tail-log', 'capture-log-shipping-state', 'remove-log-shipping', 'copy-log-backups', 'apply-log-backups', 'bring-backup-database-online', 'fail-over-pool', 'mirror-backup-database', 'activate-servers'],
    'persistent-chat-failback': [
      'deactivate-servers', 'remove-mirroring', 'back-up-backup-database', 'restore-primary-database', 're-establish-log-shipping', 're-mirror-primary-database',
      're-establish-mirror-log-shipping', 'return-to-normal', 'activate-servers',
    ],
    'conference-restore': ['check-pairing', 'start-conference-sync', 'wait-for-conference-sync'],
    // The sample estate does not say where the CMS is, nor which Edge pools use a pool as next hop: both are checkpoints.
    'pool-failover': ['check-pairing', 'check-cms', 'check-edge-next-hop', 'fail-over-pool'],
    'pool-failback': ['check-pairing', 'fail-back-pool', 'start-conference-sync', 'wait-for-conference-sync'],
  };
  for (const kind of PROCEDURE_KINDS) {
    test(`${kind}: steps in reference order, each explained`, () => {
      const plan = procedureFor(kind, litware(), poolOf[kind]);
      assert.equal(plan.kind, kind);
      assert.deepEqual(ids(plan), expected[kind]);
      for (const s of plan.steps) {
        assert.ok(s.title && s.why && s.onFailure && s.reference, s.id);
        assert.ok(s.actions.length > 0, `${s.id} has actions`);
      }
    });
  }

  test('failover: split-brain guard, RESTORING before, ONLINE after recovery, FailedOver after the state change', () => {
    const plan = procedureFor('persistent-chat-failover', litware(), PC.toUpperCase());
    const [tail, capture, remove, , apply, recover, failover, mirror, activate] = plan.steps;
    assert.deepEqual(tail!.actions.map((a) => a.kind === 'lync' && `${a.name} on=${a.target?.role}`), ['back-up-tail-log on=primary']);
    const guard = capture!.preconditions[0]!;
    assert.ok(guard.kind === 'instance-unreachable' && guard.overridable && guard.target.instanceId === 'atl-pcsql' && /split brain/.test(guard.warning));
    const restoring = capture!.preconditions.find((c) => c.kind === 'database-state');
    assert.deepEqual(restoring && { ...restoring, target: undefined }, { kind: 'database-state', target: undefined, database: 'mgc', expect: 'RESTORING' });
    assert.equal(remove!.actions[0]!.kind === 'sql' && remove!.actions[0]!.target.instanceId, 'dal-pcbak');
    assert.equal(remove!.actions[0]!.kind === 'sql' && remove!.actions[0]!.command.text, "EXEC master.dbo.sp_delete_log_shipping_secondary_database @secondary_database = N'mgc';");
    assert.deepEqual(apply!.actions.map((a) => a.kind === 'lync' && a.name), ['apply-log-backups']);
    assert.deepEqual(recover!.actions.map((a) => a.kind === 'lync' && a.name), ['kill-sessions', 'recover-database']);
    assert.ok(recover!.verification.some((c) => c.kind === 'database-state' && c.expect === 'ONLINE' && c.target.role === 'backup'));
    assert.ok(failover!.verification.some((c) => c.kind === 'pool-state' && c.expect === 'FailedOver' && c.identity === `PersistentChatServer:${PC}`));
    assert.equal(mirror!.actions[0]!.kind === 'powershell' && mirror!.actions[0]!.command, "Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn 'dal-pcbak-001.litwareinc.com' -SqlInstanceName 'pchat' -FileShare '\\\\atl-fs-001.litwareinc.com\\pchat-logs' -DropExistingDatabasesOnMirror -Confirm:$false");
    // §1.3 step 6, §4.6: the estate defines a backup mirror for mgccomp too, so it is mirrored as well.
    assert.equal(mirror!.actions[1]!.kind === 'powershell' && mirror!.actions[1]!.command, "Install-CsMirrorDatabase -DatabaseType PersistentChatCompliance -SqlServerFqdn 'dal-pcbak-001.litwareinc.com' -SqlInstanceName 'pchat' -FileShare '\\\\atl-fs-001.litwareinc.com\\pchat-logs' -DropExistingDatabasesOnMirror -Confirm:$false");
    assert.deepEqual(mirror!.verification.map((c) => c.kind === 'mirroring-established' && `${c.target.instanceId}/${c.database}→${c.partner.instanceId}`), ['dal-pcbak/mgc→dal-pcbakm', 'dal-pcbak/mgccomp→dal-pcbakm']);
    assert.ok(mirror!.preconditions.some((c) => c.kind === 'database-state' && c.database === 'mgccomp' && c.expect === 'ONLINE'));
    // The documented forms (domain audit R6): cleared, then added to — never @{Replace=…}.
    assert.deepEqual(
      activate!.actions.map((a) => a.kind === 'powershell' && a.command),
      ["Set-CsPersistentChatActiveServer -Identity 'global' -ActiveServers $null", "Set-CsPersistentChatActiveServer -Identity 'global' -ActiveServers @{Add='dal-pc-001.litwareinc.com'}"],
    );
    assert.deepEqual(plan.steps.map((s) => s.destructive), [true, false, true, false, false, true, true, true, false]);
  });

  test('failback: both databases un-mirrored, backup file shared by steps 3 and 4, Normal before activation in the primary DC', () => {
    const plan = procedureFor('persistent-chat-failback', litware(), PC, { backupFileName: 'mgc_fb.bak' });
    const texts = plan.steps.flatMap((s) => s.actions.map((a) => (a.kind === 'sql' ? `${a.target.instanceId}/${a.target.store}: ${a.command.text}` : a.kind === 'powershell' ? a.command : a.name)));
    assert.deepEqual(texts, [
      "Set-CsPersistentChatActiveServer -Identity 'global' -ActiveServers $null",
      'dal-pcbak/mgc: ALTER DATABASE [mgc] SET PARTNER OFF;',
      'dal-pcbak/mgccomp: ALTER DATABASE [mgccomp] SET PARTNER OFF;',
      "dal-pcbak/mgc: BACKUP DATABASE [mgc] TO DISK = N'\\\\atl-fs-001.litwareinc.com\\pchat-logs\\mgc_fb.bak' WITH INIT;",
      "atl-pcsql/mgc: RESTORE DATABASE [mgc] FROM DISK = N'\\\\atl-fs-001.litwareinc.com\\pchat-logs\\mgc_fb.bak' WITH REPLACE, RECOVERY;",
      'confirm',
      "Install-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn 'atl-pcsql-001.litwareinc.com' -SqlInstanceName 'pchat' -FileShare '\\\\atl-fs-001.litwareinc.com\\pchat-logs' -DropExistingDatabasesOnMirror -Confirm:$false",
      'confirm',
      "Set-CsPersistentChatState -Identity 'PersistentChatServer:atl-gc-001.litwareinc.com' -PoolState Normal",
      "Set-CsPersistentChatActiveServer -Identity 'global' -ActiveServers $null",
      "Set-CsPersistentChatActiveServer -Identity 'global' -ActiveServers @{Add='atl-pc-001.litwareinc.com'}",
    ]);
  });

  test('conference restore syncs on the partner that holds the data', () => {
    const plan = procedureFor('conference-restore', litware(), FE);
    assert.equal(plan.pool, 'dal-cs-001.litwareinc.com');
    assert.equal(plan.lostPool, FE);
    const sync = plan.steps[1]!.actions[0]!;
    assert.equal(sync.kind === 'powershell' && sync.command, "Invoke-CsBackupServiceSync -PoolFqdn 'dal-cs-001.litwareinc.com' -BackupModule 'ConfServices.DataConf'");
    const verify = plan.steps[2]!.verification[0]!;
    assert.ok(verify.kind === 'backup-sync-state' && verify.pool === 'dal-cs-001.litwareinc.com' && verify.expect.join() === 'SteadyState,FinalState');
  });

  test('conference restore: the lost pool must answer again before anything is sent, and before the sync', () => {
    const plan = procedureFor('conference-restore', litware(), FE);
    const answers = (step: string) => plan.steps.find((s) => s.id === step)!.preconditions.filter((c) => c.kind === 'pool-answers');
    for (const step of ['check-pairing', 'start-conference-sync']) {
      const [check] = answers(step);
      assert.ok(check?.kind === 'pool-answers' && check.pool === FE && check.partner === 'dal-cs-001.litwareinc.com', step);
      // §3.4: failover → failback → conference restore; the remedy names both ways to fail back.
      assert.match(check.remedy, /^Fail the pool back first \(Lync: Fail Back Front End Pool…, or Invoke-CsPoolFailBack -PoolFqdn atl-cs-001\.litwareinc\.com\), then run the conference restore again/);
    }
    assert.match(plan.summary, /after a pool failover, this comes after the failback/);
    assert.match(renderRunbook(plan), /- \*\*Before:\*\* atl-cs-001\.litwareinc\.com answers again \(its Backup Service responds\)\n/);
  });

  test('pool failback: the lost pool is required to answer only at the sync, after the failback step', () => {
    const plan = procedureFor('pool-failback', litware(), FE);
    const withCheck = plan.steps.filter((s) => s.preconditions.some((c) => c.kind === 'pool-answers')).map((s) => s.id);
    assert.deepEqual(withCheck, ['start-conference-sync']);
    assert.ok(ids(plan).indexOf('fail-back-pool') < ids(plan).indexOf('start-conference-sync'));
    const check = plan.steps.find((s) => s.id === 'start-conference-sync')!.preconditions.find((c) => c.kind === 'pool-answers')!;
    assert.ok(check.kind === 'pool-answers' && /Invoke-CsPoolFailBack did not bring it back.*LYNCBACKUP/.test(check.remedy));
  });

  test('pool failover takes the failed pool, in disaster mode unless planned', () => {
    const disaster = procedureFor('pool-failover', litware(), FE).steps.at(-1)!;
    assert.equal(disaster.actions[0]!.kind === 'powershell' && disaster.actions[0]!.command, "Invoke-CsPoolFailOver -PoolFqdn 'atl-cs-001.litwareinc.com' -DisasterMode");
    assert.equal(disaster.preconditions[0]?.kind, 'pool-unreachable');
    const planned = procedureFor('pool-failover', litware(), FE, { disasterMode: false });
    const plannedStep = planned.steps.at(-1)!;
    assert.equal(plannedStep.actions[0]!.kind === 'powershell' && plannedStep.actions[0]!.command, "Invoke-CsPoolFailOver -PoolFqdn 'atl-cs-001.litwareinc.com'");
    assert.deepEqual(plannedStep.preconditions.map((c) => c.kind), ['cms-active']);
    assert.equal(planned.notes.length, 1);
  });

  test('pool failback uses the same pool and restores conference content from the partner', () => {
    const plan = procedureFor('pool-failback', litware(), FE);
    assert.equal(plan.steps[1]!.actions[0]!.kind === 'powershell' && plan.steps[1]!.actions[0]!.command, "Invoke-CsPoolFailBack -PoolFqdn 'atl-cs-001.litwareinc.com'");
    assert.ok(plan.steps[3]!.actions[0]!.kind === 'lync' && plan.steps[3]!.actions[0]!.args.some(([k, v]) => k === 'pool' && v === 'dal-cs-001.litwareinc.com'));
  });
});

describe('options and estate variations', () => {
  test('no backup mirror: step 6 is left out, with a note', () => {
    const estate = withPool(PC, (p) => ({ ...p, stores: { mgc: { primary: 'atl-pcsql', backup: 'dal-pcbak' } } }));
    const plan = procedureFor('persistent-chat-failover', estate, PC);
    assert.ok(!ids(plan).includes('mirror-backup-database'));
    assert.ok(plan.notes.some((n) => /no backupMirror/.test(n)));
  });

  test('no backup mirror for mgccomp: the failover mirrors mgc only and the failback un-mirrors mgc only (no Msg 1416)', () => {
    const estate = withPool(PC, (p) => ({ ...p, stores: { ...p.stores, mgccomp: { primary: 'atl-pcsql', backup: 'dal-pcbak' } } }));
    const mirror = procedureFor('persistent-chat-failover', estate, PC).steps.find((s) => s.id === 'mirror-backup-database')!;
    assert.deepEqual(mirror.actions.map((a) => a.kind === 'powershell' && /-DatabaseType (\w+)/.exec(a.command)![1]), ['PersistentChat']);
    const unmirror = procedureFor('persistent-chat-failback', estate, PC).steps.find((s) => s.id === 'remove-mirroring')!;
    assert.deepEqual(unmirror.actions.map((a) => a.kind === 'sql' && a.command.text), ['ALTER DATABASE [mgc] SET PARTNER OFF;']);
  });

  test('explicit active servers and mirror share', () => {
    const plan = procedureFor('persistent-chat-failover', litware(), PC, { activeServers: ['DAL-PC-009.litwareinc.com'], mirrorFileShare: '\\\\dal-fs-001.litwareinc.com\\PChatMirror' });
    const all = plan.steps.flatMap((s) => s.actions).map((a) => (a.kind === 'powershell' ? a.command : ''));
    assert.ok(all.some((c) => c.includes("@{Add='dal-pc-009.litwareinc.com'}")));
    assert.ok(all.some((c) => c.includes("-FileShare '\\\\dal-fs-001.litwareinc.com\\PChatMirror'")));
    assert.ok(!plan.notes.some((n) => /log-shipping share/.test(n)));
  });

  test('more than four servers in the data center: four are activated, the rest named in a note', () => {
    const servers = Array.from({ length: 6 }, (_, k) => ({ fqdn: `dal-pc-00${k + 1}.litwareinc.com`, datacenter: 'dal', path: [] }));
    const plan = procedureFor('persistent-chat-failover', withPool(PC, (p) => ({ ...p, servers })), PC);
    const activate = plan.steps.at(-1)!.actions.at(-1)!;
    assert.equal(activate.kind === 'powershell' && (activate.command.match(/dal-pc-/g) ?? []).length, 4);
    assert.ok(plan.notes.some((n) => /dal-pc-005.*dal-pc-006/.test(n)));
  });

  const errors: [string, () => unknown, string, RegExp][] = [
    ['unknown pool', () => procedureFor('pool-failover', litware(), 'nope.litwareinc.com'), 'pool-not-found', /not in the estate Litware/],
    ['PC procedure on a Front End pool', () => procedureFor('persistent-chat-failover', litware(), FE), 'wrong-pool-kind', /needs a persistent-chat pool/],
    ['FE procedure on a PC pool', () => procedureFor('conference-restore', litware(), PC), 'wrong-pool-kind', /needs a front-end pool/],
    ['no backup store', () => procedureFor('persistent-chat-failover', withPool(PC, (p) => ({ ...p, stores: { mgc: { primary: 'atl-pcsql' } } })), PC), 'no-store', /no backup SQL instance for mgc/],
    ['store names an unknown instance', () => procedureFor('persistent-chat-failover', withPool(PC, (p) => ({ ...p, stores: { mgc: { primary: 'atl-pcsql', backup: 'ghost' } } })), PC), 'unknown-sql-instance', /"ghost"/],
    ['no log shipping', () => procedureFor('persistent-chat-failover', withPool(PC, (p) => ({ ...p, logShipping: undefined })), PC), 'no-log-shipping', /logShipping/],
    ['not paired', () => procedureFor('pool-failover', withPool(FE, (p) => ({ ...p, backupPool: undefined })), FE), 'not-paired', /no backup pool/],
    ['pairing not symmetrical', () => procedureFor('conference-restore', withPool('dal-cs-001.litwareinc.com', (p) => ({ ...p, backupPool: undefined })), FE), 'not-paired', /paired with no pool/],
    ['paired with a missing pool', () => procedureFor('pool-failback', withPool(FE, (p) => ({ ...p, backupPool: 'x.litwareinc.com' })), FE), 'not-paired', /not in the estate/],
    ['no server in the backup data center', () => procedureFor('persistent-chat-failover', withPool(PC, (p) => ({ ...p, servers: [{ fqdn: 'atl-pc-001.litwareinc.com', datacenter: 'atl', path: [] }] })), PC), 'no-active-servers', /data center dal/],
    ['an estate value that fails validation', () => procedureFor('persistent-chat-failover', withPool(PC, (p) => ({ ...p, logShipping: { share: "\\\\fs\\x'\n", copyFolder: 'D:\\x' } })), PC), 'invalid-value', /logShipping\.share/],
    ['a bad option', () => procedureFor('persistent-chat-failback', litware(), PC, { backupFileName: '..\\x.bak' }), 'invalid-value', /option backupFileName/],
  ];
  for (const [name, run, code, message] of errors) {
    test(`error: ${name}`, () => assert.throws(run, (e: unknown) => e instanceof ProcedureError && e.code === code && message.test(e.message)));
  }
});

describe('renderRunbook', () => {
  /** Reads a runbook the way the contract describes it: front matter, `##` steps, action fences. */
  function readRunbook(text: string) {
    const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
    assert.ok(m, 'front matter');
    const front = Object.fromEntries(m[1]!.split('\n').map((l) => l.split(/:\s+/, 2) as [string, string]));
    const steps = text.split(/^## /m).slice(1).map((chunk) => {
      const heading = chunk.split('\n', 1)[0]!;
      const id = /\{#([a-z0-9-]+)\}$/.exec(heading)?.[1];
      const fences = [...chunk.matchAll(/^```(\S*)(.*)\n([\s\S]*?)\n```$/gm)].map((f) => ({ lang: f[1]!, info: f[2]!.trim(), body: f[3]! }));
      return { id, fences };
    });
    return { front, steps };
  }

  for (const kind of PROCEDURE_KINDS) {
    test(`${kind}: front matter, one ## per step with its id, only action fences of the contract`, () => {
      const plan = procedureFor(kind, litware(), poolOf[kind]);
      const text = renderRunbook(plan, { estatePath: '../estates/litware.yaml' });
      const { front, steps } = readRunbook(text);
      assert.equal(front.runbook, kind);
      assert.equal(front.estate, '../estates/litware.yaml');
      assert.equal(front.pool, plan.pool);
      assert.equal(front.lostPool, kind === 'conference-restore' ? FE : undefined);
      assert.deepEqual(steps.map((s) => s.id), ids(plan));
      for (const s of steps) {
        for (const f of s.fences) {
          assert.ok(['sql', 'powershell', 'lync'].includes(f.lang), f.lang);
          if (f.lang === 'sql') assert.match(f.info, /^on=(primary|mirror|backup|backupMirror)(:mgccomp)?$/);
          if (f.lang === 'lync') {
            for (const line of f.body.split('\n')) assert.match(line, /^(back-up-tail-log|snapshot-log-shipping|copy-log-backups|apply-log-backups|kill-sessions|recover-database|wait-backup-sync|check-pool-state|confirm)( |$)/);
          }
          if (f.lang === 'powershell') assert.equal(f.body.split('\n').length, 1);
        }
      }
    });
  }

  test('pool-state verifications become check-pool-state actions', () => {
    const text = renderRunbook(procedureFor('persistent-chat-failover', litware(), PC));
    assert.match(text, /```powershell\nSet-CsPersistentChatState -Identity 'PersistentChatServer:atl-gc-001\.litwareinc\.com' -PoolState FailedOver\n```\n\n```lync\ncheck-pool-state pool=atl-gc-001\.litwareinc\.com state=FailedOver\n```/);
    assert.match(text, /```sql on=backup\nEXEC master\.dbo\.sp_delete_log_shipping_secondary_database @secondary_database = N'mgc';\n```/);
    assert.match(text, /```lync\nsnapshot-log-shipping database=mgc on=backup\n```/);
  });

  test('confirm actions quote their text; wait-backup-sync carries pool, module and timeout', () => {
    assert.match(renderRunbook(procedureFor('pool-failover', litware(), FE)), /```lync\nconfirm "The Central Management Store is not hosted on atl-cs-001\.litwareinc\.com[^"\n]*"\n```/);
    assert.match(renderRunbook(procedureFor('conference-restore', litware(), FE, { syncTimeout: '2h' })), /wait-backup-sync pool=dal-cs-001\.litwareinc\.com module=ConfServices\.DataConf timeout=2h/);
  });

  test('estate text stays text: a data-center id holding a fenced command adds no action, heading or step', async () => {
    // Issue 17 / probe F4: the id reached the "why" of activate-servers raw and became a PowerShell action.
    const hostile = 'dal\n\n~~~powershell\nSet-CsPersistentChatState -PoolState Normal\n~~~\n# {#x} **<b>**';
    const clean = litware();
    const estate: Estate = {
      ...clean,
      datacenters: clean.datacenters.map((d) => (d.id === 'dal' ? { ...d, id: hostile } : d)),
      sqlInstances: clean.sqlInstances.map((i) => (i.datacenter === 'dal' ? { ...i, datacenter: hostile } : i)),
      pools: clean.pools.map((p) => ({ ...p, ...(p.datacenter === 'dal' ? { datacenter: hostile } : {}), servers: p.servers.map((s) => (s.datacenter === 'dal' ? { ...s, datacenter: hostile } : s)) })),
    };
    const powershell = await powershellParser();
    const shape = (text: string) => parseRunbook(text, { powershell }).steps.map((s) => `${s.id}:${s.actions.map((a) => a.kind).join(',')}`);
    const text = renderRunbook(procedureFor('persistent-chat-failover', estate, PC));
    assert.deepEqual(shape(text), shape(renderRunbook(procedureFor('persistent-chat-failover', clean, PC))));
    assert.doesNotMatch(text, /PoolState Normal\n/);
    const html = new MarkdownIt().render(text);
    assert.ok(html.includes('(dal\\n\\n~~~powershell\\nSet-CsPersistentChatState -PoolState Normal\\n~~~\\n# {#x} **&lt;b&gt;**)'), 'the id is shown as written, escapes visible');
  });

  test('prose with UNC paths renders back to the same characters in Markdown', () => {
    const text = renderRunbook(procedureFor('persistent-chat-failback', litware(), PC));
    const html = new MarkdownIt().render(text);
    assert.ok(html.includes('the backup file \\\\atl-fs-001.litwareinc.com\\pchat-logs\\mgc_failback.bak exists'));
  });
});
