/**
 * Microsoft.Data.SqlClient — a TDS client written by Microsoft, not by us — against the lab's TDS
 * server: TLS with the certificate verified against the lab's CA, a SQL login, the product's own
 * queries (parameterised, so sent as sp_executesql RPCs), a stored procedure by RPC, RESTORE
 * HEADERONLY into a temp table, a RESTORE with its progress INFO messages, and error 18456 for a
 * bad password. All steps go to one oracle process per connection.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseDatabaseName, parseFilePath, tsql, type SqlCommand } from '../../src/core/commands';
import { createLabCertificate } from '../../src/lab/tds/certificate';
import { testLab } from '../integration/lab/lab-fixture';
import { recordCounts, runSqlClient, type SqlStep } from './oracles';

const mgc = parseDatabaseName('mgc');
const LOG = parseFilePath('D:\\LogShipping\\mgc\\mgc_20240506074000.trn');

/** A product command as SqlClient sends it: text and typed parameters. */
const step = (command: SqlCommand): SqlStep => ({ kind: 'batch', text: command.text, params: command.params });

test('SqlClient logs in over verified TLS and runs the product queries, an RPC, HEADERONLY and a RESTORE with progress', async (t) => {
  const lab = await testLab(t, { progressDelayMs: 1 });
  const instance = lab.info.instances['dal-pcbak']!;
  const target = { port: instance.port, user: instance.user, password: instance.password, caFile: instance.caFile };

  const first = await runSqlClient(target, [step(tsql.serverIdentity())]);
  assert.equal(first.login, null, `login: ${JSON.stringify(first.login)}`);
  const identity = first.steps![0]!;
  assert.equal(identity.error, undefined, JSON.stringify(identity.error));
  const version = identity.resultSets![0]![0]!.product_version!;
  const majorVersion = tsql.majorVersionOf(version);

  const steps: SqlStep[] = [
    step(tsql.databaseState(mgc)),
    step(tsql.redoLsn(mgc)),
    step(tsql.logShippingSecondaryCount(mgc)),
    { kind: 'rpc', text: 'sp_who2', params: { loginame: { type: 'sysname', value: 'active' } } },
    step(tsql.restoreHeaderOnly(LOG, { majorVersion })),
    step(tsql.restoreLog(mgc, LOG)),
  ];
  const r = await runSqlClient(target, steps);
  assert.equal(r.login, null);
  const [state, redo, secondaries, who, headers, restore] = r.steps!;
  for (const [i, s] of r.steps!.entries()) assert.equal(s.error, undefined, `step ${i} (${steps[i]!.text.slice(0, 60)}…): ${JSON.stringify(s.error)}`);
  assert.equal(state!.resultSets![0]![0]!.state_desc, 'RESTORING');
  assert.match(String(redo!.resultSets![0]![0]!.redo_start_lsn), /^\d{17,25}$/);
  assert.equal(secondaries!.resultSets![0]!.length, 1);
  assert.ok(who!.resultSets![0]!.some((row) => row.Login === instance.user), 'sp_who2 by RPC lists our own session');
  const header = headers!.resultSets!;
  assert.equal(header.length, 1, 'SET NOCOUNT ON + temp table: one result set');
  assert.equal(header[0]![0]!.DatabaseName, 'mgc');
  assert.match(String(header[0]![0]!.FirstLSN), /^\d{17,25}$/);
  const progress = restore!.info.map((m) => m.message);
  assert.equal(progress[0], '5 percent processed.');
  assert.match(progress.at(-1)!, /^RESTORE LOG successfully processed/);
  assert.ok(restore!.info.every((m) => m.class <= 10), 'progress arrives as INFO messages (severity ≤ 10)');

  const bad = await runSqlClient({ ...target, password: 'wrong' }, []);
  assert.equal(bad.login?.number, 18456);
  assert.equal(bad.login?.message, `Login failed for user '${instance.user}'.`);

  // Another CA: SqlClient refuses the lab's certificate, so the check above is a real one.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lync-oracle-ca-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const strangerCa = path.join(dir, 'stranger-ca.pem');
  fs.writeFileSync(strangerCa, (await createLabCertificate([])).caPem);
  const untrusted = await runSqlClient({ ...target, caFile: strangerCa }, []);
  // 0x80090325 SEC_E_UNTRUSTED_ROOT: "The certificate chain was issued by an authority that is not trusted."
  assert.equal(untrusted.login?.number, -2146893019, `untrusted CA: ${JSON.stringify(untrusted.login)}`);

  recordCounts(t, 'sqlclient', { check: 'Microsoft.Data.SqlClient against the lab TDS server (login, queries, RPC, HEADERONLY, RESTORE, 18456, untrusted CA)', texts: steps.length + 1, parsers: ['Microsoft.Data.SqlClient 7.1.2'], disagreements: 0 });
});
