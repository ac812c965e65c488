/**
 * The live clients key saved passwords by estate, host, instance and login: a workspace that
 * points an instance id at another host — through its estate or a `host` in
 * lyncRecovery.sql.connections — gets a prompt, never the saved password. A password saved by an
 * earlier version (by id only, its host unknown) is offered at the prompt, never sent unasked.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Estate, SqlInstance } from '../../../src/core/estate/model';
import { createTargetClients, type TargetClients } from '../../../src/extension/connections/clients';
import { Credentials, legacySecretKey, MemorySecretStore, type PasswordRequest } from '../../../src/extension/connections/credentials';
import { parseShellSettings, parseSqlConnections } from '../../../src/extension/connections/settings';
import { silentLogger } from '../../../src/extension/log';

const SAVED = 'Saved-pa55word!';
const SERVER = 'dal-pcbak-001.litwareinc.com';
const estateWith = (server: string, name = 'Litware'): Estate =>
  ({ version: 1, name, datacenters: [], pools: [], sqlInstances: [{ id: 'dal-pcbak', server, instance: 'pchat', datacenter: 'dal', path: ['sqlInstances', 0] } satisfies SqlInstance] }) as unknown as Estate;

async function withClients(store: MemorySecretStore, estate: Estate, profile: Record<string, unknown>, body: (clients: TargetClients, asked: PasswordRequest[], credentials: Credentials) => Promise<void>, answer = 'typed'): Promise<void> {
  const asked: PasswordRequest[] = [];
  const credentials = new Credentials(store, async (r) => (asked.push(r), answer), silentLogger);
  const clients = createTargetClients({
    target: { kind: 'live' }, estate, connections: parseSqlConnections({ 'dal-pcbak': { user: 'lyncadmin', ...profile } }), shell: parseShellSettings({}).settings,
    timeoutMs: 1000, credentials, readFile: async () => '', log: silentLogger,
  });
  try {
    await body(clients, asked, credentials);
  } finally {
    await clients.dispose();
  }
}

/** A store as an earlier version left it: the password under the instance id. */
async function legacyStore(): Promise<MemorySecretStore> {
  const store = new MemorySecretStore();
  await store.store(legacySecretKey('dal-pcbak'), SAVED);
  await store.store('lyncRecovery.sql.$saved', JSON.stringify(['dal-pcbak']));
  return store;
}

for (const [how, estate, profile] of [
  ['the estate maps the id to another host', estateWith('evil.example.com'), {}],
  ['lyncRecovery.sql.connections sets another host', estateWith(SERVER), { host: 'evil.example.com' }],
] as const) {
  test(`${how}: a background read sends nothing, an explicit one asks for that host`, async () => {
    const store = await legacyStore();
    await withClients(store, estate, profile, async (clients, asked) => {
      assert.equal((await clients.prepareSql('dal-pcbak', false)).ok, false, 'the saved password is not used');
      assert.deepEqual(await clients.secrets?.(), []);
      assert.deepEqual(await clients.prepareSql('dal-pcbak', true), { ok: true });
      assert.deepEqual(asked, [{ instanceId: 'dal-pcbak', account: 'lyncadmin', where: 'evil.example.com\\pchat', earlier: true }]);
      assert.deepEqual(await clients.secrets?.(), ['typed']);
    });
    assert.equal(await store.get(legacySecretKey('dal-pcbak')), SAVED, 'and it is still there for the estate it belongs to');
  });
}

test('a saved password reaches only its target: estate, host, instance, login', async () => {
  const store = new MemorySecretStore();
  await withClients(store, estateWith(SERVER), {}, async (clients, _asked, credentials) => {
    assert.deepEqual(await clients.prepareSql('dal-pcbak', true), { ok: true });
    // As the verifying gateway does after a successful login (no server in a unit test).
    await credentials.accepted({ estate: 'Litware', instanceId: 'dal-pcbak', host: SERVER, instance: 'pchat', login: 'lyncadmin' });
  });
  await withClients(store, estateWith(SERVER), {}, async (clients, asked) => {
    assert.deepEqual(await clients.prepareSql('dal-pcbak', false), { ok: true });
    assert.deepEqual(await clients.secrets?.(), ['typed']);
    assert.deepEqual(asked, []);
  });
  for (const [estate, profile] of [[estateWith('evil.example.com'), {}], [estateWith(SERVER), { host: 'evil.example.com' }], [estateWith(SERVER), { user: 'sa' }], [estateWith(SERVER), { port: 1433 }], [estateWith(SERVER, 'Contoso'), {}]] as const) {
    await withClients(store, estate, profile, async (clients) => assert.equal((await clients.prepareSql('dal-pcbak', false)).ok, false, JSON.stringify({ estate: estate.name, profile })));
  }
});
