/**
 * The target clients say things to people — why an instance cannot be reached, how it is reached,
 * what the shell is, why a connection cannot even be set up — and all of it must go through the
 * translator the extension passes (`vscode.l10n.t`). A marking translator shows what did: every
 * user-visible string must come back marked, whole.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Estate, SqlInstance } from '../../../src/core/estate/model';
import { serverIdentity } from '../../../src/core/commands/tsql';
import { createTargetClients, type ClientConfig } from '../../../src/extension/connections/clients';
import { Credentials, MemorySecretStore } from '../../../src/extension/connections/credentials';
import { parseShellSettings, parseSqlConnections } from '../../../src/extension/connections/settings';
import { parseLabInfo } from '../../../src/extension/connections/target';
import { silentLogger } from '../../../src/extension/log';
import { formatMessage, type Translate } from '../../../src/extension/translate';

/** Marks what it translates: «…» around the whole message, arguments filled in. */
function marking(): { t: Translate; used: Set<string> } {
  const used = new Set<string>();
  return { used, t: (message, ...args) => (used.add(message), `«${formatMessage(message, ...args)}»`) };
}

/** Translated as a whole: one template around it (pieces inside may be translated templates of their own). */
const marked = (text: string | undefined) => typeof text === 'string' && /^«[\s\S]*»$/.test(text);

const instance = (id: string): SqlInstance => ({ id, server: `${id}-001.litwareinc.com`, instance: 'pchat', path: ['sqlInstances', 0] });
const estate: Estate = { version: 1, name: 'Litware', datacenters: [], pools: [], sqlInstances: [instance('atl-pcsql'), instance('dal-pcbak'), instance('dal-pcbakm')] };

function config(t: Translate, overrides: Partial<ClientConfig> = {}): ClientConfig {
  return {
    target: { kind: 'live' },
    estate,
    connections: parseSqlConnections({
      'atl-pcsql': { user: 'lyncadmin', caFile: 'corp-ca.pem' },
      'dal-pcbakm': { authentication: 'ntlm', user: 'LITWARE\\svc-lync', encrypt: false },
    }),
    shell: parseShellSettings({ mode: 'remote', remoteUri: 'https://atl-fe-001.litwareinc.com/OcsPowershell', prelude: ['Set-Location C:\\'] }).settings,
    timeoutMs: 1000,
    credentials: new Credentials(new MemorySecretStore(), async () => undefined, silentLogger),
    readFile: async (file) => {
      throw new Error(`ENOENT: ${file}`);
    },
    log: silentLogger,
    t,
    ...overrides,
  };
}

/** The message a call fails with. */
async function failure(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail('expected the call to fail');
}

test('live clients: refusals, descriptions and connection-setting errors are translated', async () => {
  const { t, used } = marking();
  const clients = createTargetClients(config(t));
  try {
    for (const id of ['nope', 'dal-pcbak', 'atl-pcsql']) {
      const access = await clients.prepareSql(id, false);
      assert.equal(access.ok, false);
      assert.ok(!access.ok && marked(access.message), `prepareSql(${id}): ${!access.ok && access.message}`);
    }
    for (const id of ['atl-pcsql', 'dal-pcbakm']) {
      const info = clients.describeSql(id)!;
      assert.ok(marked(info.account) && marked(info.tls), JSON.stringify(info));
    }
    assert.ok(marked(clients.describeShell()), clients.describeShell());
    assert.match(clients.describeShell(), /remote session to https:\/\/atl-fe-001\.litwareinc\.com\/OcsPowershell», 1 extra prelude line/);
    // No password saved and none asked: the connection is refused before the driver is reached.
    const noPassword = await failure(clients.sql.query('atl-pcsql', serverIdentity()));
    assert.ok(marked(noPassword), noPassword);
    assert.match(noPassword, /No password for lyncadmin on SQL instance atl-pcsql/);
    assert.ok(marked(await failure(clients.sql.query('nope', serverIdentity()))));
  } finally {
    await clients.dispose();
  }
  assert.ok(marked(await failure(clients.sql.query('atl-pcsql', serverIdentity()))), 'closed connections say so, translated');
  assert.ok(used.has('No connection settings for {0}: add it to {1}.'), 'messages are looked up by their English text, arguments apart');
});

test('live clients: an unreadable CA file is reported through the translator', async () => {
  const { t } = marking();
  const store = new MemorySecretStore();
  const credentials = new Credentials(store, async () => 'S3cret-pa55word!', silentLogger);
  const clients = createTargetClients(config(t, { credentials }));
  try {
    assert.deepEqual(await clients.prepareSql('atl-pcsql', true), { ok: true });
    const message = await failure(clients.sql.query('atl-pcsql', serverIdentity()));
    assert.ok(marked(message), message);
    assert.match(message, /lyncRecovery\.sql\.connections\.atl-pcsql\.caFile: cannot read corp-ca\.pem \(ENOENT: corp-ca\.pem\)/);
  } finally {
    await clients.dispose();
  }
});

test('rehearsal clients: the lab\'s refusals, descriptions and errors are translated', async () => {
  const { t } = marking();
  const info = parseLabInfo({ scenario: 'steady', caFile: 'lab-ca.pem', shell: null, instances: { 'dal-pcbak': { host: '127.0.0.1', port: 1, user: 'lab', password: 'Lab-xyz123' } } });
  const clients = createTargetClients(config(t, { target: { kind: 'rehearsal', info, source: 'test' } }));
  try {
    const access = await clients.prepareSql('atl-pcsql', false);
    assert.ok(!access.ok && marked(access.message));
    const described = clients.describeSql('dal-pcbak')!;
    assert.ok(marked(described.account) && marked(described.tls), JSON.stringify(described));
    assert.ok(marked(clients.describeShell()), clients.describeShell());
    assert.ok(marked(await failure(clients.sql.query('atl-pcsql', serverIdentity()))));
    const ca = await failure(clients.sql.query('dal-pcbak', serverIdentity()));
    assert.ok(marked(ca), ca);
    assert.match(ca, /cannot read the lab's CA file lab-ca\.pem/);
  } finally {
    await clients.dispose();
  }
});

test('without a translator the clients speak English (the bench, the CLI-side tests)', async () => {
  const clients = createTargetClients({ ...config(formatMessage), t: undefined });
  try {
    assert.deepEqual(await clients.prepareSql('dal-pcbak', false), { ok: false, state: 'unconfigured', message: 'No connection settings for dal-pcbak: add it to lyncRecovery.sql.connections.' });
    assert.equal(clients.describeSql('dal-pcbakm')!.account, 'Windows (NTLM) LITWARE\\svc-lync');
  } finally {
    await clients.dispose();
  }
});
