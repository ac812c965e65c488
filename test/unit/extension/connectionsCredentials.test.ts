import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Credentials, LEGACY_INDEX_KEY, legacySecretKey, MemorySecretStore, SECRET_INDEX_KEY, secretKey, type PasswordRequest, type SecretTarget } from '../../../src/extension/connections/credentials';
import type { Logger } from '../../../src/extension/log';

const PASSWORD = 'Pa55-w0rd-typed';

function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (m: string) => lines.push(m);
  return { lines, trace: push, debug: push, info: push, warn: push, error: (m, e) => lines.push(`${m} ${String(e)}`) };
}

const request = (instanceId: string, over: Partial<SecretTarget> = {}): SecretTarget => ({
  estate: 'Litware',
  instanceId,
  host: `${instanceId}-001.litwareinc.com`,
  instance: 'pchat',
  login: 'lyncadmin',
  ...over,
});

test('a typed password is pending until a login succeeds, then saved under its target', async () => {
  const store = new MemorySecretStore();
  const log = recordingLog();
  let asked = 0;
  const credentials = new Credentials(store, async () => (asked++, PASSWORD), log);
  assert.equal(await credentials.password(request('dal-pcbak'), false), undefined, 'background reads never ask');
  assert.equal(asked, 0);
  assert.equal(await credentials.password(request('dal-pcbak'), true), PASSWORD);
  assert.equal(await credentials.password(request('dal-pcbak'), true), PASSWORD, 'asked once');
  assert.equal(asked, 1);
  assert.equal(await store.get(secretKey(request('dal-pcbak'))), undefined);
  await credentials.accepted(request('dal-pcbak'));
  assert.equal(await store.get('lyncRecovery.sql.target:["Litware","dal-pcbak-001.litwareinc.com","pchat","","lyncadmin"]'), PASSWORD);
  assert.deepEqual(await credentials.saved(), ['dal-pcbak']);
  assert.deepEqual(await credentials.savedTargets(), [request('dal-pcbak')]);
  // A new session (e.g. after a reload) uses the saved one without asking.
  const again = new Credentials(store, async () => assert.fail('must not ask'), log);
  assert.equal(await again.password(request('dal-pcbak'), true), PASSWORD);
  assert.ok(log.lines.some((l) => /Saved the password of lyncadmin for SQL instance dal-pcbak \(dal-pcbak-001\.litwareinc\.com\\pchat, estate Litware\)/.test(l)), log.lines.join('\n'));
  assert.ok(log.lines.every((l) => !l.includes(PASSWORD)), 'no password in any log line');
});

test('a refused password is dropped (pending) or deleted (saved); a cancelled prompt saves nothing', async () => {
  const store = new MemorySecretStore();
  const log = recordingLog();
  const credentials = new Credentials(store, async () => PASSWORD, log);
  await credentials.password(request('a'), true);
  await credentials.refused(request('a'));
  assert.equal(await credentials.has(request('a')), false);
  await credentials.password(request('b'), true);
  await credentials.accepted(request('b'));
  await credentials.refused(request('b'));
  assert.equal(await store.get(secretKey(request('b'))), undefined);
  assert.deepEqual(await credentials.saved(), []);
  const cancelled = new Credentials(store, async () => undefined, log);
  assert.equal(await cancelled.password(request('c'), true), undefined);
  await cancelled.accepted(request('c'));
  assert.equal(await store.get(secretKey(request('c'))), undefined);
  assert.ok(log.lines.every((l) => !l.includes(PASSWORD)));
});

test('prompts run one at a time, and a second request for the same instance reuses the first answer', async () => {
  let open = 0;
  let maxOpen = 0;
  let asked = 0;
  const credentials = new Credentials(new MemorySecretStore(), async (r) => {
    open++;
    maxOpen = Math.max(maxOpen, open);
    asked++;
    await new Promise((res) => setTimeout(res, 5));
    open--;
    return `pw-${r.instanceId}`;
  }, recordingLog());
  const answers = await Promise.all([credentials.password(request('a'), true), credentials.password(request('b'), true), credentials.password(request('a'), true)]);
  assert.deepEqual(answers, ['pw-a', 'pw-b', 'pw-a']);
  assert.equal(maxOpen, 1);
  assert.equal(asked, 2);
});

test('forget deletes the secret and its index entry; a replacement prompt can be installed and restored', async () => {
  const store = new MemorySecretStore();
  const credentials = new Credentials(store, async () => 'from-inputbox', recordingLog());
  const restore = credentials.usePrompt(async () => 'from-test');
  assert.equal(await credentials.password(request('x'), true), 'from-test');
  await credentials.accepted(request('x'));
  restore();
  await credentials.forget(request('x'));
  assert.equal(await store.get(secretKey(request('x'))), undefined);
  assert.equal(store.values.has(SECRET_INDEX_KEY), false);
  assert.equal(await credentials.password(request('x'), true), 'from-inputbox');
});

test('the prompt says which login and where (named instance or port)', async () => {
  const asked: PasswordRequest[] = [];
  const credentials = new Credentials(new MemorySecretStore(), async (r) => (asked.push(r), PASSWORD), recordingLog());
  await credentials.password(request('a'), true);
  await credentials.password(request('b', { instance: undefined, port: 14330, login: 'LITWARE\\svc' }), true);
  assert.deepEqual(asked, [
    { instanceId: 'a', account: 'lyncadmin', where: 'a-001.litwareinc.com\\pchat' },
    { instanceId: 'b', account: 'LITWARE\\svc', where: 'b-001.litwareinc.com,14330' },
  ]);
});

test('a saved password is sent only to its own estate, host, instance and login; any change asks instead', async () => {
  const store = new MemorySecretStore();
  const credentials = new Credentials(store, async () => PASSWORD, recordingLog());
  await credentials.password(request('dal-pcbak'), true);
  await credentials.accepted(request('dal-pcbak'));
  let asked = 0;
  const later = new Credentials(store, async () => (asked++, 'typed-again'), recordingLog());
  // Host and instance names compare without regard to case.
  assert.equal(await later.password(request('dal-pcbak', { host: 'DAL-PCBAK-001.LITWAREINC.COM', instance: 'PCHAT' }), false), PASSWORD);
  const changed: Partial<SecretTarget>[] = [
    { host: 'evil.example.com' }, // a workspace's `host` override, or its estate mapping the id elsewhere
    { instance: 'other' },
    { instance: undefined, port: 1433 },
    { login: 'sa' },
    { estate: 'Contoso' },
  ];
  for (const over of changed) {
    assert.equal(await later.password(request('dal-pcbak', over), false), undefined, `a background read sends nothing to ${JSON.stringify(over)}`);
    assert.equal(await later.password(request('dal-pcbak', over), true), 'typed-again', `an explicit action asks for ${JSON.stringify(over)}`);
    later.clearPending();
  }
  assert.equal(asked, changed.length);
  assert.equal(await store.get(secretKey(request('dal-pcbak'))), PASSWORD, 'the saved password is untouched');
});

test('no saved password is deleted because another estate does not name it', async () => {
  // The extension no longer prunes on estate load: the API to do it is gone, and a clone's estate changes nothing.
  const store = new MemorySecretStore();
  const credentials = new Credentials(store, async () => PASSWORD, recordingLog());
  for (const id of ['atl-pcsql', 'dal-pcbak']) {
    await credentials.password(request(id), true);
    await credentials.accepted(request(id));
  }
  assert.equal('keepOnly' in credentials, false);
  assert.deepEqual(await credentials.saved(), ['atl-pcsql', 'dal-pcbak']);
});

test('migration: an earlier version\'s password (by id, host unknown) is never sent unasked; an empty answer uses it, then it moves to its target', async () => {
  const store = new MemorySecretStore();
  await store.store(legacySecretKey('dal-pcbak'), 'old-saved');
  await store.store(legacySecretKey('atl-pcsql'), 'old-atl');
  await store.store(LEGACY_INDEX_KEY, JSON.stringify(['atl-pcsql', 'dal-pcbak']));
  const log = recordingLog();
  const asked: PasswordRequest[] = [];
  let answer: string | undefined = '';
  const credentials = new Credentials(store, async (r) => (asked.push(r), answer), log);
  assert.deepEqual(await credentials.saved(), ['atl-pcsql', 'dal-pcbak'], 'listed (and so can be forgotten)');
  // A background read: nothing is sent, wherever the id points today.
  assert.equal(await credentials.password(request('dal-pcbak'), false), undefined);
  assert.equal(await credentials.password(request('dal-pcbak', { host: 'evil.example.com' }), false), undefined);
  // An explicit one: the prompt says a password exists and where it would go; an empty answer uses it.
  assert.equal(await credentials.password(request('dal-pcbak'), true), 'old-saved');
  assert.deepEqual(asked, [{ instanceId: 'dal-pcbak', account: 'lyncadmin', where: 'dal-pcbak-001.litwareinc.com\\pchat', earlier: true }]);
  assert.equal(await store.get(legacySecretKey('dal-pcbak')), 'old-saved', 'kept until a login with it succeeds');
  await credentials.accepted(request('dal-pcbak'));
  assert.equal(await store.get(secretKey(request('dal-pcbak'))), 'old-saved');
  assert.equal(await store.get(legacySecretKey('dal-pcbak')), undefined, 'read once');
  assert.deepEqual(JSON.parse((await store.get(LEGACY_INDEX_KEY))!), ['atl-pcsql']);
  assert.deepEqual(await credentials.savedTargets(), [request('dal-pcbak')]);
  // Refused by the server it was offered to: deleted, as a saved password would be.
  assert.equal(await credentials.password(request('atl-pcsql'), true), 'old-atl');
  await credentials.refused(request('atl-pcsql'));
  assert.equal(await store.get(legacySecretKey('atl-pcsql')), undefined);
  assert.equal(store.values.has(LEGACY_INDEX_KEY), false);
  // Cancelled, or no earlier password: an empty answer is no password.
  answer = undefined;
  assert.equal(await credentials.password(request('other'), true), undefined);
  answer = '';
  assert.equal(await credentials.password(request('other'), true), undefined);
  assert.equal(asked.at(-1)?.earlier, undefined);
  assert.ok(log.lines.every((l) => !l.includes('old-saved') && !l.includes('old-atl')));
});
