import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SqlInstance } from '../../../src/core/estate/model';
import { createTargetClients } from '../../../src/extension/connections/clients';
import { Credentials, MemorySecretStore } from '../../../src/extension/connections/credentials';
import {
  liveShellOptions,
  liveSqlSettings,
  parseLiveSettings,
  parseShellSettings,
  parseSqlConnections,
  rehearsalShellOptions,
  rehearsalSqlSettings,
} from '../../../src/extension/connections/settings';
import { describeTarget, parseLabInfo, targetBadge } from '../../../src/extension/connections/target';
import { renderConnectionReport } from '../../../src/extension/connections/testConnections';
import { silentLogger } from '../../../src/extension/log';

const PASSWORD = 'S3cret-pa55word!';
const instance: SqlInstance = { id: 'atl-pcsql', server: 'atl-pcsql-001.litwareinc.com', instance: 'pchat', datacenter: 'atl', path: ['sqlInstances', 2] };

test('sql.connections: SQL and NTLM profiles; bad entries are reported, not guessed at', () => {
  const { profiles, problems } = parseSqlConnections({
    'atl-pcsql': { authentication: 'sql', user: 'lyncadmin' },
    'dal-pcbak': { authentication: 'ntlm', user: 'LITWARE\\svc-lync', encrypt: false },
    'atl-pcsqlm': { authentication: 'ntlm', user: 'svc' },
    'dal-pcbakm': { authentication: 'kerberos', user: 'x' },
    'atl-sql': { user: 'sa', password: PASSWORD, port: 70000 },
    'dal-sql': { user: 'sa', password: PASSWORD },
  });
  assert.deepEqual(profiles.get('atl-pcsql'), { authentication: 'sql', user: 'lyncadmin' });
  assert.deepEqual(profiles.get('dal-pcbak'), { authentication: 'ntlm', user: 'svc-lync', domain: 'LITWARE', encrypt: false });
  assert.equal(profiles.has('atl-pcsqlm'), false);
  assert.equal(profiles.has('dal-pcbakm'), false);
  assert.equal(profiles.has('atl-sql'), false);
  assert.deepEqual(profiles.get('dal-sql'), { authentication: 'sql', user: 'sa' }, 'a password in settings is never used');
  const text = problems.map((p) => p.message).join('\n');
  assert.match(text, /atl-pcsqlm: NTLM authentication needs a domain/);
  assert.match(text, /dal-pcbakm: authentication must be "sql" or "ntlm"/);
  assert.match(text, /atl-sql: passwords are not read from settings/);
  assert.match(text, /port must be a TCP port number/);
  assert.ok(!text.includes(PASSWORD), 'problems never echo a password');
  assert.equal(parseSqlConnections(['x']).problems.length, 1);
  assert.equal(parseSqlConnections(undefined).profiles.size, 0);
});

test('live SQL settings: where from the estate, how from the profile, password only in auth', () => {
  const s = liveSqlSettings(instance, { authentication: 'sql', user: 'lyncadmin' }, PASSWORD, { timeoutMs: 5000 });
  assert.deepEqual(s, {
    host: 'atl-pcsql-001.litwareinc.com', instanceName: 'pchat', auth: { kind: 'sql', user: 'lyncadmin', password: PASSWORD },
    encrypt: true, trustServerCertificate: false, connectTimeoutMs: 5000,
  });
  const { auth, ...rest } = s;
  assert.ok(!JSON.stringify(rest).includes(PASSWORD));
  assert.equal(auth.password, PASSWORD);
  const tunnel = liveSqlSettings({ ...instance, port: 1500 }, { authentication: 'ntlm', user: 'svc', domain: 'LITWARE', host: '127.0.0.1', port: 14330, caFile: 'ca.pem', trustServerCertificate: false }, PASSWORD, { caPem: 'PEM', timeoutMs: 2000 });
  assert.deepEqual(
    [tunnel.host, tunnel.port, tunnel.instanceName, tunnel.tlsServerName, tunnel.caPem, tunnel.auth],
    ['127.0.0.1', 14330, undefined, 'atl-pcsql-001.litwareinc.com', 'PEM', { kind: 'ntlm', domain: 'LITWARE', user: 'svc', password: PASSWORD }],
  );
  assert.equal(liveSqlSettings({ ...instance, port: 1500 }, { authentication: 'sql', user: 'u' }, 'p', { timeoutMs: 1 }).port, 1500);
});

test('rehearsal SQL and shell settings come from the lab info: verified TLS against the lab CA', () => {
  const s = rehearsalSqlSettings({ host: '127.0.0.1', port: 40000, user: 'lab', password: PASSWORD }, { caPem: 'PEM', timeoutMs: 5000 });
  assert.deepEqual([s.host, s.port, s.encrypt, s.trustServerCertificate, s.caPem, s.tlsServerName], ['127.0.0.1', 40000, true, false, 'PEM', 'localhost']);
  const shell = rehearsalShellOptions({ executable: '/usr/bin/pwsh', args: [], env: { TOKEN: 't' }, prelude: ["Import-Module '/tmp/LyncLab.psm1'"] }, 5000);
  // Starting real PowerShell and importing LyncLab is not cut short by the live status limit.
  assert.deepEqual(shell, { executable: '/usr/bin/pwsh', args: [], env: { TOKEN: 't' }, prelude: ["Import-Module '/tmp/LyncLab.psm1'"], invocationTimeoutMs: 60_000 });
});

test('shell settings: local module import or remote session, then the extra prelude', () => {
  const local = parseShellSettings({ prelude: ['Set-Location C:\\', 'bad\nline', 3] });
  assert.deepEqual(local.settings, { executable: '', mode: 'local', module: 'Lync', remoteUri: '', prelude: ['Set-Location C:\\'] });
  assert.equal(local.problems.length, 2);
  assert.deepEqual(liveShellOptions(local.settings, 5000), { prelude: ["Import-Module 'Lync' -ErrorAction Stop", 'Set-Location C:\\'], invocationTimeoutMs: 5000 });
  const remote = parseShellSettings({ mode: 'remote', remoteUri: 'https://fe01.litwareinc.com/OcsPowershell', executable: 'powershell.exe' }).settings;
  const options = liveShellOptions(remote, 5000);
  assert.equal(options.executable, 'powershell.exe');
  assert.match(options.prelude![0]!, /^\$lrSession = New-PSSession -ConnectionUri 'https:\/\/fe01\.litwareinc\.com\/OcsPowershell'/);
  assert.throws(() => liveShellOptions({ ...remote, remoteUri: 'ftp://x' }, 1), /lyncRecovery\.shell\.remoteUri: the connection URI must be http/);
  assert.throws(() => liveShellOptions({ ...local.settings, module: 'Lync; rm -r' }, 1), /lyncRecovery\.shell\.module/);
  assert.equal(parseShellSettings({ mode: 'ssh' }).problems.length, 1);
});

test('live settings: timeout and auto-refresh, with floors', () => {
  assert.deepEqual(parseLiveSettings({}), { timeoutMs: 5000, autoRefreshMs: 60_000 });
  assert.deepEqual(parseLiveSettings({ timeoutSeconds: 2, autoRefreshSeconds: 0 }), { timeoutMs: 2000, autoRefreshMs: 0 });
  assert.deepEqual(parseLiveSettings({ timeoutSeconds: 10, autoRefreshSeconds: 3 }), { timeoutMs: 10_000, autoRefreshMs: 10_000 });
  assert.deepEqual(parseLiveSettings({ timeoutSeconds: 'x', autoRefreshSeconds: -1 }), { timeoutMs: 5000, autoRefreshMs: 60_000 });
});

test('lab info: parsed and checked; errors never echo the password; REHEARSAL vs LIVE labels', () => {
  const info = parseLabInfo({
    root: '/tmp/lab', scenario: 'pchat-dc-loss', faults: [], caFile: '/tmp/lab/lab-ca.pem',
    instances: { 'dal-pcbak': { id: 'dal-pcbak', host: '127.0.0.1', port: 4000, user: 'lab', password: PASSWORD, caFile: '/tmp/lab/lab-ca.pem', reachable: true } },
    shell: { executable: '/usr/bin/pwsh', args: [], env: { A: 1 }, prelude: ['x'] },
  });
  assert.deepEqual(info.shell, { executable: '/usr/bin/pwsh', args: [], env: { A: '1' }, prelude: ['x'] });
  assert.equal(info.instances['dal-pcbak']!.port, 4000);
  for (const bad of [null, {}, { instances: { a: { host: 'h', port: 'x', user: 'u', password: PASSWORD } } }, { instances: {} }]) {
    assert.throws(() => parseLabInfo(bad), (e: Error) => !e.message.includes(PASSWORD));
  }
  const rehearsal = { kind: 'rehearsal', info, source: '/tmp/lab.json' } as const;
  assert.equal(targetBadge(rehearsal), 'REHEARSAL');
  assert.equal(targetBadge({ kind: 'live' }), 'LIVE');
  assert.match(describeTarget(rehearsal), /^REHEARSAL — .*scenario pchat-dc-loss.*\/tmp\/lab\.json/);
  assert.ok(!describeTarget(rehearsal).includes(PASSWORD));
});

test('live clients: unconfigured and password-less instances are refused before connecting; reports carry no password', async () => {
  const store = new MemorySecretStore();
  const credentials = new Credentials(store, async () => PASSWORD, silentLogger);
  const estate = { version: 1, name: 'x', datacenters: [], pools: [], sqlInstances: [instance, { ...instance, id: 'dal-pcbak', server: 'dal-pcbak-001.litwareinc.com' }] };
  const clients = createTargetClients({
    target: { kind: 'live' }, estate, connections: parseSqlConnections({ 'atl-pcsql': { user: 'lyncadmin' } }), shell: parseShellSettings({}).settings,
    timeoutMs: 1000, credentials, readFile: async () => '', log: silentLogger,
  });
  try {
    assert.deepEqual(await clients.prepareSql('dal-pcbak', true), { ok: false, state: 'unconfigured', message: 'No connection settings for dal-pcbak: add it to lyncRecovery.sql.connections.' });
    assert.equal((await clients.prepareSql('atl-pcsql', false)).ok, false, 'a background read never asks');
    assert.deepEqual(await clients.prepareSql('atl-pcsql', true), { ok: true });
    assert.deepEqual(await store.get('lyncRecovery.sql.atl-pcsql'), undefined, 'not saved before a login succeeded');
    const info = clients.describeSql('atl-pcsql')!;
    assert.deepEqual(info, { endpoint: 'atl-pcsql-001.litwareinc.com\\pchat', account: 'SQL login lyncadmin', tls: 'encrypted, certificate verified' });
    const markdown = renderConnectionReport({
      target: describeTarget({ kind: 'live' }), at: 0, settingProblems: [],
      sql: [{ instanceId: 'atl-pcsql', outcome: 'failed', ...info, failure: 'login', message: "Login failed for user 'lyncadmin'.", ms: 12 }, { instanceId: 'dal-pcbak', outcome: 'skipped', failure: 'unconfigured', message: 'No connection settings for dal-pcbak', ms: 0 }],
      shell: { description: clients.describeShell(), prelude: 'failed', getCsPool: 'not-run', message: 'PowerShell not found', ms: 3 },
    });
    assert.ok(!markdown.includes(PASSWORD));
    assert.match(markdown, /\| atl\\-pcsql \| atl\\-pcsql\\-001\\\.litwareinc\\\.com\\\\pchat \| yes \| \*\*no\*\* \(SQL login lyncadmin\)/);
    assert.match(markdown, /Start-up \(prelude\): \*\*failed\*\*/);
    assert.match(clients.describeShell(), /Import-Module Lync/);
  } finally {
    await clients.dispose();
  }
});
