/**
 * The run controller's journal redaction: the passwords of a live target (typed or saved in
 * SecretStorage) and of a rehearsal lab reach `FileJournalStore({ secrets })` through
 * `TargetClients.secrets()`; a journal written with them never holds a password.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { FileJournalStore } from '../../../src/adapters/journal';
import type { Estate, SqlInstance } from '../../../src/core/estate/model';
import { createTargetClients } from '../../../src/extension/connections/clients';
import { Credentials, MemorySecretStore, secretKey } from '../../../src/extension/connections/credentials';
import { parseShellSettings, parseSqlConnections } from '../../../src/extension/connections/settings';
import { parseLabInfo } from '../../../src/extension/connections/target';
import { silentLogger } from '../../../src/extension/log';

const SAVED = 'Saved-pa55word!';
const TYPED = "Typed'pa55;word";
const sqlInstance = (id: string, server: string): SqlInstance => ({ id, server, instance: 'pchat', datacenter: 'atl', path: ['sqlInstances', 0] });
const estate: Estate = { version: 1, name: 'x', datacenters: [], pools: [], sqlInstances: [sqlInstance('atl-pcsql', 'atl-pcsql-001.litwareinc.com'), sqlInstance('dal-pcbak', 'dal-pcbak-001.litwareinc.com')] } as unknown as Estate;

async function scanJournal(secrets: readonly string[], leaked: string[]): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-secrets-'));
  try {
    const journal = await new FileJournalStore({ directory: dir, secrets }).open('/w/pc.runbook.md');
    await journal.append({ type: 'run-started', runbook: '/w/pc.runbook.md', mode: 'live', user: 'alice' });
    for (const secret of leaked) {
      const ref = { stepId: 'connect', index: 0, text: `connect as lyncadmin with ${secret}` };
      await journal.append({ type: 'action-started', ref });
      await journal.append({ type: 'action-finished', ref, outcome: 'failed', error: `Login failed: password ${secret} refused`, output: `echo ${secret}` });
    }
    await journal.close();
    return fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('live target: saved and typed passwords reach the journal redaction; the journal holds neither', async () => {
  const store = new MemorySecretStore();
  await store.store(secretKey({ estate: 'x', instanceId: 'dal-pcbak', host: 'dal-pcbak-001.litwareinc.com', instance: 'pchat', login: 'lyncadmin' }), SAVED);
  const credentials = new Credentials(store, async () => TYPED, silentLogger);
  const clients = createTargetClients({
    target: { kind: 'live' }, estate, connections: parseSqlConnections({ 'atl-pcsql': { user: 'lyncadmin' }, 'dal-pcbak': { user: 'lyncadmin' } }), shell: parseShellSettings({}).settings,
    timeoutMs: 1000, credentials, readFile: async () => '', log: silentLogger,
  });
  try {
    // As the controller's live preparation does: the password of atl-pcsql is typed (pending).
    assert.deepEqual(await clients.prepareSql('atl-pcsql', true), { ok: true });
    const secrets = (await clients.secrets?.()) ?? [];
    assert.deepEqual([...secrets].sort(), [SAVED, TYPED].sort());
    const text = await scanJournal(secrets, [SAVED, TYPED]);
    assert.ok(text.includes('connect as lyncadmin with ***'));
    assert.ok(!text.includes(SAVED) && !text.includes(TYPED) && !text.includes('pa55'), text);
  } finally {
    await clients.dispose();
  }
});

test('rehearsal target: the lab passwords are the secrets', async () => {
  const info = parseLabInfo({ scenario: 'steady', caFile: '/tmp/ca.pem', shell: null, instances: { 'dal-pcbak': { host: '127.0.0.1', port: 1, user: 'lab', password: 'Lab-xyz123' } } });
  const clients = createTargetClients({
    target: { kind: 'rehearsal', info, source: 'test' }, estate, connections: { profiles: new Map(), problems: [] }, shell: parseShellSettings({}).settings,
    timeoutMs: 1000, credentials: new Credentials(new MemorySecretStore(), async () => undefined, silentLogger), readFile: async () => '', log: silentLogger,
  });
  try {
    const secrets = (await clients.secrets?.()) ?? [];
    assert.deepEqual(secrets, ['Lab-xyz123']);
    assert.ok(!(await scanJournal(secrets, ['Lab-xyz123'])).includes('Lab-xyz123'));
  } finally {
    await clients.dispose();
  }
});
