/** `npm run lab`: prints the lab info as JSON on stdout and stops cleanly on SIGTERM. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import sql from 'mssql';
import type { LabInfo } from '../../../src/lab/lab';
import { SAMPLE_ESTATE, tempRoot } from '../../unit/lab/fixtures';

const CLI = path.resolve(__dirname, '../../../src/lab/cli.ts');

test('the lab CLI prints the info JSON, serves SQL, and stops on SIGTERM', async (t) => {
  const root = tempRoot(t);
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--estate', SAMPLE_ESTATE, '--scenario', 'pchat-dc-loss', '--fault', 'log-gap', '--root', root, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const info = await new Promise<LabInfo>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      try {
        resolve(JSON.parse(out) as LabInfo);
      } catch {
        // not complete yet
      }
    });
    child.on('exit', (code) => reject(new Error(`lab exited ${code}: ${err}`)));
  });
  assert.equal(info.scenario, 'pchat-dc-loss');
  assert.deepEqual(info.faults, ['log-gap']);
  assert.equal(info.root, root);
  assert.ok(fs.existsSync(info.caFile));
  const i = info.instances['dal-pcbak']!;
  assert.deepEqual({ host: i.host, server: i.server, instance: i.instance, reachable: i.reachable }, { host: '127.0.0.1', server: 'dal-pcbak-001.litwareinc.com', instance: 'pchat', reachable: true });
  assert.equal(info.instances['atl-pcsql']!.reachable, false);
  const pool = await new sql.ConnectionPool({
    server: 'localhost', port: i.port, user: i.user, password: i.password,
    options: { encrypt: true, trustServerCertificate: false, cryptoCredentialsDetails: { ca: fs.readFileSync(i.caFile, 'utf8') } },
  }).connect();
  assert.deepEqual((await pool.request().query("SELECT state_desc FROM sys.databases WHERE name = 'mgc'")).recordset, [{ state_desc: 'RESTORING' }]);
  await pool.close();
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  assert.equal(await exited, 0, err);
  assert.match(err, /lab: stopped/);
});

test('the lab CLI refuses bad usage with exit code 2', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--scenario', 'nope'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  assert.equal(await new Promise((resolve) => child.on('exit', resolve)), 2);
  assert.match(err, /--estate is required/);
});
