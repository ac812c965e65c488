/**
 * Every output of the extension is redacted with the passwords it has met: the log channel, the
 * step output (memory, files, and files written before — by an older version), and so the recovery
 * report that quotes it. Hostile and very short passwords included.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { KnownSecrets } from '../../../src/core/recovery/redact';
import { Credentials, MemorySecretStore } from '../../../src/extension/connections/credentials';
import { ChannelLogger, silentLogger } from '../../../src/extension/log';
import { renderReport } from '../../../src/extension/report/model';
import { StepOutputStore } from '../../../src/extension/stepping/outputStore';

const HOSTILE = 'Pw\'d"\\;--$(x)`y-7Q\n.*+?[';
const SHORT = 'Q7';
const PASSWORDS = [HOSTILE, SHORT];
const forms = (password: string) => {
  const parts = [password, ...password.split('\n')];
  return [...new Set(parts.flatMap((p) => [p, p.replaceAll("'", "''"), JSON.stringify(p).slice(1, -1)]))];
};
const assertClean = (text: string, where: string) => {
  for (const p of PASSWORDS) for (const f of forms(p)) assert.ok(!text.includes(f), `${where} shows ${JSON.stringify(f)}:\n${text}`);
};
const leaking = (p: string) => [`Login failed for user 'lab' with ${p}`, `echoed=${p}`, `SELECT N'${p.replaceAll("'", "''")}'`, JSON.stringify({ value: p })];

function known(): KnownSecrets {
  const k = new KnownSecrets();
  k.add(PASSWORDS);
  return k;
}

describe('the log channel', () => {
  it('writes every level redacted', () => {
    const written: string[] = [];
    const channel = { trace: (m: string) => written.push(m), debug: (m: string) => written.push(m), info: (m: string) => written.push(m), warn: (m: string) => written.push(m), error: (m: string) => written.push(m) };
    const log = new ChannelLogger(channel, known());
    for (const p of PASSWORDS) {
      for (const line of leaking(p)) {
        log.trace(line);
        log.debug(line);
        log.info(line);
        log.warn(line);
        log.error(line);
        log.error('Refresh failed', new Error(line));
      }
    }
    assert.equal(written.length, 6 * 4 * PASSWORDS.length);
    assert.ok(written.includes('echoed=***'));
    assertClean(written.join('\n'), 'the log');
  });

  it('learns the passwords the credentials hand out (typed or saved)', async () => {
    const secrets = new KnownSecrets();
    const credentials = new Credentials(new MemorySecretStore(), async () => HOSTILE, silentLogger, secrets);
    assert.equal(await credentials.password({ estate: 'Litware', instanceId: 'dal-pcbak', host: 'dal-pcbak-001', instance: 'pchat', login: 'sa' }, true), HOSTILE);
    assert.equal(secrets.text(`echoed=${HOSTILE}`), 'echoed=***');
  });
});

describe('step output files and the report', () => {
  it('are written redacted, and a file saved before (with the password in it) is read redacted', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'output-secrets-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const secrets = known();
    const files = new StepOutputStore((text) => secrets.text(text), () => undefined);
    await files.append(dir, 'echo', PASSWORDS.flatMap(leaking));
    fs.writeFileSync(path.join(dir, StepOutputStore.fileName('old')), `${PASSWORDS.flatMap(leaking).join('\n')}\n`);
    const echo = await files.lines(dir, 'echo');
    assert.ok(echo.includes('echoed=***'));
    assertClean(echo.join('\n'), 'the step output');
    assertClean(fs.readFileSync(path.join(dir, StepOutputStore.fileName('echo')), 'utf8'), 'the step output file');
    const old = await files.lines(dir, 'old');
    assertClean(old.join('\n'), 'an older step output file');
    // A new session (window reload) reads the files.
    files.clear();
    assertClean((await files.lines(dir, 'echo')).join('\n'), 'the step output after a reload');

    const report = renderReport({
      runbook: 'echo.runbook.md', title: 'Echo', target: 'LIVE', journal: '/j/echo.jsonl', generatedAt: '2024-05-01T03:00:00.000Z', generatedBy: 'alice on ws01',
      steps: [{ id: 'echo', title: 'Echo' }, { id: 'old', title: 'Old' }], records: [],
      outputs: new Map([['echo', echo], ['old', old]]),
    });
    assert.match(report, /echoed=\*\*\*/);
    assertClean(report, 'the report');
  });
});
