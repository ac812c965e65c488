/** FreeTDS `tsql` (Debian freetds-bin), an independent TDS client: the lab is not tuned to tedious alone. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { testLab } from './lab-fixture';

test('FreeTDS tsql connects to a lab instance and reads a result set', async (t) => {
  const which = spawnSync('tsql', ['-C'], { encoding: 'utf8' });
  assert.ok(!which.error, 'FreeTDS tsql is not installed: apt-get install -y freetds-bin');
  const lab = await testLab(t);
  const i = lab.info.instances['dal-pcbak']!;
  // Async spawn: the lab answers from this process's event loop.
  const child = spawn('tsql', ['-H', '127.0.0.1', '-p', String(i.port), '-U', i.user, '-P', i.password], { env: { ...process.env, TDSVER: '7.4' } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  child.stdin.end("SELECT name, state_desc FROM sys.databases WHERE name = N'mgc'\ngo\nexec sp_who2\ngo\nselect @@servername\ngo\nexit\n");
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, out);
  assert.match(out, /name\tstate_desc\nmgc\tRESTORING\n\(1 row affected\)/);
  assert.match(out, /SPID\tStatus\tLogin/);
  assert.match(out, /DAL-PCBAK-001\\PCHAT/);
});
